import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { POST } from '@/app/api/customers/import/route';
import type { DbHandle } from '@/db/client';
import { firstRow } from '@/db/rows';
import { auditLog, customerIdentities, customers, orders, users } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { createAuth } from '@/server/auth/auth';
import { seedLocalUsers } from '@/server/auth/seed-users';
import { createCaller } from '@/server/routers/_app';
import { seedTagRules } from '@/server/tags/service';
import { BodyTooLargeError, CsvFileError, CsvParser, csvRecords, importCsv, type ImportProgress, type ImportRowError, limitBytes } from './import';

/** The text as a stream of bytes cut into `size`-byte chunks (cuts fall inside UTF-8 sequences too). */
function bytes(text: string, size = 7): ReadableStream<Uint8Array> {
  const all = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= all.length) return controller.close();
      controller.enqueue(all.slice(at, at + size));
      at += size;
    },
  });
}

async function records(text: string, size?: number) {
  const out = [];
  for await (const r of csvRecords(bytes(text, size))) out.push(r);
  return out;
}

describe('the CSV reader', () => {
  it('reads quotes, commas, doubled quotes and line breaks inside quotes, CRLF and a BOM, whatever the chunks', async () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines",\r\n\r\n3,,"三"\n"4"';
    const expected = [
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', '三'] },
      { line: 7, fields: ['4'] },
    ];
    for (const size of [1, 2, 3, 5, 64]) expect(await records(text, size)).toEqual(expected);
    // Bare CR line ends (old Mac files) and a quote inside an unquoted value.
    expect(await records('a,b\r1,x"y\r')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x"y'] },
    ]);
    expect(await records('a,b\n1,"never closed\n2,3')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'never closed\n2,3'], unclosedField: 1 },
    ]);
  });

  it('refuses text that is not UTF-8, and a runaway field', async () => {
    const gbk = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([0x61, 0x0a, 0xc0, 0xee, 0x0a])); // "a\n李\n" in GBK
        c.close();
      },
    });
    await expect(async () => {
      for await (const _ of csvRecords(gbk));
    }).rejects.toThrow(/not UTF-8 text/);
    const parser = new CsvParser();
    expect(() => parser.push(`a\n"${'x'.repeat(1_000_001)}`)).toThrow(/runs past 1,000,000 characters/);
  });
});

const CUSTOMERS = [
  '\uFEFFphone,email,member_id,first_name,last_name,locale,birth_date,attr.tier,attr.note',
  '+8613900001111,Li.Na@Example.cn,,娜,李,zh-CN,1958-04-02,gold,',
  '+15005550001,,M-1,Ann,Lee,en-US,,silver,"likes calls, not texts\r\nafter 6pm"',
  '12345,bad@example.com,,Bad,Phone,,,,',
  ',,,No,Identity,,,,',
  ',li.na@example.cn,M-2,,,,,platinum,',
  ',,M-3,"Say ""hi""",X,fr,1990-02-30,,',
  '',
  ',,M-4,Last,Row,,,,',
].join('\r\n');

const CUSTOMER_ERRORS: ImportRowError[] = [
  { line: 5, column: 'phone', reason: 'phone "12345" is not in E.164 form (e.g. +8613812345678)' },
  { line: 6, column: null, reason: 'no identity: fill in at least one of phone, email, member_id' },
  { line: 8, column: 'locale', reason: '"fr" is not a language: en-US or zh-CN' },
  { line: 8, column: 'birth_date', reason: '"1990-02-30" is not a date as YYYY-MM-DD' },
];

const ORDERS = [
  'order_id,member_id,phone,amount,currency,placed_at,status',
  'erp-1,M-1,,3000,CNY,2026-01-05T10:00:00Z,',
  'erp-2,,+8613900001111,2200.50,,2026-01-06 08:30,paid',
  'erp-3,M-404,,10,USD,2026-01-07T00:00:00Z,',
  'erp-4,M-1,,"1,000",USD,2026-01-07T00:00:00Z,',
  ',M-1,,5,USD,yesterday,',
  'erp-5,M-1,,5,USD,2026-02-30,',
  'erp-1,M-1,,3100,CNY,2026-01-05T10:00:00Z,',
].join('\n');

