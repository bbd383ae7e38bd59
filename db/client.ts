import 'server-only';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { env } from '@/env';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  /** What the status page shows: where the data lives. */
  kind: 'pglite' | 'pglite-shared' | 'postgres';
  location: string;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function pgliteDir(dataDir = env.DATA_DIR) {
  return path.resolve(dataDir, 'pglite');
}

/**
 * PGlite is one process's database. While `npm run dev` runs, the launcher owns it and serves it
 * over the Postgres protocol on a loopback port written here; every other process (Next.js, the
 * worker, the CLI) then connects to that port instead of opening the files a second time.
 */
export function sharedPglitePortFile(dataDir = env.DATA_DIR) {
  return path.resolve(dataDir, 'pglite.port');
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** Stops a listener. */
export type Unlisten = () => Promise<void>;
type Listen = (channel: string, onNotify: (payload: string) => void, onListen?: () => void) => Promise<Unlisten>;

/** How to LISTEN on the database behind a drizzle instance (routing's live updates). */
const listeners = new WeakMap<Db, Listen>();

/**
 * LISTEN on the database `db` talks to: postgres.js keeps one extra connection for all of a client's
 * channels (the shared PGlite server relays notifications to it); embedded PGlite uses its own
 * `listen`. Notifications arrive after the sender's transaction commits. `onListen` runs each time
 * the LISTEN is in place: postgres.js listens again after its connection was lost, and what was
 * sent in between is gone.
 */
export function listenOn(db: Db, channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<Unlisten> {
  const listen = listeners.get(db);
  if (!listen) throw new Error('this database handle cannot listen');
  return listen(channel, onNotify, onListen);
}

export function openPostgres(url: string, kind: DbHandle['kind'] = 'postgres', max = 10): DbHandle {
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  listeners.set(db, async (channel, onNotify, onListen) => {
    const { unlisten } = await client.listen(channel, onNotify, onListen);
    return unlisten;
  });
  return {
    db,
    kind,
    location: url.replace(/\/\/[^@/]*@/, '//***@'),
    close: () => client.end({ timeout: 5 }),
  };
}

export async function openPglite(dir?: string): Promise<DbHandle & { pglite: PGlite }> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  // pg_trgm: the customer search's trigram indexes (migration 0009).
  const pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } });
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  listeners.set(db, async (channel, onNotify, onListen) => {
    const unlisten = await pglite.listen(channel, onNotify);
    onListen?.();
    return unlisten;
  });
  return {
    pglite,
    db,
    kind: 'pglite',
    location: dir ?? 'memory',
    close: () => pglite.close(),
  };
}

export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder });
    return;
  }
  // Several processes may start at once against one server; the lock makes them take turns.
  await handle.db.execute(sql`select pg_advisory_lock(7355608)`);
  try {
    await migratePostgres(handle.db as never, { migrationsFolder });
  } finally {
    await handle.db.execute(sql`select pg_advisory_unlock(7355608)`);
  }
}

/** Opens the configured database: DATABASE_URL, else the launcher's shared PGlite, else PGlite on disk. */
export async function openDb(): Promise<DbHandle> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  const portFile = sharedPglitePortFile();
  if (fs.existsSync(portFile)) {
    const port = Number(fs.readFileSync(portFile, 'utf8').trim());
    if (port > 0 && (await reachable(port))) {
      const handle = openPostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, 'pglite-shared', 1);
      return { ...handle, location: `${pgliteDir()} (shared on port ${port})` };
    }
  }
  return openPglite(pgliteDir());
}

const globalForDb = globalThis as unknown as { switchboardDb?: Promise<DbHandle> };

/** The process-wide database handle, migrated on first use. */
export function dbHandle(): Promise<DbHandle> {
  globalForDb.switchboardDb ??= (async () => {
    const handle = await openDb();
    await migrateDb(handle);
    return handle;
  })().catch((error) => {
    globalForDb.switchboardDb = undefined;
    throw error;
  });
  return globalForDb.switchboardDb;
}

export async function getDb(): Promise<Db> {
  return (await dbHandle()).db;
}

/** Raw SQL rows: the PGlite driver wraps them in `{ rows }`, postgres.js returns the array. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
