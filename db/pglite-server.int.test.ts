import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteServer, type PgliteServer } from './pglite-server';

describe('PGlite shared over the Postgres protocol', () => {
  let db: PGlite;
  let server: PgliteServer;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec('create table notes (id serial primary key, owner text not null, body text not null)');
    server = await startPgliteServer(db);
  });

  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  it('answers many connections at once, each with its own parameters (no interleaved statements)', async () => {
    // Two processes' worth of pools, like the web app and the worker, all busy at the same time.
    const clients = [0, 1].map(() => postgres(`postgres://postgres@127.0.0.1:${server.port}/postgres`, { max: 4, prepare: false, onnotice: () => {} }));
    try {
      const work = Array.from({ length: 200 }, async (_, i) => {
        const client = clients[i % 2]!;
        const owner = `owner-${i}`;
        if (i % 3 === 0) {
          // Different statement shapes, so a mixed-up Bind would be refused or return the wrong rows.
          const [row] = await client`insert into notes (owner, body) values (${owner}, ${`note ${i}`}) returning owner, body`;
          return [row?.owner, row?.body];
        }
        const [row] = await client`select ${owner}::text as owner, ${i}::int + ${1}::int as next, ${'x'.repeat(i % 7)}::text as pad`;
        return [row?.owner, row?.next];
      });
      const results = await Promise.all(work);
      results.forEach((result, i) => expect(result).toEqual(i % 3 === 0 ? [`owner-${i}`, `note ${i}`] : [`owner-${i}`, i + 1]));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });

  it('keeps a transaction to its own connection until it ends', async () => {
    const a = postgres(`postgres://postgres@127.0.0.1:${server.port}/postgres`, { max: 1, prepare: false, onnotice: () => {} });
    const b = postgres(`postgres://postgres@127.0.0.1:${server.port}/postgres`, { max: 1, prepare: false, onnotice: () => {} });
    try {
      const outside = b`select count(*)::int as n from notes where owner = 'tx'`;
      await a.begin(async (tx) => {
        await tx`insert into notes (owner, body) values ('tx', 'inside')`;
        await tx`insert into notes (owner, body) values ('tx', 'inside too')`;
        throw new Error('roll it back');
      }).catch(() => undefined);
      expect((await outside)[0]?.n).toBe(0);
      expect((await b`select count(*)::int as n from notes where owner = 'tx'`)[0]?.n).toBe(0);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});