const ORDER_ERRORS: ImportRowError[] = [
  { line: 4, column: 'member_id', reason: 'no customer has member M-404' },
  { line: 5, column: 'amount', reason: '"1,000" is not a number (write 1234.50, no thousands separators)' },
  { line: 6, column: 'order_id', reason: 'empty: this column needs a value' },
  { line: 6, column: 'placed_at', reason: '"yesterday" is not a date and time (e.g. 2026-11-20T10:00:00Z, or 2026-11-20)' },
  { line: 7, column: 'placed_at', reason: '"2026-02-30" is not a date and time (e.g. 2026-11-20T10:00:00Z, or 2026-11-20)' },
];

describe.each(testDatabases())('CSV import on $name', ({ open }) => {
  async function fresh() {
    const handle = await open();
    onTestFinished(() => handle.close());
    return handle;
  }
  const allCustomers = (handle: DbHandle) => handle.db.select().from(customers).orderBy(asc(customers.createdAt), asc(customers.firstName));
  const identitiesOf = async (handle: DbHandle, id: string) =>
    (await handle.db.select().from(customerIdentities).where(eq(customerIdentities.customerId, id)).orderBy(asc(customerIdentities.kind))).map((i) => `${i.kind}:${i.value}`);

  it('imports good customer rows, rejects bad ones with their line and column, and a dry run writes nothing', async () => {
    const handle = await fresh();
    const { db } = handle;

    const streamed: ImportRowError[] = [];
    const dry = await importCsv(db, { kind: 'customers', input: bytes(CUSTOMERS), dryRun: true, onError: (e) => streamed.push(e) });
    expect(dry).toMatchObject({ dryRun: true, rows: 7, accepted: 4, rejected: 3, customersCreated: 3, customersUpdated: 1, errorCount: 4, errors: CUSTOMER_ERRORS });
    expect(streamed).toEqual(CUSTOMER_ERRORS);
    expect(await db.select().from(customers)).toEqual([]);
    expect(await db.select().from(customerIdentities)).toEqual([]);

    const real = await importCsv(db, { kind: 'customers', input: bytes(CUSTOMERS, 4096), dryRun: false });
    expect(real).toMatchObject({ dryRun: false, rows: 7, accepted: 4, rejected: 3, customersCreated: 3, customersUpdated: 1, errorCount: 4, errors: CUSTOMER_ERRORS });
    const rows = await allCustomers(handle);
    expect(rows.map((c) => [c.firstName, c.lastName, c.locale, c.birthDate, c.attributes])).toEqual(
      expect.arrayContaining([
        // Line 7 named the same customer by email (in another case): it added M-2 and changed the tier.
        ['娜', '李', 'zh-CN', '1958-04-02', { tier: 'platinum' }],
        ['Ann', 'Lee', 'en-US', null, { tier: 'silver', note: 'likes calls, not texts\nafter 6pm' }],
        ['Last', 'Row', 'en-US', null, {}],
      ]),
    );
    expect(rows).toHaveLength(3);
    const liNa = rows.find((c) => c.firstName === '娜')!;
    expect(await identitiesOf(handle, liNa.id)).toEqual(['email:li.na@example.cn', 'member:M-2', 'phone:+8613900001111']);
    // Nothing of the rejected rows.
    expect(await db.select().from(customerIdentities).where(eq(customerIdentities.value, 'bad@example.com'))).toEqual([]);
    expect(await db.select().from(customerIdentities).where(eq(customerIdentities.value, 'M-3'))).toEqual([]);

    // The same file again: the same customers, updated, no duplicates.
    const again = await importCsv(db, { kind: 'customers', input: bytes(CUSTOMERS, 4096), dryRun: false });
    expect(again).toMatchObject({ accepted: 4, rejected: 3, customersCreated: 0, customersUpdated: 4 });
    expect(await db.select().from(customers)).toHaveLength(3);
    expect(await db.select().from(customerIdentities)).toHaveLength(6);

    // Identities of two customers in one row: refused, not merged; a dry run says the same.
    const conflict = 'member_id,email,first_name\nM-1,li.na@example.cn,Merged?\nM-9,,New';
    for (const dryRun of [true, false]) {
      const result = await importCsv(db, { kind: 'customers', input: bytes(conflict), dryRun });
      expect(result).toMatchObject({ accepted: 1, rejected: 1, customersCreated: 1, customersUpdated: 0 });
      expect(result.errors).toEqual([{ line: 2, column: 'email', reason: 'email "li.na@example.cn" belongs to another customer than member_id "M-1": merge them first' }]);
    }
    expect((await allCustomers(handle)).map((c) => c.firstName)).not.toContain('Merged?');
    expect(await db.select().from(customers)).toHaveLength(4);
  });

  it('refuses a file whose header is wrong before reading a row', async () => {
    const handle = await fresh();
    const refused = (text: string, kind: 'customers' | 'orders' = 'customers') => importCsv(handle.db, { kind, input: bytes(text), dryRun: false });
    await expect(refused('phone,e-mail,tier\n+15005550001,a@b.c,gold')).rejects.toThrow(
      new CsvFileError(
        'The header (line 1) is not valid: unknown columns "e-mail", "tier": the accepted columns are phone, email, member_id, first_name, last_name, locale, birth_date and attr.<key> for an attribute (e.g. attr.tier).',
      ),
    );
    await expect(refused('first_name\nAnn')).rejects.toThrow('no identity column: name at least one of phone, email, member_id');
    await expect(refused('phone,phone,attr.my key\n')).rejects.toThrow('"attr.my key": an attribute name is 1 to 64 letters, digits, _ or -; "phone" appears more than once');
    await expect(refused('')).rejects.toThrow('The file is empty');
    await expect(refused('order_id,member_id\nx,M-1', 'orders')).rejects.toThrow('missing columns amount, placed_at');
    await expect(refused('order_id,member_id,amount,placed_at,first_name\n', 'orders')).rejects.toThrow(
      'unknown column "first_name": the accepted columns are order_id, phone, email, member_id, amount, currency, placed_at, status',
    );
    expect(await handle.db.select().from(customers)).toEqual([]);
  });

  it('imports orders for known customers by their id, refuses unknown customers, and stays idempotent', async () => {
    const handle = await fresh();
    const { db } = handle;
    await importCsv(db, { kind: 'customers', input: bytes(CUSTOMERS), dryRun: false });

    const dry = await importCsv(db, { kind: 'orders', input: bytes(ORDERS), dryRun: true });
    expect(dry).toMatchObject({ rows: 7, accepted: 3, rejected: 4, ordersCreated: 2, ordersUpdated: 1, errorCount: 5, errors: ORDER_ERRORS });
    expect(await db.select().from(orders)).toEqual([]);

    const real = await importCsv(db, { kind: 'orders', input: bytes(ORDERS), dryRun: false });
    expect(real).toMatchObject({ rows: 7, accepted: 3, rejected: 4, ordersCreated: 2, ordersUpdated: 1, errors: ORDER_ERRORS });
    const stored = await db.select().from(orders).orderBy(asc(orders.externalId));
    const ann = firstRow(await db.select().from(customers).where(eq(customers.firstName, 'Ann')), 'Ann');
    const liNa = firstRow(await db.select().from(customers).where(eq(customers.firstName, '娜')), '娜');
    expect(stored.map((o) => [o.externalId, o.customerId, o.amount, o.currency, o.status, o.placedAt.toISOString()])).toEqual([
      // The later row of erp-1 wins.
      ['erp-1', ann.id, 3100, 'CNY', 'placed', '2026-01-05T10:00:00.000Z'],
      // No zone: UTC, whatever the server's zone.
      ['erp-2', liNa.id, 2200.5, 'USD', 'paid', '2026-01-06T08:30:00.000Z'],
    ]);
    const again = await importCsv(db, { kind: 'orders', input: bytes(ORDERS), dryRun: false });
    expect(again).toMatchObject({ accepted: 3, ordersCreated: 0, ordersUpdated: 3 });
    expect(await db.select().from(orders)).toHaveLength(2);
  });

  it('keeps the first errors and counts them all, and stops at the body limit', async () => {
    const handle = await fresh();
    const text = ['phone', ...Array.from({ length: 30 }, (_, i) => `bad-${i}`)].join('\n');
    const result = await importCsv(handle.db, { kind: 'customers', input: bytes(text, 50), dryRun: false, maxErrors: 10, batchSize: 8 });
    expect(result).toMatchObject({ rows: 30, accepted: 0, rejected: 30, errorCount: 30 });
    expect(result.errors).toHaveLength(10);
    expect(result.errors[9]).toEqual({ line: 11, column: 'phone', reason: 'phone "bad-9" is not in E.164 form (e.g. +8613812345678)' });
    await expect(importCsv(handle.db, { kind: 'customers', input: limitBytes(bytes(CUSTOMERS, 16), 64), dryRun: false })).rejects.toThrow(BodyTooLargeError);
  });

  it('streams a 20,000-row file in batches with progress', async () => {
    const handle = await fresh();
    await seedTagRules(handle.db);
    const total = 20_000;
    async function* generated() {
      yield 'phone,member_id,first_name,locale,birth_date,attr.tier\n';
      let chunk = '';
      for (let i = 0; i < total; i++) {
        chunk += `+1500${String(5_000_000 + i).padStart(7, '0')},M-${i},"Customer ${i}",${i % 2 ? 'zh-CN' : 'en-US'},19${50 + (i % 50)}-01-0${1 + (i % 9)},${i % 3 ? 'gold' : 'silver'}\n`;
        if (chunk.length > 64_000) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    }
    const progress: ImportProgress[] = [];
    const started = performance.now();
    const result = await importCsv(handle.db, { kind: 'customers', input: generated(), dryRun: false, onProgress: (p) => progress.push(p) });
    const seconds = (performance.now() - started) / 1000;
    console.log(`[import] ${total.toLocaleString('en-US')} customer rows on ${handle.kind}: ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)`);
    expect(result).toMatchObject({ rows: total, accepted: total, rejected: 0, customersCreated: total });
    expect(progress).toHaveLength(40);
    expect(progress.map((p) => p.rows)).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 500));
    expect(progress.at(-1)!.bytes).toBe(result.bytes);
    expect(await handle.db.$count(customers)).toBe(total);
    expect(await handle.db.$count(customerIdentities)).toBe(2 * total);
  });
});

