/**
 * A query that always yields a row yielded none: `insert … returning` without a conflict clause,
 * an aggregate without `group by`, an update of a row read a moment before (and deleted since).
 * Lookups whose row may legitimately be missing throw their own domain error (FlowNotFoundError…)
 * or return `undefined`; this is for the rows the code relies on.
 */
export class MissingRowError extends Error {
  constructor(readonly what: string) {
    super(`Expected a row from ${what}, got none`);
    this.name = 'MissingRowError';
  }
}

/** The first row, or `MissingRowError` naming `what` (e.g. `'insert into flows'`) when there is none. */
export function firstRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new MissingRowError(what);
  return row;
}
