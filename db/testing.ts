import postgres from 'postgres';
import { env } from '@/env';
import { migrateDb, openPglite, openPostgres, type DbHandle } from './client';

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
  const name = `sb_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), 'postgres', 4);
  await migrateDb(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