describe.each(testDatabases())('POST /api/customers/import on $name', ({ open }) => {
  const app = 'http://localhost:3000';
  const global = globalThis as unknown as { switchboardDb?: Promise<DbHandle>; switchboardAuth?: Promise<unknown> };
  const saved = { db: global.switchboardDb, auth: global.switchboardAuth };
  let handle: DbHandle;
  let key: string;

  beforeAll(async () => {
    handle = await open();
    // The route reaches the process-wide database and auth: point them at the test database.
    global.switchboardDb = Promise.resolve(handle);
    global.switchboardAuth = Promise.resolve(createAuth(handle.db));
    await seedLocalUsers(handle.db, { production: false, local: true });
    const dev = firstRow(await handle.db.select().from(users).where(eq(users.email, 'developer@switchboard.local')), 'developer');
    const caller = createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: dev.id, name: dev.name, email: dev.email, role: 'developer', via: 'session' } });
    key = (await caller.apiKeys.create({ name: 'erp', role: 'developer' })).key;
  });
  afterAll(async () => {
    global.switchboardDb = saved.db;
    global.switchboardAuth = saved.auth;
    await handle?.close();
  });

  const post = (query: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }) =>
    POST(new Request(`${app}/api/customers/import?${query}`, { method: 'POST', headers, body }));
  const lines = async (response: Response) =>
    (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('streams progress, errors and a summary as NDJSON, and audits a real import', async () => {
    const dry = await post('kind=customers&dryRun=1', CUSTOMERS);
    expect(dry.status).toBe(200);
    expect(dry.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const dryLines = await lines(dry);
    expect(dryLines.filter((l) => l.type === 'error')).toEqual(CUSTOMER_ERRORS.map((e) => ({ type: 'error', ...e })));
    expect(dryLines.filter((l) => l.type === 'progress')).toEqual([{ type: 'progress', rows: 7, accepted: 4, rejected: 3, bytes: new TextEncoder().encode(CUSTOMERS).length }]);
    expect(dryLines.at(-1)).toMatchObject({ type: 'done', dryRun: true, rows: 7, accepted: 4, rejected: 3, customersCreated: 3, customersUpdated: 1, errorCount: 4 });
    expect(dryLines.at(-1)).not.toHaveProperty('errors');
    expect(await handle.db.select().from(customers)).toEqual([]);
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'customer.import'))).toEqual([]);

    const real = await lines(await post('kind=customers', CUSTOMERS));
    expect(real.at(-1)).toMatchObject({ type: 'done', dryRun: false, customersCreated: 3, customersUpdated: 1 });
    expect(await handle.db.select().from(customers)).toHaveLength(3);
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'customer.import'));
    expect(audit).toMatchObject({ via: 'apiKey', actorEmail: 'developer@switchboard.local', targetType: 'import', targetId: 'customers', details: { kind: 'customers', rows: 7, accepted: 4, rejected: 3, customersCreated: 3, customersUpdated: 1 } });

    const ordered = await lines(await post('kind=orders', ORDERS));
    expect(ordered.at(-1)).toMatchObject({ type: 'done', ordersCreated: 2, ordersUpdated: 1, rejected: 4 });
  });

  it('answers while the file is still coming in', async () => {
    const encoder = new TextEncoder();
    let upload!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        upload = controller;
      },
    });
    upload.enqueue(encoder.encode(`member_id,first_name\n${Array.from({ length: 600 }, (_, i) => `S-${i},Streamed`).join('\n')}\n`));
    const response = await POST(new Request(`${app}/api/customers/import?kind=customers`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    // The first batch is imported and reported before the rest of the file is even sent.
    const first = await reader.read();
    expect(JSON.parse(first.value!.split('\n')[0]!)).toEqual({ type: 'progress', rows: 500, accepted: 500, rejected: 0, bytes: expect.any(Number) });
    upload.enqueue(encoder.encode('S-600,Streamed\n'));
    upload.close();
    let rest = first.value!;
    for (let read = await reader.read(); !read.done; read = await reader.read()) rest += read.value;
    expect(JSON.parse(rest.trim().split('\n').at(-1)!)).toMatchObject({ type: 'done', rows: 601, accepted: 601, customersCreated: 601 });
    expect(await handle.db.$count(customers, eq(customers.firstName, 'Streamed'))).toBe(601);
  });

  it('answers a whole-file problem with 4xx JSON before any row', async () => {
    const badHeader = await post('kind=customers', 'phone,nickname\n+15005550009,Bob');
    expect(badHeader.status).toBe(400);
    expect(await badHeader.json()).toEqual({ error: expect.stringContaining('unknown column "nickname": the accepted columns are phone, email, member_id') });
    expect((await post('kind=people', CUSTOMERS)).status).toBe(400);
    const wrongType = await post('kind=customers', CUSTOMERS, { authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    expect(wrongType.status).toBe(415);
    expect(await wrongType.json()).toEqual({ error: 'Send the file as CSV (Content-Type: text/csv), not application/json.' });
    expect((await post('kind=customers', CUSTOMERS, { 'content-type': 'text/csv' })).status).toBe(401);
    const tooBig = await post('kind=customers', CUSTOMERS, { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'content-length': String(201 * 1024 * 1024) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await handle.db.select().from(customerIdentities).where(eq(customerIdentities.value, '+15005550009'))).toEqual([]);
  });
});
