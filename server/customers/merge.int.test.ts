import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, type DbHandle, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';
import { auditLog, customerEvents, customerIdentities, customerMerges, customers, customerTags, handoffs, interactions, messages, orders, tagChanges } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { containsContactData } from '@/server/privacy/mask';
import { createCaller } from '@/server/routers/_app';
import type { Role } from '@/server/auth/permissions';
import { MergeError, mergeCustomers, mergeSuggestions, mergesOf, previewMerge, undoMerge } from './merge';
import { getCustomer, listCustomers, setSensitiveProfile } from './service';

const actor = { userId: 'admin-1', email: 'admin@switchboard.local', role: 'admin' };

async function customer(db: Db, values: Partial<typeof customers.$inferInsert>, identities: { kind: 'phone' | 'email' | 'member'; value: string }[] = []) {
  const row = firstRow(await db.insert(customers).values(values).returning(), 'insert into customers');
  if (identities.length) await db.insert(customerIdentities).values(identities.map((i) => ({ customerId: row.id, ...i })));
  return row.id;
}

/**
 * Every row of these customers in every table a merge touches, as Postgres renders it (to the
 * microsecond). `updated_at` is left out: a merge and its undo are changes, and say when.
 */
async function snapshot(db: Db, ids: string[]) {
  const list = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = (query: ReturnType<typeof sql>) => queryRows<{ r: unknown }>(db, query).then((found) => found.map((f) => f.r));
  return {
    customers: await rows(sql`select to_jsonb(t) - 'updated_at' as r from customers t where id in (${list}) order by id`),
    identities: await rows(sql`select to_jsonb(t) as r from customer_identities t where customer_id in (${list}) order by id`),
    tags: await rows(sql`select to_jsonb(t) as r from customer_tags t where customer_id in (${list}) order by customer_id, tag`),
    interactions: await rows(sql`select to_jsonb(t) as r from interactions t where customer_id in (${list}) order by id`),
    messages: await rows(sql`select to_jsonb(t) as r from messages t where customer_id in (${list}) order by id`),
    handoffs: await rows(sql`select to_jsonb(t) as r from handoffs t where customer_id in (${list}) or contact_customer_id in (${list}) order by id`),
    orders: await rows(sql`select to_jsonb(t) as r from orders t where customer_id in (${list}) order by id`),
    events: await rows(sql`select to_jsonb(t) as r from customer_events t where customer_id in (${list}) order by id`),
    tagChanges: await rows(sql`select to_jsonb(t) as r from tag_changes t where customer_id in (${list}) order by id`),
  };
}

