import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readListen, startPgliteServer, type PgliteServer } from './pglite-server';

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

  /** Waits until `check` holds, polling; fails with what was seen when it does not. */
  async function eventually(check: () => boolean, what: () => unknown) {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(check(), JSON.stringify(what())).toBe(true);
  }

  it('relays a NOTIFY from one connection to the connections that LISTEN, and to no other', async () => {
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    const [a, b, c] = [true, false, false].map((prepare) => postgres(url, { max: 1, prepare, onnotice: () => {} })) as [postgres.Sql, postgres.Sql, postgres.Sql];
    try {
      const heardA: string[] = [];
      const heardC: string[] = [];
      const listenA = await a.listen('routing', (payload) => heardA.push(payload));
      await c.listen('routing', (payload) => heardC.push(payload));
      await c.listen('other', (payload) => heardC.push(`other:${payload}`));

      await b`select pg_notify('routing', 'plain')`;
      // Inside a transaction it is sent on commit, and not at all on rollback.
      await b.begin(async (tx) => {
        await tx`select pg_notify('routing', 'committed')`;
        await tx`select 1`;
      });
      await b
        .begin(async (tx) => {
          await tx`select pg_notify('routing', 'rolled back')`;
          throw new Error('no');
        })
        .catch(() => undefined);
      // The listener's own notice comes back to it too, after its reply.
      await a`select pg_notify('routing', 'own')`;
      await eventually(
        () => heardA.length === 3 && heardC.length === 3,
        () => ({ heardA, heardC }),
      );
      expect(heardA).toEqual(['plain', 'committed', 'own']);
      expect(heardC).toEqual(['plain', 'committed', 'own']);

      // One connection stops listening; the backend keeps listening for the other.
      await listenA.unlisten();
      await b`select pg_notify('routing', 'after unlisten')`;
      await b`select pg_notify('other', 'x')`;
      await eventually(
        () => heardC.length === 5,
        () => heardC,
      );
      expect(heardC.slice(3)).toEqual(['after unlisten', 'other:x']);
      expect(heardA).toHaveLength(3);
      // Listening again binds the statement prepared the first time (postgres.js prepares it once).
      await a.listen('routing', (payload) => heardA.push(payload));
      await b`select pg_notify('routing', 'again')`;
      await eventually(
        () => heardA.length === 4,
        () => heardA,
      );
      expect(heardA[3]).toBe('again');
      // The sender's own replies carry no notification: its query results are intact.
      expect(await b`select pg_notify('routing', 'y'), 41 as n`).toEqual([{ pg_notify: '', n: 41 }]);
    } finally {
      await Promise.all([a.end(), b.end(), c.end()]);
    }
  });

  it('reads LISTEN and UNLISTEN statements from simple queries, Parse and Bind messages', () => {
    const message = (type: number, ...parts: Buffer[]) => {
      const body = Buffer.concat(parts);
      const out = Buffer.alloc(5 + body.length);
      out[0] = type;
      out.writeInt32BE(4 + body.length, 1);
      body.copy(out, 5);
      return new Uint8Array(out);
    };
    const cstr = (text: string) => Buffer.from(`${text}\0`);
    const query = (text: string) => message(0x51, cstr(text));
    const parse = (name: string, text: string) => message(0x50, cstr(name), cstr(text), Buffer.from([0, 0]));
    expect(readListen(parse('s1', 'listen "routing"'))).toEqual({ parse: 's1', statement: { listen: true, channel: 'routing' } });
    expect(readListen(parse('', 'select 1'))).toEqual({ parse: '', statement: null });
    expect(readListen(message(0x42, cstr(''), cstr('s1'), Buffer.from([0, 0, 0, 0, 0, 0])))).toEqual({ bind: 's1' });
    expect(readListen(query('LISTEN Routing;'))).toEqual({ query: { listen: true, channel: 'routing' } });
    expect(readListen(query('unlisten "a""b"'))).toEqual({ query: { listen: false, channel: 'a"b' } });
    expect(readListen(query('unlisten *'))).toEqual({ query: { listen: false, channel: '*' } });
    expect(readListen(query("select 'listen x'"))).toBeNull();
  });
});
