import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '@/db/client';
import { customerIdentities, customers, orders } from '@/db/schema';
import { MB } from '@/server/http/body-limit';
import { runTagRulesFor } from '@/server/tags/engine';
import { customerUpsertSchema, type IdentityInput, identitySchema, orderSchema } from './data-in';

/**
 * CSV import of customers and of orders, streamed: the file is read a chunk at a time, each row
 * is checked with the data-in API's zod schemas, and good rows are upserted 500 to a transaction
 * (the tag rules then run once for that batch's customers). A rejected row writes nothing and is
 * reported with its line and column. A dry run checks and resolves every row the same way and
 * writes nothing.
 */

export const IMPORT_KINDS = ['customers', 'orders'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_BATCH_ROWS = 500;
/** Errors kept (and streamed) per import; the rest are only counted. */
export const IMPORT_MAX_ERRORS = 1000;
/** A field this long is a quote that was never closed, not data: stop before memory does. */
const MAX_FIELD_CHARS = 1_000_000;
const MAX_FIELDS = 10_000;

export interface ImportRowError {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  /** The header name of the cell at fault; null when the row as a whole is (no identity, wrong width). */
  column: string | null;
  reason: string;
}

export interface ImportProgress {
  /** Data rows read so far (blank lines are skipped, the header is not counted). */
  rows: number;
  accepted: number;
  rejected: number;
  /** Bytes of the file read so far. */
  bytes: number;
}

export interface ImportSummary extends ImportProgress {
  kind: ImportKind;
  dryRun: boolean;
  /** Customers: accepted rows that created a customer, and that updated one (also one created earlier in the file). */
  customersCreated: number;
  customersUpdated: number;
  /** Orders: accepted rows with an order id new to the database (and to the file so far), and the others. */
  ordersCreated: number;
  ordersUpdated: number;
  /** Every error found; `errors` keeps the first IMPORT_MAX_ERRORS of them. */
  errorCount: number;
  errors: ImportRowError[];
  durationMs: number;
}

/** Something wrong with the file as a whole (header, encoding): no row is read after it. */
export class CsvFileError extends Error {}

/** The largest file `/api/customers/import` takes (read as it streams, never held whole). */
export const IMPORT_MAX_BODY_BYTES = 200 * MB;

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The file is over ${maxBytes / MB} MB: split it and import the parts.`);
  }
}

/** The body, erroring with BodyTooLargeError (and cancelling the rest) once it passes `maxBytes`. */
export function limitBytes(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(new BodyTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

export interface ImportOptions {
  kind: ImportKind;
  input: ReadableStream<Uint8Array> | AsyncIterable<string | Uint8Array>;
  dryRun: boolean;
  /** After each batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** For each kept error, as it is found. */
  onError?: (error: ImportRowError) => void;
  /** Once the header is accepted, before any row is read. */
  onStart?: (columns: readonly string[]) => void;
  batchSize?: number;
  maxErrors?: number;
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180 with the usual leniencies): quoted fields may hold commas, doubled quotes and line
// breaks; records end with LF, CRLF or CR; a UTF-8 byte order mark is dropped.

export interface CsvRecord {
  /** The line the record starts on, from 1. */
  line: number;
  fields: string[];
  /** The file ended inside this quoted field (its index). */
  unclosedField?: number;
}

export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** Inside quotes, the last character was a quote: a second one is a literal quote, anything else closes the field. */
  private quoteSeen = false;
  private atFieldStart = true;
  private recordStarted = false;
  /** The last character was a CR: a LF right after it belongs to the same line break. */
  private afterCr = false;
  private started = false;
  private line = 1;
  private recordLine = 1;

  /** Parses a chunk of text, answering the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.afterCr) {
        this.afterCr = false;
        if (c === 10) continue;
      }
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === 34) {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
          // Falls through: the character after the closing quote is read as outside quotes.
        } else if (c === 34) {
          this.quoteSeen = true;
          continue;
        } else {
          if (c === 13 || c === 10) {
            // A line break inside a value is kept as LF, whatever the file uses.
            this.field += '\n';
            this.line++;
            this.afterCr = c === 13;
          } else {
            // Copy the run of plain characters at once.
            let j = i + 1;
            while (j < chunk.length) {
              const d = chunk.charCodeAt(j);
              if (d === 34 || d === 13 || d === 10) break;
              j++;
            }
            this.field += chunk.slice(i, j);
            i = j - 1;
          }
          continue;
        }
      }
      if (c === 44) {
        this.fields.push(this.field);
        this.field = '';
        this.atFieldStart = true;
        this.recordStarted = true;
      } else if (c === 13 || c === 10) {
        if (this.recordStarted || this.field !== '') {
          this.fields.push(this.field);
          out.push({ line: this.recordLine, fields: this.fields });
        }
        this.field = '';
        this.fields = [];
        this.atFieldStart = true;
        this.recordStarted = false;
        this.line++;
        this.recordLine = this.line;
        this.afterCr = c === 13;
      } else if (c === 34 && this.atFieldStart) {
        this.inQuotes = true;
        this.atFieldStart = false;
        this.recordStarted = true;
      } else {
        let j = i + 1;
        while (j < chunk.length) {
          const d = chunk.charCodeAt(j);
          if (d === 44 || d === 13 || d === 10) break;
          j++;
        }
        this.field += chunk.slice(i, j);
        i = j - 1;
        this.atFieldStart = false;
        this.recordStarted = true;
      }
    }
    if (this.field.length > MAX_FIELD_CHARS) throw new CsvFileError(`line ${this.recordLine}: a field runs past ${MAX_FIELD_CHARS.toLocaleString('en-US')} characters (is a quote not closed?)`);
    if (this.fields.length > MAX_FIELDS) throw new CsvFileError(`line ${this.recordLine}: more than ${MAX_FIELDS.toLocaleString('en-US')} fields in one row`);
    return out;
  }

  /** The last record, if the file does not end with a line break. */
  end(): CsvRecord[] {
    if (!this.recordStarted && this.field === '') return [];
    const unclosed = this.inQuotes && !this.quoteSeen;
    this.fields.push(this.field);
    const record: CsvRecord = { line: this.recordLine, fields: this.fields, ...(unclosed && { unclosedField: this.fields.length - 1 }) };
    this.fields = [];
    this.field = '';
    this.recordStarted = false;
    return [record];
  }
}

async function* chunksOf(input: ImportOptions['input']): AsyncGenerator<string | Uint8Array> {
  if (!('getReader' in input)) {
    yield* input;
    return;
  }
  const reader = input.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (a bad header, a failed batch): the rest of the body is not wanted.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The records of a CSV file, read as it streams in; `counter.bytes` follows what was read. */
export async function* csvRecords(input: ImportOptions['input'], counter: { bytes: number } = { bytes: 0 }): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser();
  const decode = (chunk: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new CsvFileError('The file is not UTF-8 text. Save it as "CSV UTF-8" (Excel) or convert it, then import it again.');
    }
  };
  for await (const chunk of chunksOf(input)) {
    if (typeof chunk === 'string') {
      counter.bytes += Buffer.byteLength(chunk);
      yield* parser.push(chunk);
    } else {
      counter.bytes += chunk.byteLength;
      yield* parser.push(decode(chunk, true));
    }
  }
  yield* parser.push(decode(new Uint8Array(0), false));
  yield* parser.end();
}

// ---------------------------------------------------------------------------------------------
// Columns

const IDENTITY_COLUMNS = { phone: 'phone', email: 'email', member_id: 'member' } as const satisfies Record<string, IdentityInput['kind']>;
type IdentityColumn = keyof typeof IDENTITY_COLUMNS;
const isIdentityColumn = (name: string): name is IdentityColumn => Object.hasOwn(IDENTITY_COLUMNS, name);

export const CUSTOMER_COLUMNS = ['phone', 'email', 'member_id', 'first_name', 'last_name', 'locale', 'birth_date'] as const;
export const ORDER_COLUMNS = ['order_id', 'phone', 'email', 'member_id', 'amount', 'currency', 'placed_at', 'status'] as const;
const ORDER_REQUIRED = ['order_id', 'amount', 'placed_at'] as const;
const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const ATTR_PREFIX = 'attr.';

interface Header {
  /** The column names as the importer reads them (fixed names lowercased). */
  names: string[];
  identities: { index: number; column: IdentityColumn }[];
}

function acceptedColumns(kind: ImportKind) {
  return kind === 'customers' ? `${CUSTOMER_COLUMNS.join(', ')} and attr.<key> for an attribute (e.g. attr.tier)` : ORDER_COLUMNS.join(', ');
}

function readHeader(kind: ImportKind, record: CsvRecord | undefined): Header {
  if (!record) throw new CsvFileError(`The file is empty: its first line must be a header naming the columns (${acceptedColumns(kind)}).`);
  if (record.unclosedField !== undefined) throw new CsvFileError('The header row has a quote that is never closed.');
  const fixed: readonly string[] = kind === 'customers' ? CUSTOMER_COLUMNS : ORDER_COLUMNS;
  const names = record.fields.map((raw) => {
    const name = raw.trim();
    return name.toLowerCase().startsWith(ATTR_PREFIX) ? `${ATTR_PREFIX}${name.slice(ATTR_PREFIX.length)}` : name.toLowerCase();
  });
  const problems: string[] = [];
  const unnamed = names.flatMap((n, i) => (n === '' ? [i + 1] : []));
  if (unnamed.length > 0) problems.push(`column ${unnamed.join(', ')} of the header has no name`);
  const unknown = names.filter((n) => n !== '' && !fixed.includes(n) && !(kind === 'customers' && n.startsWith(ATTR_PREFIX)));
  if (unknown.length > 0) problems.push(`unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: the accepted columns are ${acceptedColumns(kind)}`);
  const badKeys = names.filter((n) => kind === 'customers' && n.startsWith(ATTR_PREFIX) && !ATTRIBUTE_KEY.test(n.slice(ATTR_PREFIX.length)));
  if (badKeys.length > 0) problems.push(`${badKeys.map((n) => `"${n}"`).join(', ')}: an attribute name is 1 to 64 letters, digits, _ or -`);
  const twice = [...new Set(names.filter((n, i) => n !== '' && names.indexOf(n) !== i))];
  if (twice.length > 0) problems.push(`${twice.map((n) => `"${n}"`).join(', ')} appear${twice.length > 1 ? '' : 's'} more than once`);
  const identities = names.flatMap((column, index) => (isIdentityColumn(column) ? [{ index, column }] : []));
  if (identities.length === 0) problems.push(`no identity column: name at least one of phone, email, member_id${kind === 'orders' ? ' (the customer of the order)' : ''}`);
  if (kind === 'orders') {
    const missing = ORDER_REQUIRED.filter((c) => !names.includes(c));
    if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  if (problems.length > 0) throw new CsvFileError(`The header (line ${record.line}) is not valid: ${problems.join('; ')}.`);
  return { names, identities };
}

// ---------------------------------------------------------------------------------------------
// Rows

type RowCheck<T> = { ok: true; value: T } | { ok: false; errors: ImportRowError[] };

/** The row's cells by column name; a blank cell is absent. */
function cellsOf(header: Header, record: CsvRecord): RowCheck<Map<string, string>> {
  const { fields, line } = record;
  if (record.unclosedField !== undefined) return { ok: false, errors: [{ line, column: header.names[record.unclosedField] ?? null, reason: 'a quoted value is never closed (the file ends inside it)' }] };
  const extra = fields.slice(header.names.length);
  if (fields.length < header.names.length || extra.some((f) => f.trim() !== '')) {
    return { ok: false, errors: [{ line, column: null, reason: `the row has ${fields.length} values but the header has ${header.names.length} columns` }] };
  }
  const cells = new Map<string, string>();
  header.names.forEach((name, i) => {
    const value = fields[i]!;
    if (value.trim() !== '') cells.set(name, value);
  });
  return { ok: true, value: cells };
}

const quoted = (value: unknown) => JSON.stringify(typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** A reader's reason for a zod issue on a cell: what was found, and what is expected there. */
function reasonFor(column: string, value: string | undefined, issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  if (value === undefined) return 'empty: this column needs a value';
  if (issue.code === 'too_big' && typeof issue.maximum === 'number' && issue.origin === 'string') return `${quoted(value)} is too long: at most ${issue.maximum} characters`;
  if (column === 'locale') return `${quoted(value)} is not a language: en-US or zh-CN`;
  if (column === 'birth_date') return `${quoted(value)} is not a date as YYYY-MM-DD`;
  if (column === 'placed_at') return `${quoted(value)} is not a date and time (e.g. 2026-11-20T10:00:00Z, or 2026-11-20)`;
  if (column === 'amount') return `${quoted(value)} is not an amount from 0 to 1,000,000,000`;
  if (column === 'currency') return `${quoted(value)} is not ${issue.message}`;
  return `${quoted(value)}: ${issue.message}`;
}

interface RowIdentity {
  column: IdentityColumn;
  identity: IdentityInput;
}

/** The identity cells of a row, checked one by one so each error names its column. */
function identitiesOf(header: Header, cells: Map<string, string>, line: number): RowCheck<RowIdentity[]> {
  const given = header.identities.filter((i) => cells.has(i.column));
  if (given.length === 0) return { ok: false, errors: [{ line, column: null, reason: `no identity: fill in at least one of ${header.identities.map((i) => i.column).join(', ')}` }] };
  const errors: ImportRowError[] = [];
  const identities: RowIdentity[] = [];
  for (const { column } of given) {
    const value = cells.get(column)!;
    const parsed = identitySchema.safeParse({ kind: IDENTITY_COLUMNS[column], value });
    if (parsed.success) identities.push({ column, identity: parsed.data });
    else errors.push(...parsed.error.issues.map((issue) => ({ line, column, reason: reasonFor(column, value, issue) })));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: identities };
}

const keyOf = (i: IdentityInput) => `${i.kind}:${i.value}`;

interface CustomerRow {
  line: number;
  identities: RowIdentity[];
  fields: { firstName?: string; lastName?: string; locale?: 'en-US' | 'zh-CN'; birthDate?: string };
  attributes: Record<string, string>;
}

const CUSTOMER_FIELD_COLUMNS = { firstName: 'first_name', lastName: 'last_name', locale: 'locale', birthDate: 'birth_date' } as const;

function checkCustomerRow(header: Header, record: CsvRecord): RowCheck<CustomerRow> {
  const cells = cellsOf(header, record);
  if (!cells.ok) return cells;
  const line = record.line;
  const identities = identitiesOf(header, cells.value, line);
  const attributes: Record<string, string> = {};
  for (const [name, value] of cells.value) if (name.startsWith(ATTR_PREFIX)) attributes[name.slice(ATTR_PREFIX.length)] = value;
  const get = (column: string) => cells.value.get(column);
  const parsed = customerUpsertSchema.safeParse({
    identities: identities.ok ? identities.value.map((i) => i.identity) : [{ kind: 'member', value: '-' }],
    firstName: get('first_name'),
    lastName: get('last_name'),
    locale: get('locale')?.trim(),
    birthDate: get('birth_date')?.trim(),
    attributes,
  });
  const errors = identities.ok ? [] : [...identities.errors];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, key] = issue.path;
      const column = field === 'attributes' ? `${ATTR_PREFIX}${String(key)}` : (CUSTOMER_FIELD_COLUMNS[field as keyof typeof CUSTOMER_FIELD_COLUMNS] ?? null);
      errors.push({ line, column, reason: column ? reasonFor(column, get(column), issue) : issue.message });
    }
  }
  if (errors.length > 0 || !parsed.success || !identities.ok) return { ok: false, errors };
  const { firstName, lastName, locale, birthDate } = parsed.data;
  const fields = { ...(firstName !== undefined && { firstName }), ...(lastName !== undefined && { lastName }), ...(locale !== undefined && { locale }), ...(birthDate && { birthDate }) };
  return { ok: true, value: { line, identities: identities.value, fields, attributes: parsed.data.attributes as Record<string, string> } };
}

interface OrderRow {
  line: number;
  identities: RowIdentity[];
  order: Omit<z.output<typeof orderSchema>, 'customer' | 'items'>;
}

const ORDER_FIELD_COLUMNS = { externalId: 'order_id', amount: 'amount', currency: 'currency', status: 'status', placedAt: 'placed_at' } as const;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[T ]((?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?)(Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/i;
const calendarDate = z.iso.date();

/**
 * An ISO 8601 date or date and time; one without a zone is UTC (never the server's zone). Strict,
 * where `Date` is not: it reads "1" as 2001 and 30 February as 2 March.
 */
function instantOf(text: string): Date {
  const match = INSTANT.exec(text);
  if (!match || !calendarDate.safeParse(match[1]).success) return new Date(Number.NaN);
  return new Date(`${match[1]}T${match[2] ?? '00:00'}${(match[3] ?? 'Z').toUpperCase()}`);
}

function checkOrderRow(header: Header, record: CsvRecord): RowCheck<OrderRow> {
  const cells = cellsOf(header, record);
  if (!cells.ok) return cells;
  const line = record.line;
  const get = (column: string) => cells.value.get(column);
  const identities = identitiesOf(header, cells.value, line);
  const errors = identities.ok ? [] : [...identities.errors];
  const amount = get('amount')?.trim();
  if (amount !== undefined && !DECIMAL.test(amount)) errors.push({ line, column: 'amount', reason: `${quoted(amount)} is not a number (write 1234.50, no thousands separators)` });
  const placedAt = get('placed_at')?.trim();
  const parsed = orderSchema.safeParse({
    externalId: get('order_id'),
    customer: identities.ok ? identities.value[0]!.identity : { kind: 'member', value: '-' },
    amount: amount === undefined ? undefined : DECIMAL.test(amount) ? Number(amount) : 0,
    currency: get('currency')?.trim(),
    status: get('status'),
    placedAt: instantOf(placedAt ?? ''),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const column = ORDER_FIELD_COLUMNS[issue.path[0] as keyof typeof ORDER_FIELD_COLUMNS];
      if (column) errors.push({ line, column, reason: reasonFor(column, get(column), issue) });
    }
  }
  if (errors.length > 0 || !parsed.success || !identities.ok) return { ok: false, errors };
  const { customer: _customer, items: _items, ...order } = parsed.data;
  return { ok: true, value: { line, identities: identities.value, order } };
}

// ---------------------------------------------------------------------------------------------
// Batches

/** The customers these identities belong to now, by `kind:value`. */
async function ownersOf(db: Db, identities: readonly IdentityInput[]): Promise<Map<string, string>> {
  if (identities.length === 0) return new Map();
  const rows = await queryRows<{ kind: string; value: string; customer_id: string }>(
    db,
    sql`select i.kind, i.value, i.customer_id from ${customerIdentities} i
        join jsonb_to_recordset(${JSON.stringify(identities)}::jsonb) as v(kind text, value text) on i.kind = v.kind and i.value = v.value`,
  );
  return new Map(rows.map((r) => [`${r.kind}:${r.value}`, r.customer_id]));
}

interface CustomerPatch {
  fields: CustomerRow['fields'];
  attributes: Record<string, string>;
}

const describeIdentity = ({ column, identity }: RowIdentity) => `${column} ${quoted(identity.value)}`;

interface Counts {
  accepted: number;
  rejected: number;
  customersCreated: number;
  customersUpdated: number;
  ordersCreated: number;
  ordersUpdated: number;
}

/**
 * What this import has assigned that the database does not hold yet: in a real import only the
 * batch being written, in a dry run everything (nothing is ever written).
 */
interface Pending {
  identities: Map<string, string>;
  orderIds: Set<string>;
}

async function customerBatch(db: Db, rows: CustomerRow[], pending: Pending, dryRun: boolean, reject: (errors: ImportRowError[]) => void, counts: Counts) {
  const resolve = async (t: Db) => {
    const known = await ownersOf(t, [...new Map(rows.flatMap((r) => r.identities.map((i) => [keyOf(i.identity), i.identity]))).values()]);
    const created = new Map<string, CustomerPatch>();
    const updated = new Map<string, CustomerPatch>();
    const identities: { customerId: string; kind: IdentityInput['kind']; value: string }[] = [];
    for (const row of rows) {
      const owners = row.identities.map((i) => pending.identities.get(keyOf(i.identity)) ?? known.get(keyOf(i.identity)));
      const first = owners.findIndex((o) => o !== undefined);
      const other = owners.findIndex((o) => o !== undefined && o !== owners[first]);
      if (other >= 0) {
        reject([{ line: row.line, column: row.identities[other]!.column, reason: `${describeIdentity(row.identities[other]!)} belongs to another customer than ${describeIdentity(row.identities[first]!)}: merge them first` }]);
        continue;
      }
      counts.accepted++;
      let id = first >= 0 ? owners[first]! : undefined;
      if (!id) {
        id = randomUUID();
        created.set(id, { fields: {}, attributes: {} });
        counts.customersCreated++;
      } else {
        counts.customersUpdated++;
      }
      const patch = created.get(id) ?? updated.get(id) ?? { fields: {}, attributes: {} };
      // Later rows for the same customer win, as separate upserts would.
      Object.assign(patch.fields, row.fields);
      Object.assign(patch.attributes, row.attributes);
      if (!created.has(id)) updated.set(id, patch);
      row.identities.forEach((i, n) => {
        if (owners[n] === undefined) {
          pending.identities.set(keyOf(i.identity), id);
          identities.push({ customerId: id, ...i.identity });
        }
      });
    }
    return { created, updated, identities };
  };
  if (dryRun) {
    await resolve(db);
    return;
  }
  const touched = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const { created, updated, identities } = await resolve(t);
    // One JSON parameter per statement rather than thousands of bound values: much quicker to send and plan.
    if (created.size > 0) {
      const rows = [...created].map(([id, p]) => ({ id, first_name: p.fields.firstName, last_name: p.fields.lastName, locale: p.fields.locale, birth_date: p.fields.birthDate, attributes: p.attributes }));
      await t.execute(sql`
        insert into ${customers} (id, first_name, last_name, locale, birth_date, attributes)
        select v.id, v.first_name, v.last_name, coalesce(v.locale, 'en-US'), v.birth_date, v.attributes
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, first_name text, last_name text, locale text, birth_date date, attributes jsonb)`);
    }
    if (identities.length > 0) {
      await t.execute(sql`
        insert into ${customerIdentities} (customer_id, kind, value)
        select v.customer_id, v.kind, v.value from jsonb_to_recordset(${JSON.stringify(identities.map((i) => ({ customer_id: i.customerId, kind: i.kind, value: i.value })))}::jsonb) as v(customer_id uuid, kind text, value text)
        on conflict do nothing`);
    }
    if (updated.size > 0) {
      const patches = [...updated].map(([id, p]) => ({ id, first_name: p.fields.firstName, last_name: p.fields.lastName, locale: p.fields.locale, birth_date: p.fields.birthDate, attributes: p.attributes }));
      await t.execute(sql`
        update ${customers} c set
          first_name = coalesce(v.first_name, c.first_name),
          last_name = coalesce(v.last_name, c.last_name),
          locale = coalesce(v.locale, c.locale),
          birth_date = coalesce(v.birth_date, c.birth_date),
          attributes = c.attributes || v.attributes,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(patches)}::jsonb) as v(id uuid, first_name text, last_name text, locale text, birth_date date, attributes jsonb)
        where c.id = v.id`);
    }
    return [...created.keys(), ...updated.keys()];
  });
  pending.identities.clear();
  await runTagRulesFor(db, touched);
}

async function orderBatch(db: Db, rows: OrderRow[], pending: Pending, dryRun: boolean, reject: (errors: ImportRowError[]) => void, counts: Counts) {
  const known = await ownersOf(db, [...new Map(rows.flatMap((r) => r.identities.map((i) => [keyOf(i.identity), i.identity]))).values()]);
  const existing = new Set(
    (await queryRows<{ external_id: string }>(db, sql`select external_id from ${orders} where external_id in (select jsonb_array_elements_text(${JSON.stringify(rows.map((r) => r.order.externalId))}::jsonb))`)).map((r) => r.external_id),
  );
  // One order id twice in a batch: the later row wins, as two calls would (and one statement may not touch a row twice).
  const accepted = new Map<string, OrderRow['order'] & { customerId: string }>();
  for (const row of rows) {
    const unknown = row.identities.filter((i) => !known.has(keyOf(i.identity)));
    if (unknown.length > 0) {
      reject(unknown.map((i) => ({ line: row.line, column: i.column, reason: `no customer has ${i.identity.kind} ${i.identity.value}` })));
      continue;
    }
    const owners = row.identities.map((i) => known.get(keyOf(i.identity))!);
    const other = owners.findIndex((o) => o !== owners[0]);
    if (other >= 0) {
      reject([{ line: row.line, column: row.identities[other]!.column, reason: `${describeIdentity(row.identities[other]!)} belongs to another customer than ${describeIdentity(row.identities[0]!)}` }]);
      continue;
    }
    counts.accepted++;
    const externalId = row.order.externalId;
    if (existing.has(externalId) || pending.orderIds.has(externalId)) counts.ordersUpdated++;
    else counts.ordersCreated++;
    pending.orderIds.add(externalId);
    accepted.delete(externalId);
    accepted.set(externalId, { ...row.order, customerId: owners[0]! });
  }
  if (dryRun || accepted.size === 0) return;
  await db
    .insert(orders)
    .values([...accepted.values()])
    .onConflictDoUpdate({
      // Items are not in the file: an order's items sent through the API stay.
      target: orders.externalId,
      set: { customerId: sql`excluded.customer_id`, amount: sql`excluded.amount`, currency: sql`excluded.currency`, status: sql`excluded.status`, placedAt: sql`excluded.placed_at` },
    });
  pending.orderIds.clear();
  await runTagRulesFor(db, [...new Set([...accepted.values()].map((o) => o.customerId))]);
}

// ---------------------------------------------------------------------------------------------

/**
 * Imports a CSV file of customers or orders as it streams in. Throws CsvFileError for a problem
 * with the file as a whole: before any row is written when it is the header, else (encoding, a
 * runaway field) with the batches before it written. Database failures are thrown as they are.
 */
export async function importCsv(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const counter = { bytes: 0 };
  const records = csvRecords(options.input, counter);
  try {
    return await importRecords(db, options, records, counter, started);
  } finally {
    await records.return(undefined);
  }
}

async function importRecords(db: Db, options: ImportOptions, records: AsyncGenerator<CsvRecord>, counter: { bytes: number }, started: number): Promise<ImportSummary> {
  const { kind, dryRun } = options;
  const batchSize = options.batchSize ?? IMPORT_BATCH_ROWS;
  const maxErrors = options.maxErrors ?? IMPORT_MAX_ERRORS;
  const header = readHeader(kind, (await records.next()).value || undefined);
  options.onStart?.(header.names);

  const counts: Counts = { accepted: 0, rejected: 0, customersCreated: 0, customersUpdated: 0, ordersCreated: 0, ordersUpdated: 0 };
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  let rows = 0;
  const pending: Pending = { identities: new Map(), orderIds: new Set() };
  // A batch's errors are reported together once it is resolved, in the order of the file.
  let batchErrors: ImportRowError[] = [];
  const reject = (found: ImportRowError[]) => {
    counts.rejected++;
    batchErrors.push(...found);
  };
  const report = () => {
    for (const error of batchErrors.sort((a, b) => a.line - b.line)) {
      errorCount++;
      if (errors.length < maxErrors) {
        errors.push(error);
        options.onError?.(error);
      }
    }
    batchErrors = [];
  };
  const progress = (): ImportProgress => ({ rows, accepted: counts.accepted, rejected: counts.rejected, bytes: counter.bytes });

  let customerRows: CustomerRow[] = [];
  let orderRows: OrderRow[] = [];
  let inBatch = 0;
  const flush = async () => {
    if (inBatch === 0) return;
    if (kind === 'customers' && customerRows.length > 0) await customerBatch(db, customerRows, pending, dryRun, reject, counts);
    if (kind === 'orders' && orderRows.length > 0) await orderBatch(db, orderRows, pending, dryRun, reject, counts);
    customerRows = [];
    orderRows = [];
    inBatch = 0;
    report();
    options.onProgress?.(progress());
  };

  for await (const record of records) {
    if (record.fields.every((f) => f.trim() === '') && record.unclosedField === undefined) continue;
    rows++;
    inBatch++;
    if (kind === 'customers') {
      const checked = checkCustomerRow(header, record);
      if (checked.ok) customerRows.push(checked.value);
      else reject(checked.errors);
    } else {
      const checked = checkOrderRow(header, record);
      if (checked.ok) orderRows.push(checked.value);
      else reject(checked.errors);
    }
    if (inBatch >= batchSize) await flush();
  }
  await flush();
  return { kind, dryRun, ...progress(), ...counts, errorCount, errors, durationMs: Math.round(performance.now() - started) };
}