describe.each(testDatabases())('merging duplicate customers on $name', ({ open }) => {
  let handle: DbHandle;
  let db: Db;
  let wang: string;
  let duplicate: string;
  let stranger: string;
  let swapped: string;
  let memberTwin: string;
  let duplicateCall: string;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let mergeId: string;
  const as = (role: Role) => createCaller({ headers: new Headers(), db: async () => db, viewer: { userId: `${role}-1`, name: role, email: `${role}@switchboard.local`, role, via: 'session' } });

  beforeAll(async () => {
    handle = await open();
    db = handle.db;
    const future = new Date(Date.now() + 30 * 86_400_000);
    wang = await customer(db, { firstName: 'Wei', lastName: 'Wang', locale: 'zh-CN', valueScore: 0.7, behaviourScore: 0.8, attributes: { tier: 'gold' } }, [
      { kind: 'phone', value: '+8613812345678' },
      { kind: 'email', value: 'wang.wei@example.cn' },
      { kind: 'member', value: 'M-1003' },
    ]);
    // The same person from an older import: the email in another case with a space, the number without +86.
    duplicate = await customer(db, { firstName: 'Wei', lastName: 'Wang', valueScore: 0.9, behaviourScore: 0.3, birthDate: '1958-04-02', attributes: { tier: 'silver', city: 'Shanghai' } }, [
      { kind: 'phone', value: '13812345678' },
      { kind: 'email', value: 'Wang.Wei@Example.CN ' },
    ]);
    stranger = await customer(db, { firstName: 'Alice', lastName: 'Chen' }, [
      { kind: 'phone', value: '+15005550001' },
      { kind: 'email', value: 'alice@example.com' },
      { kind: 'member', value: 'M-1001' },
    ]);
    swapped = await customer(db, { firstName: 'Wang', lastName: 'Wei' }, [{ kind: 'phone', value: '+8613900001111' }]);
    memberTwin = await customer(db, { firstName: 'Zhang', lastName: 'Min' }, [{ kind: 'member', value: 'm-1003' }]);
    await setSensitiveProfile(db, wang, { birthday: '1958-04-02' });
    await setSensitiveProfile(db, duplicate, { address: '上海市浦东新区世纪大道100号' });

    await db.insert(customerTags).values([
      { customerId: wang, tag: 'vip', source: 'manual' },
      { customerId: wang, tag: 'prefers-chinese', source: 'flow' },
      { customerId: duplicate, tag: 'prefers-chinese', source: 'import' },
      { customerId: duplicate, tag: 'complaint-risk', source: 'rule', facts: { facts: [] }, expiresAt: future },
    ]);
    await db.insert(tagChanges).values([
      { customerId: duplicate, tag: 'complaint-risk', change: 'added', source: 'rule' },
      { customerId: wang, tag: 'vip', change: 'added', source: 'manual' },
    ]);
    const [call, text] = await db
      .insert(interactions)
      .values([
        { channel: 'voice', workflowId: 'call:CA-merge-1', externalId: 'CA-merge-1', customerId: duplicate, fromNumber: '13812345678', toNumber: '+15005550100', status: 'escalated' },
        { channel: 'sms', workflowId: 'sms:merge-2', externalId: 'SM-merge-2', customerId: wang, fromNumber: '+8613812345678', toNumber: '+15005550100', status: 'completed' },
      ])
      .returning();
    duplicateCall = call!.id;
    await db.insert(messages).values([
      { interactionId: call!.id, customerId: duplicate, direction: 'inbound', fromNumber: '13812345678', toNumber: '+15005550100', body: '我的账单有问题', status: 'received', channel: 'voice' },
      { interactionId: text!.id, customerId: wang, direction: 'inbound', fromNumber: '+8613812345678', toNumber: '+15005550100', body: 'hello', status: 'received' },
    ]);
    await db.insert(handoffs).values({ interactionId: call!.id, customerId: duplicate, idempotencyKey: 'merge-h-1', skill: 'billing', reqSkill: 'billing', priority: 70 });
    await db.insert(orders).values({ customerId: duplicate, externalId: 'erp-merge-1', amount: 3000, currency: 'CNY', placedAt: new Date('2026-11-20T10:00:00Z') });
    await db.insert(customerEvents).values({ customerId: duplicate, kind: 'account-risk', data: { score: 0.93 } });
    before = await snapshot(db, [wang, duplicate]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('suggests the duplicate by an email in another case and a number written differently, never a stranger', async () => {
    const suggestions = await mergeSuggestions(db, wang);
    const ids = suggestions.map((s) => s.id);
    expect(ids).not.toContain(stranger);
    expect(ids).not.toContain(wang);
    expect(ids[0]).toBe(duplicate);
    const dup = suggestions[0]!;
    expect(dup.reasons).toEqual(
      expect.arrayContaining([
        { kind: 'email', value: 'Wang.Wei@Example.CN ' },
        { kind: 'phone', value: '13812345678' },
        { kind: 'name', similarity: 1 },
      ]),
    );
    expect(dup.confidence).toBe(0.99);
    // The member id in lower case, and the same name in the other order, on their own.
    expect(suggestions.find((s) => s.id === memberTwin)).toMatchObject({ reasons: [{ kind: 'member', value: 'm-1003' }], confidence: 0.9 });
    const byName = suggestions.find((s) => s.id === swapped);
    expect(byName?.reasons).toEqual([{ kind: 'name', similarity: 1 }]);
    expect(byName?.confidence).toBe(0.5);
    expect(suggestions.map((s) => s.confidence)).toEqual([...suggestions.map((s) => s.confidence)].sort((a, b) => b - a));

    // From the other side: the phone alone (written differently) is strong evidence.
    const other = await mergeSuggestions(db, duplicate);
    expect(other.find((s) => s.id === wang)?.reasons).toEqual(expect.arrayContaining([{ kind: 'phone', value: '+8613812345678' }]));
    const phoneOnly = await customer(db, {}, [{ kind: 'phone', value: '+86 139 0000 1111' }]);
    expect(await mergeSuggestions(db, phoneOnly)).toEqual([{ id: swapped, firstName: 'Wang', lastName: 'Wei', reasons: [{ kind: 'phone', value: '+8613900001111' }], confidence: 0.9 }]);
    expect(await mergeSuggestions(db, stranger)).toEqual([]);
  });

  it('masks the matched identities for roles without unmask', async () => {
    const suggestions = await as('manager').customers.mergeSuggestions({ id: wang });
    expect(JSON.stringify(suggestions)).not.toContain('13812345678');
    expect(JSON.stringify(suggestions)).not.toContain('Wang.Wei@');
    const preview = await as('manager').customers.previewMerge({ survivorId: wang, absorbedId: duplicate });
    expect(JSON.stringify(preview)).not.toContain('13812345678');
  });

  it('refuses to merge a customer with itself, and merging needs customers.merge', async () => {
    await expect(previewMerge(db, { survivorId: wang, absorbedId: wang })).rejects.toThrow(MergeError);
    await expect(mergeCustomers(db, { survivorId: wang, absorbedId: wang, actor })).rejects.toThrow('cannot be merged with itself');
    await expect(as('admin').customers.merge({ survivorId: wang, absorbedId: wang })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(as('agent').customers.merge({ survivorId: wang, absorbedId: duplicate })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.select().from(customerMerges)).toEqual([]);
  });

  it('previews exactly what the merge then does, and the merge moves every row to the survivor', async () => {
    const preview = await previewMerge(db, { survivorId: wang, absorbedId: duplicate });
    expect(preview.result).toMatchObject({
      firstName: 'Wei',
      lastName: 'Wang',
      valueScore: expect.closeTo(0.9, 5),
      behaviourScore: expect.closeTo(0.8, 5),
      attributes: { tier: 'gold', city: 'Shanghai' },
      sensitiveFields: ['address', 'birthday'],
    });
    expect(preview.result.tags).toEqual([
      { tag: 'complaint-risk', from: 'absorbed' },
      { tag: 'prefers-chinese', from: 'both' },
      { tag: 'vip', from: 'survivor' },
    ]);
    expect(preview.counts).toEqual({ identities: 2, interactions: 1, messages: 1, handoffs: 1, orders: 1, events: 1, tagChanges: 1, tags: 1 });
    expect(preview.blocked).toBeNull();
    // Nothing written by a preview.
    expect(await snapshot(db, [wang, duplicate])).toEqual(before);

    const merged = await as('admin').customers.merge({ survivorId: wang, absorbedId: duplicate });
    mergeId = merged.mergeId;
    expect(merged.counts).toEqual(preview.counts);

    const profile = await getCustomer(db, wang);
    const r = preview.result;
    expect({ firstName: profile.firstName, lastName: profile.lastName, valueScore: profile.valueScore, behaviourScore: profile.behaviourScore, attributes: profile.attributes }).toEqual({
      firstName: r.firstName,
      lastName: r.lastName,
      valueScore: r.valueScore,
      behaviourScore: r.behaviourScore,
      attributes: r.attributes,
    });
    expect(profile.tags).toEqual(r.tags.map((t) => t.tag));
    expect(profile.sensitiveFields.sort()).toEqual(r.sensitiveFields);
    expect([...profile.identities].sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value))).toEqual(r.identities);
    // The survivor keeps its own row of a tag both had.
    expect(profile.tagDetails.find((t) => t.tag === 'prefers-chinese')?.source).toBe('flow');

    // One timeline: the duplicate's call, its message, handoff, order and event are the survivor's now.
    expect(profile.interactions.map((i) => i.id)).toContain(duplicateCall);
    expect(profile.interactions).toHaveLength(2);
    expect(profile.messages.map((m) => m.body).sort()).toEqual(['hello', '我的账单有问题']);
    expect(profile.handoffs).toHaveLength(1);
    expect(profile.orders.map((o) => o.externalId)).toEqual(['erp-merge-1']);
    expect(profile.tagHistory.map((h) => h.tag).sort()).toEqual(['complaint-risk', 'vip']);
    const [handoff] = await db.select().from(handoffs).where(eq(handoffs.idempotencyKey, 'merge-h-1'));
    expect(handoff).toMatchObject({ customerId: wang, contactCustomerId: wang });
    expect(await db.select().from(customerEvents).where(eq(customerEvents.customerId, duplicate))).toEqual([]);
    expect(await db.select().from(customerTags).where(eq(customerTags.customerId, duplicate))).toEqual([]);

    // The next call from the number the duplicate had finds the survivor.
    const [lookup] = await db
      .select({ customerId: customerIdentities.customerId })
      .from(customerIdentities)
      .where(and(eq(customerIdentities.kind, 'phone'), eq(customerIdentities.value, '13812345678')));
    expect(lookup?.customerId).toBe(wang);

    // The duplicate is a tombstone: out of the list and the suggestions, and says where it went.
    const tomb = await getCustomer(db, duplicate);
    expect(tomb.mergedInto).toEqual({ id: wang, firstName: 'Wei', lastName: 'Wang' });
    expect((await listCustomers(db, { search: 'Wang' })).rows.map((c) => c.id)).not.toContain(duplicate);
    expect((await mergeSuggestions(db, wang)).map((s) => s.id)).not.toContain(duplicate);
    await expect(mergeCustomers(db, { survivorId: stranger, absorbedId: duplicate, actor })).rejects.toThrow(/already merged/);
    await expect(mergeCustomers(db, { survivorId: duplicate, absorbedId: stranger, actor })).rejects.toThrow(MergeError);

    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'customer.merge'));
    expect(audit).toMatchObject({ actorRole: 'admin', targetType: 'customer', targetId: wang, details: { mergeId, absorbedId: duplicate, counts: preview.counts } });
    expect(containsContactData(JSON.stringify(audit?.details))).toBe(false);
    expect(await mergesOf(db, wang)).toEqual([expect.objectContaining({ id: mergeId, absorbedId: duplicate, firstName: 'Wei', mergedBy: 'admin@switchboard.local', undoneAt: null, counts: preview.counts })]);
  });

  it('undoes the merge exactly, once', async () => {
    // A row the survivor gets after the merge stays the survivor's.
    const later = firstRow(await db.insert(orders).values({ customerId: wang, externalId: 'erp-merge-later', amount: 5, placedAt: new Date() }).returning(), 'insert into orders');
    const undone = await as('manager').customers.undoMerge({ mergeId });
    expect(undone.counts).toEqual({ identities: 2, interactions: 1, messages: 1, handoffs: 1, orders: 1, events: 1, tagChanges: 1, tags: 1 });
    await db.delete(orders).where(eq(orders.id, later.id));
    expect(await snapshot(db, [wang, duplicate])).toEqual(before);
    expect((await getCustomer(db, duplicate)).mergedInto).toBeNull();
    expect((await listCustomers(db, { search: 'Wang' })).rows.map((c) => c.id)).toContain(duplicate);

    const [merge] = await db.select().from(customerMerges).where(eq(customerMerges.id, mergeId));
    expect(merge?.undoneAt).toBeInstanceOf(Date);
    expect(merge?.undoneBy).toBe('manager@switchboard.local');
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'customer.unmerge'));
    expect(audit).toMatchObject({ actorRole: 'manager', targetId: wang, details: { mergeId, absorbedId: duplicate } });

    await expect(undoMerge(db, { mergeId, actor })).rejects.toThrow(/already undone/);
    await expect(as('admin').customers.undoMerge({ mergeId })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(as('admin').customers.undoMerge({ mergeId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fills an empty name from the absorbed profile, and restores only what nobody changed since', async () => {
    const caller = await customer(db, {}, [{ kind: 'phone', value: '+15550001111' }]);
    const named = await customer(db, { firstName: 'Bob', lastName: 'Miller', attributes: { plan: 'pro' } }, [{ kind: 'email', value: 'bob@example.com' }]);
    const preview = await previewMerge(db, { survivorId: caller, absorbedId: named });
    expect(preview.result).toMatchObject({ firstName: 'Bob', lastName: 'Miller', attributes: { plan: 'pro' } });
    const { mergeId: id } = await mergeCustomers(db, { survivorId: caller, absorbedId: named, actor });
    expect(await db.select({ firstName: customers.firstName }).from(customers).where(eq(customers.id, caller))).toEqual([{ firstName: 'Bob' }]);
    // Someone corrects the last name after the merge: undo keeps the correction.
    await db.update(customers).set({ lastName: 'Müller' }).where(eq(customers.id, caller));
    await undoMerge(db, { mergeId: id, actor });
    const rows = await db.select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName, attributes: customers.attributes, mergedInto: customers.mergedInto }).from(customers).where(inArray(customers.id, [caller, named]));
    expect(rows.find((r) => r.id === caller)).toEqual({ id: caller, firstName: null, lastName: 'Müller', attributes: {}, mergedInto: null });
    expect(rows.find((r) => r.id === named)).toEqual({ id: named, firstName: 'Bob', lastName: 'Miller', attributes: { plan: 'pro' }, mergedInto: null });
    expect((await db.select().from(customerIdentities).where(eq(customerIdentities.customerId, named))).map((i) => i.value)).toEqual(['bob@example.com']);
  });

  it('waits for a call or conversation of the absorbed profile to end', async () => {
    const kept = await customer(db, { firstName: 'Lin' });
    const calling = await customer(db, { firstName: 'Lin' }, [{ kind: 'phone', value: '+8613700002222' }]);
    const [call] = await db
      .insert(interactions)
      .values({ channel: 'voice', workflowId: 'call:CA-merge-running', externalId: 'CA-merge-running', customerId: calling, fromNumber: '+8613700002222', toNumber: '+15005550100' })
      .returning();
    expect((await previewMerge(db, { survivorId: kept, absorbedId: calling })).blocked).toBe('running');
    await expect(mergeCustomers(db, { survivorId: kept, absorbedId: calling, actor })).rejects.toThrow(/call or conversation right now/);
    await db.update(interactions).set({ status: 'completed', endedAt: new Date() }).where(eq(interactions.id, call!.id));
    expect((await previewMerge(db, { survivorId: kept, absorbedId: calling })).blocked).toBeNull();
    await mergeCustomers(db, { survivorId: kept, absorbedId: calling, actor });
  });

  it('refuses to undo a merge into a profile that was itself merged away since', async () => {
    const a = await customer(db, { firstName: 'Ann' });
    const b = await customer(db, { firstName: 'Ann' });
    const c = await customer(db, { firstName: 'Ann' });
    const first = await mergeCustomers(db, { survivorId: a, absorbedId: b, actor });
    const second = await mergeCustomers(db, { survivorId: c, absorbedId: a, actor });
    await expect(undoMerge(db, { mergeId: first.mergeId, actor })).rejects.toThrow(/undo that merge first/);
    await undoMerge(db, { mergeId: second.mergeId, actor });
    await undoMerge(db, { mergeId: first.mergeId, actor });
    const rows = await db.select({ mergedInto: customers.mergedInto }).from(customers).where(inArray(customers.id, [a, b, c]));
    expect(rows.map((r) => r.mergedInto)).toEqual([null, null, null]);
  });
});
