import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type DbHandle } from '@/db/client';
import { startPgliteServer, type PgliteServer } from '@/db/pglite-server';
import { createScratchDatabase } from '@/db/scratch';
import { env } from '@/env';
import { notifySql, type RoutingNotice } from './events';
import { parseNotice, routingNotices, subscribeRouting } from './live';

/**
 * Live updates across connections: a notice sent on one database connection (a worker, another web
 * process) reaches the subscribers of a web process listening on another, through the real channel.
 */

interface Setup {
  name: string;
  /** Two handles on one database: the sender's and the listening web process's. */
  open: () => Promise<{ sender: DbHandle; web: DbHandle; close: () => Promise<void> }>;
}

const setups: Setup[] = [
  {
    // What `npm run dev` does: the launcher owns PGlite and serves it; web and worker connect over the socket.
    name: 'shared PGlite over its socket server',
    open: async () => {
      const pglite = await PGlite.create();
      const server: PgliteServer = await startPgliteServer(pglite);
      const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
      const sender = openPostgres(url, 'pglite-shared', 1);
      const web = openPostgres(url, 'pglite-shared', 1);
      return {
        sender,
        web,
        close: async () => {
          await Promise.all([sender.close(), web.close()]);
          await server.stop();
          await pglite.close();
        },
      };
    },
  },
  {
    name: 'embedded PGlite in one process',
    open: async () => {
      const handle = await openPglite();
      return { sender: handle, web: handle, close: () => handle.close() };
    },
  },
];
if (env.DATABASE_URL) {
  const serverUrl = env.DATABASE_URL;
  setups.push({
    name: 'Postgres',
    open: async () => {
      const scratch = await createScratchDatabase(serverUrl);
      const sender = openPostgres(scratch.url, 'postgres', 2);
      const web = openPostgres(scratch.url, 'postgres', 2);
      return {
        sender,
        web,
        close: async () => {
          await Promise.all([sender.close(), web.close()]);
          await scratch.drop();
        },
      };
    },
  });
}

async function eventually(check: () => boolean, what: () => unknown) {
  for (let i = 0; i < 150 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(check(), JSON.stringify(what())).toBe(true);
}

describe.each(setups)('routing notices on $name', ({ open }) => {
  let setup: Awaited<ReturnType<Setup['open']>>;
  beforeAll(async () => {
    setup = await open();
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('a notice sent by one connection reaches every subscriber of the other, once, after commit', async () => {
    const first: RoutingNotice[] = [];
    const second: RoutingNotice[] = [];
    const stopFirst = await subscribeRouting(setup.web.db, (n) => first.push(n));
    const stopSecond = await subscribeRouting(setup.web.db, (n) => second.push(n));
    try {
      await setup.sender.db.execute(notifySql({ kind: 'offered', handoffId: 'h-1', agentId: 'a-1' }));
      await setup.sender.db
        .transaction(async (tx) => {
          await tx.execute(notifySql({ kind: 'never', handoffId: 'h-2' }));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await setup.sender.db.transaction(async (tx) => {
        await tx.execute(notifySql({ kind: 'accepted', handoffId: 'h-1' }));
      });
      await eventually(
        () => first.length >= 2 && second.length >= 2,
        () => ({ first, second }),
      );
      expect(first).toEqual([
        { kind: 'offered', handoffId: 'h-1', agentId: 'a-1' },
        { kind: 'accepted', handoffId: 'h-1' },
      ]);
      expect(second).toEqual(first);
    } finally {
      stopFirst();
      stopSecond();
    }
    // Unsubscribed: nothing more arrives.
    await setup.sender.db.execute(notifySql({ kind: 'late' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first).toHaveLength(2);
  });

  it('the stream starts with a resync, then yields notices, and ends when aborted', async () => {
    const abort = new AbortController();
    const stream = routingNotices(setup.web.db, abort.signal);
    expect((await stream.next()).value).toEqual({ kind: 'resync' });
    // The LISTEN is in place once the first value is out.
    await setup.sender.db.execute(notifySql({ kind: 'message', handoffId: 'h-9' }));
    expect((await stream.next()).value).toEqual({ kind: 'message', handoffId: 'h-9' });
    const pending = stream.next();
    abort.abort();
    expect((await pending).done).toBe(true);
  });
});

describe.skipIf(!env.DATABASE_URL)('a lost LISTEN connection on Postgres', () => {
  it('listens again and tells subscribers to resync', async () => {
    const scratch = await createScratchDatabase(env.DATABASE_URL!);
    const sender = openPostgres(scratch.url, 'postgres', 1);
    const web = openPostgres(scratch.url, 'postgres', 1);
    const heard: RoutingNotice[] = [];
    const stop = await subscribeRouting(web.db, (n) => heard.push(n));
    try {
      await sender.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`);
      await eventually(
        () => heard.some((n) => n.kind === 'resync'),
        () => heard,
      );
      await sender.db.execute(notifySql({ kind: 'after', handoffId: 'h' }));
      await eventually(
        () => heard.some((n) => n.kind === 'after'),
        () => heard,
      );
    } finally {
      stop();
      await Promise.all([sender.close(), web.close()]);
      await scratch.drop();
    }
  });
});

describe('notice payloads', () => {
  it('keeps kind and ids, drops anything else or malformed', () => {
    expect(parseNotice('{"kind":"offered","handoffId":"h","agentId":"a","x":1}')).toEqual({ kind: 'offered', handoffId: 'h', agentId: 'a' });
    expect(parseNotice('{"handoffId":"h"}')).toBeNull();
    expect(parseNotice('not json')).toBeNull();
    expect(parseNotice('null')).toBeNull();
  });
});
