import 'server-only';
import { z } from 'zod';

/**
 * Input schemas shared by the routers, bounded to what the database can take: a value past these
 * bounds is the client's mistake (BAD_REQUEST), not a failed query (a 500). Found by the tRPC
 * fuzzing property (trpc-fuzz.int.test.ts).
 */

/** The largest value of a Postgres `integer` column (flow versions, draft revisions). */
export const MAX_INT4 = 2_147_483_647;

/** A flow version or draft revision number. */
export function versionNumber() {
  return z.number().int().positive().max(MAX_INT4);
}

const EARLIEST = new Date('0001-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

/** A date filter: years 1 to 9999, the ones ISO 8601 writes with four digits and Postgres reads. */
export function dateInput() {
  return z.date().min(EARLIEST, 'a date from the year 1 on').max(LATEST, 'a date before the year 10000');
}
