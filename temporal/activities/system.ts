import { sql } from 'drizzle-orm';
import { getDb, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';

/** Reads the message back from the database so a ping proves worker → Postgres works. */
export async function recordPing(message: string): Promise<string> {
  const row = firstRow(await queryRows<{ echoed: string }>(await getDb(), sql`select ${message}::text as echoed`), 'the ping query');
  return row.echoed;
}
