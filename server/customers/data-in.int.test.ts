import { asc, eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DbHandle } from '@/db/client';
import { customerEvents, customerIdentities, customers, customerTags, orders } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import type { Role } from '@/server/auth/permissions';
import { createCaller } from '@/server/routers/_app';
import { seedTagRules } from '@/server/tags/service';

describe.each(testDatabases())('the data-in API on $name', ({ open }) => {
  const caller = (handle: DbHandle, role: Role) =>
    createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: `${role}-1`, name: role, email: `${role}@switchboard.local`, role, via: 'apiKey' } });

  it('upserts a customer by any identity, orders by their id and events, and the tag rules follow at once', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    await seedTagRules(db);
    const api = caller(handle, 'developer');

    const first = await api.customers.upsert({ identities: [{ kind: 'phone', value: '+8613900001111' }, { kind: 'email', value: 'Li.Na@Example.cn' }], firstName: '娜', lastName: '李', locale: 'zh-CN', attributes: { tier: 'gold', pets: 2 } });
    expect(first.created).toBe(true);
    // Known by the email (matched without case); the member id is added; attributes merge, null removes.
    const again = await api.customers.upsert({
      identities: [{ kind: 'email', value: 'li.na@example.cn' }, { kind: 'member', value: 'M-7' }],
      attributes: { pets: null, city: '上海' },
      preferences: { dialect: 'Shanghainese', slowSpeech: true, quietHours: { from: '21:00', to: '08:00', timeZone: 'Asia/Shanghai' } },
    });
    expect(again).toEqual({ id: first.id, created: false });
    const [row] = await db.select().from(customers).where(eq(customers.id, first.id));
    expect(row).toMatchObject({
      firstName: '娜',
      locale: 'zh-CN',
      attributes: { tier: 'gold', city: '上海' },
      preferences: { dialect: 'Shanghainese', slowSpeech: true, quietHours: { from: '21:00', to: '08:00', timeZone: 'Asia/Shanghai' } },
    });
    await expect(api.customers.upsert({ identities: [{ kind: 'member', value: 'M-7' }], preferences: { quietHours: { from: '25:00', to: '08:00', timeZone: 'Mars/Base' } } })).rejects.toThrow(/HH:MM[\s\S]*IANA time zone/);
    const identities = await db.select({ kind: customerIdentities.kind, value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.customerId, first.id)).orderBy(asc(customerIdentities.kind));
    expect(identities).toEqual([
      { kind: 'email', value: 'li.na@example.cn' },
      { kind: 'member', value: 'M-7' },
      { kind: 'phone', value: '+8613900001111' },
    ]);

    // 5,200 in the last year: high-value, with the sum as its reason. Sent twice: still two orders.
    const batch = {
      orders: [
        { externalId: 'erp-1', customer: { kind: 'member' as const, value: 'M-7' }, amount: 3000, currency: 'CNY', placedAt: new Date(Date.now() - 40 * 86_400_000).toISOString() },
        { externalId: 'erp-2', customer: { kind: 'phone' as const, value: '+8613900001111' }, amount: 2200, currency: 'CNY', placedAt: new Date(Date.now() - 86_400_000).toISOString() },
      ],
    };
    expect(await api.customers.upsertOrders(batch)).toEqual({ upserted: 2, customers: 1 });
    expect(await api.customers.upsertOrders(batch)).toEqual({ upserted: 2, customers: 1 });
    expect(await db.select().from(orders)).toHaveLength(2);
    const tagged = await db.select().from(customerTags).where(eq(customerTags.customerId, first.id));
    expect(tagged.map((t) => [t.tag, t.source, (t.facts as { facts: { value: number }[] }).facts[0]!.value])).toEqual([['high-value', 'rule', 5200]]);

    // The ERP corrects an order: below the threshold, the tag goes again.
    await api.customers.upsertOrders({ orders: [{ ...batch.orders[1]!, amount: 200 }] });
    expect(await db.select().from(customerTags).where(eq(customerTags.customerId, first.id))).toEqual([]);

    const event = await api.customers.postEvent({ customer: { kind: 'email', value: 'li.na@example.cn' }, kind: 'account-risk', data: { score: 0.93 } });
    expect(event.customerId).toBe(first.id);
    expect(await db.select({ kind: customerEvents.kind, data: customerEvents.data }).from(customerEvents)).toEqual([{ kind: 'account-risk', data: { score: 0.93 } }]);
  });

  it('explains what is wrong and writes nothing for bad input, unknown customers or roles that may not', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    const api = caller(handle, 'developer');
    await expect(api.customers.upsert({ identities: [{ kind: 'phone', value: '13900001111' }] })).rejects.toThrow(/13900001111.{0,4} is not in E\.164 form/);
    await expect(api.customers.upsert({ identities: [] })).rejects.toThrow('at least one identity');
    await expect(api.customers.postEvent({ customer: { kind: 'member', value: 'M-404' }, kind: 'purchase' })).rejects.toThrow('no customer has member M-404');
    await expect(api.customers.upsertOrders({ orders: [{ externalId: 'x', customer: { kind: 'member', value: 'M-404' }, amount: 1, placedAt: new Date().toISOString() }] })).rejects.toThrow('no customer has member M-404');
    await expect(caller(handle, 'manager').customers.upsert({ identities: [{ kind: 'member', value: 'M-1' }] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Two identities of two different customers: refused, not silently merged.
    await api.customers.upsert({ identities: [{ kind: 'member', value: 'A' }] });
    await api.customers.upsert({ identities: [{ kind: 'member', value: 'B' }] });
    await expect(api.customers.upsert({ identities: [{ kind: 'member', value: 'A' }, { kind: 'member', value: 'B' }] })).rejects.toThrow('belong to 2 different customers');
    expect(await db.select().from(customers)).toHaveLength(2);
    expect(await db.select().from(orders)).toEqual([]);
  });
});
