import { env } from '@/env';
import { migrateDb, openPglite, openPostgres, type DbHandle } from './client';
import { createScratchDatabase } from './scratch';

/**
 * The databases a database test runs against: embedded PGlite always, and a real Postgres
 * server when DATABASE_URL is set. Each open() gives a fresh, migrated, empty database.
 */
export function testDatabases(): { name: string; open: () => Promise<DbHandle> }[] {
  const list = [{ name: 'pglite', open: freshPglite }];
  if (env.DATABASE_URL) list.push({ name: 'postgres', open: freshPostgres });
  return list;
}

export async function freshPglite(): Promise<DbHandle> {
  const handle = await openPglite();
  await migrateDb(handle);
  return handle;
}

/** A throwaway database on the DATABASE_URL server, dropped on close. */
export async function freshPostgres(): Promise<DbHandle> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  const scratch = await createScratchDatabase(env.DATABASE_URL);
  const handle = openPostgres(scratch.url, 'postgres', 4);
  await migrateDb(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}
