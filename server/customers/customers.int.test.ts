import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type DbHandle } from '@/db/client';
import { auditLog, customerIdentities, customers, handoffs, interactions, interactionSteps, messages } from '@/db/schema';
import { demoCustomers, seed } from '@/server/demo/seed';
import { testDatabases } from '@/db/testing';
import { can, ROLES, type Role } from '@/server/auth/permissions';
import { decrypt } from '@/server/privacy/crypto';
import { containsContactData } from '@/server/privacy/mask';
import { createCaller } from '@/server/routers/_app';
import { exportForViewer } from '@/server/privacy/protect';
import { exportCustomer, setSensitiveProfile } from './service';
import { firstRow } from '@/db/rows';

const PHONES = demoCustomers.map((c) => c.phone);
const EMAILS = demoCustomers.map((c) => c.email);

/** Every unmasked phone (in any common spelling) or email that appears anywhere in the JSON. */
function leaks(value: unknown): string[] {
  const json = JSON.stringify(value);
  const found = [...PHONES, ...PHONES.map((p) => p.slice(1)), ...PHONES.map((p) => p.replace(/^\+86/, '')), ...EMAILS].filter((s) => json.includes(s));
  if (containsContactData(json)) found.push('<contact-like text>');
  return found;
}

describe.each(testDatabases())('customer data protection on $name', ({ open }) => {
  let handle: DbHandle;
  let wangId: string;
  let interactionId: string;
  const as = (role: Role) =>
    createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: `${role}-1`, name: role, email: `${role}@switchboard.local`, role, via: 'session' } });

  beforeAll(async () => {
    handle = await open();
    const { db } = handle;
    await seed(db);
    const wang = firstRow(await db.select({ id: customerIdentities.customerId }).from(customerIdentities).where(eq(customerIdentities.value, '+8613812345678')), 'customerIdentities');
    wangId = wang.id;
    await setSensitiveProfile(db, wangId, { birthday: '1985-06-15', address: '上海市浦东新区世纪大道100号', nationalId: '310101198506150011' });
    const call = firstRow(
      await db
        .insert(interactions)
        .values({ channel: 'voice', workflowId: 'call:CA-test-1', externalId: 'CA-test-1', customerId: wangId, fromNumber: '+8613812345678', toNumber: '+15005550100', status: 'escalated', vars: { callback: '+8613812345678' } })
        .returning(),
      'insert into interactions',
    );
    interactionId = call.id;
    const now = new Date();
    await db.insert(interactionSteps).values([
      { interactionId, seq: 1, nodeId: 'menu', nodeType: 'ivr-menu', port: 'invalid', input: '请回拨 13812345678', startedAt: now, endedAt: now, durationMs: 5 },
      { interactionId, seq: 2, nodeId: 'menu', nodeType: 'ivr-menu', port: '1', input: '1', startedAt: now, endedAt: now, durationMs: 5 },
    ]);
    await db.insert(messages).values([
      { interactionId, customerId: wangId, direction: 'inbound', fromNumber: '+8613812345678', toNumber: '+15005550100', body: '我的邮箱是 wangwei@example.cn', status: 'received' },
      { interactionId, customerId: wangId, direction: 'outbound', fromNumber: '+15005550100', toNumber: '+8613812345678', body: 'We will call +8613812345678 back', status: 'sent' },
    ]);
    await db.insert(handoffs).values({ interactionId, customerId: wangId, idempotencyKey: 'h-1', skill: 'billing', reqSkill: 'billing', priority: 80, summary: 'Caller 13812345678 upset about bill', reason: 'angry' });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('stores sensitive fields only as AES-256-GCM ciphertext', async () => {
    const row = firstRow(await queryRows<{ sensitive: string }>(handle.db, sql`select sensitive from customers where id = ${wangId}`), 'select sensitive from customers');
    expect(row.sensitive).toMatch(/^v1\./);
    expect(row.sensitive).not.toContain('1985');
    expect(row.sensitive).not.toContain('上海');
    expect(JSON.parse(decrypt(row.sensitive))).toMatchObject({ birthday: '1985-06-15', nationalId: '310101198506150011' });
    const tampered = row.sensitive.slice(0, -2) + (row.sensitive.endsWith('A') ? 'BB' : 'AA');
    expect(() => decrypt(tampered)).toThrow();
    expect(() => decrypt(row.sensitive, 'ab'.repeat(32))).toThrow();
  });

  it.each(ROLES.filter((r) => can(r, 'customers.read') && !can(r, 'customers.unmask')))('never sends an unmasked phone or email to a %s', async (role) => {
    const caller = as(role);
    const list = await caller.customers.list();
    expect(list.rows).toHaveLength(demoCustomers.length);
    expect(list.total).toBe(demoCustomers.length);
    expect(leaks(list)).toEqual([]);
    const detail = await caller.customers.get({ id: wangId });
    expect(detail.identities).toEqual(expect.arrayContaining([{ kind: 'phone', value: '+86 138****5678' }, { kind: 'email', value: 'w***i@example.cn' }]));
    expect(detail.messages).toHaveLength(2);
    expect(detail.sensitiveFields.sort()).toEqual(['address', 'birthday', 'nationalId']);
    expect(leaks(detail)).toEqual([]);
    expect(JSON.stringify(detail)).not.toContain('1985-06-15');
    const searched = await caller.customers.list({ search: '+8613812345678' });
    expect(searched.rows).toHaveLength(1);
    expect(leaks(searched)).toEqual([]);
  });

  it('shows unmasked contact details to roles with customers.unmask, and reveals sensitive fields only through the audited unmask', async () => {
    const agent = as('agent');
    const detail = await agent.customers.get({ id: wangId });
    expect(detail.identities).toEqual(expect.arrayContaining([{ kind: 'phone', value: '+8613812345678' }]));
    expect(JSON.stringify(detail)).not.toContain('1985-06-15');
    const revealed = await agent.customers.unmask({ id: wangId, reason: 'call back' });
    expect(revealed.sensitive).toMatchObject({ birthday: '1985-06-15', address: '上海市浦东新区世纪大道100号' });
    await expect(as('designer').customers.unmask({ id: wangId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'customer.unmask'));
    expect(audit).toMatchObject({ actorId: 'agent-1', actorRole: 'agent', targetType: 'customer', targetId: wangId, details: { reason: 'call back' } });
    expect(JSON.stringify(audit)).not.toContain('13812345678');
  });

  it('exports everything we hold, unmasked for an admin and audited', async () => {
    const exported = await as('admin').customers.export({ id: wangId });
    expect(exported.profile).toMatchObject({ firstName: '伟', lastName: '王' });
    expect(exported.sensitive).toMatchObject({ nationalId: '310101198506150011' });
    expect(exported.identities.map((i) => i.value).sort()).toEqual(['+8613812345678', 'M-1003', 'wangwei@example.cn']);
    expect(exported.tags.map((t) => t.tag).sort()).toEqual(['complaint-risk', 'prefers-chinese']);
    expect(exported.interactions).toHaveLength(1);
    expect(exported.interactions[0]?.steps.map((s) => s.input)).toEqual(['请回拨 13812345678', '1']);
    expect(exported.messages.map((m) => m.body)).toEqual(expect.arrayContaining(['我的邮箱是 wangwei@example.cn']));
    expect(exported.handoffs[0]?.summary).toContain('13812345678');
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'customer.export'));
    expect(rows).toEqual([expect.objectContaining({ actorRole: 'admin', targetId: wangId, details: { masked: false } })]);
  });

  it('erases a customer but keeps anonymous interactions for analytics', async () => {
    await expect(as('manager').customers.erase({ id: wangId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const counts = await as('admin').customers.erase({ id: wangId });
    expect(counts).toEqual({ messages: 2, interactions: 1, steps: 2, handoffs: 1 });
    const { db } = handle;
    expect(await db.select().from(customers).where(eq(customers.id, wangId))).toEqual([]);
    expect(await db.select().from(customerIdentities).where(eq(customerIdentities.customerId, wangId))).toEqual([]);
    expect(await db.select().from(messages).where(eq(messages.interactionId, interactionId))).toEqual([]);
    const [call] = await db.select().from(interactions).where(eq(interactions.id, interactionId));
    expect(call).toMatchObject({ customerId: null, fromNumber: 'erased', toNumber: '+15005550100', status: 'escalated', vars: {}, channel: 'voice' });
    const steps = await db.select().from(interactionSteps).where(eq(interactionSteps.interactionId, interactionId));
    expect(steps.map((s) => [s.seq, s.port, s.input])).toEqual([
      [1, 'invalid', null],
      [2, '1', null],
    ]);
    const [handoff] = await db.select().from(handoffs).where(eq(handoffs.interactionId, interactionId));
    expect(handoff).toMatchObject({ customerId: null, summary: '', reason: '', skill: 'billing' });
    const dump = JSON.stringify(await queryRows(db, sql`select row_to_json(t) from (select * from interactions union all select * from interactions) t`));
    expect(dump).not.toContain('13812345678');
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'customer.erase'));
    expect(audit).toMatchObject({ actorRole: 'admin', targetId: wangId, details: counts });
    await expect(as('admin').customers.get({ id: wangId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('masks exports for a masked role', async () => {
    const alice = firstRow(await handle.db.select({ id: customerIdentities.customerId }).from(customerIdentities).where(eq(customerIdentities.value, '+15005550001')), 'customerIdentities');
    await setSensitiveProfile(handle.db, alice.id, { birthday: '1990-01-02' });
    const data = await exportCustomer(handle.db, alice.id);
    expect(leaks(data)).not.toEqual([]);
    const masked = exportForViewer({ role: 'manager' }, data);
    expect(leaks(masked)).toEqual([]);
    expect(masked.sensitive).toEqual({ birthday: '***' });
    expect(masked.identities).toEqual(expect.arrayContaining([{ kind: 'phone', value: '+1 500***0001' }]));
    expect(exportForViewer({ role: 'admin' }, data)).toBe(data);
  });
});
