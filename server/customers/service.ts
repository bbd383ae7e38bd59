import 'server-only';
import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '@/db/client';
import { customerIdentities, customers, customerTags, handoffs, interactions, interactionSteps, messages, orders, TAG_CATEGORIES, tagChanges, tagInForce, tagRules, tags } from '@/db/schema';
import type { TagReason } from '@/server/tags/rules';
import { decryptProfile, encryptProfile, type SensitiveProfile } from '@/server/privacy/crypto';

export class CustomerNotFound extends Error {
  constructor(id: string) {
    super(`No customer ${id}.`);
  }
}

export type Identity = { kind: 'phone' | 'email' | 'member'; value: string };

async function identitiesOf(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, Identity[]>();
  const rows = await db
    .select({ customerId: customerIdentities.customerId, kind: customerIdentities.kind, value: customerIdentities.value })
    .from(customerIdentities)
    .where(inArray(customerIdentities.customerId, ids))
    .orderBy(asc(customerIdentities.kind), asc(customerIdentities.createdAt));
  const map = new Map<string, Identity[]>();
  for (const r of rows) map.set(r.customerId, [...(map.get(r.customerId) ?? []), { kind: r.kind, value: r.value }]);
  return map;
}

async function tagsOf(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, string[]>();
  const rows = await db.select().from(customerTags).where(and(inArray(customerTags.customerId, ids), tagInForce)).orderBy(asc(customerTags.tag));
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.customerId, [...(map.get(r.customerId) ?? []), r.tag]);
  return map;
}

/** Names of the sensitive fields a customer has, without their values. */
function sensitiveFieldNames(stored: string | null): string[] {
  return Object.entries(decryptProfile(stored))
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k]) => k);
}

export { TAG_CATEGORIES };
export const CUSTOMER_SORTS = ['name', 'created', 'value', 'behaviour'] as const;

/** The list's search, filters, sort and page (all answered by the database, see migration 0009). */
export const customerListInput = z.object({
  /** A name fragment, a phone number, email or member id (or part of one), or a tag. */
  search: z.string().trim().max(200).optional(),
  tag: z.string().trim().min(1).max(64).optional(),
  category: z.enum(TAG_CATEGORIES).optional(),
  minValue: z.number().min(0).max(1).optional(),
  maxValue: z.number().min(0).max(1).optional(),
  minBehaviour: z.number().min(0).max(1).optional(),
  maxBehaviour: z.number().min(0).max(1).optional(),
  sort: z.enum(CUSTOMER_SORTS).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  page: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(500).optional(),
  /** Older name of pageSize. */
  limit: z.number().int().min(1).max(500).optional(),
});
export type CustomerListInput = z.input<typeof customerListInput>;

/** Counting stops here: "10,000+" is as useful on a page as an exact count of a million, and far cheaper. */
export const COUNT_CAP = 10_000;

export async function listCustomers(db: Db, raw: CustomerListInput = {}) {
  const input = customerListInput.parse(raw);
  const pageSize = input.pageSize ?? input.limit ?? 50;
  const conditions: SQL[] = [];
  const search = input.search;
  if (search) {
    const like = `%${search.replace(/[%_\\]/g, '\\$&')}%`;
    // Each branch is served by its own index (trigram on names and identities, the tag index).
    conditions.push(sql`c.id in (
      select id from customers where (coalesce(first_name, '') || ' ' || coalesce(last_name, '')) ilike ${like}
      union select customer_id from customer_identities where value ilike ${like}
      union select customer_id from customer_tags where tag = ${search} and ${tagInForce})`);
  }
  if (input.tag) conditions.push(sql`exists (select 1 from customer_tags t where t.customer_id = c.id and t.tag = ${input.tag} and (t.expires_at is null or t.expires_at > now()))`);
  if (input.category)
    conditions.push(sql`exists (select 1 from customer_tags t join tags g on g.name = t.tag where t.customer_id = c.id and g.category = ${input.category} and (t.expires_at is null or t.expires_at > now()))`);
  // Bounds as the reals the scores are: one too small for a real (5e-324, found by the tRPC fuzzer) is 0.
  if (input.minValue !== undefined) conditions.push(sql`c.value_score >= ${Math.fround(input.minValue)}`);
  if (input.maxValue !== undefined) conditions.push(sql`c.value_score <= ${Math.fround(input.maxValue)}`);
  if (input.minBehaviour !== undefined) conditions.push(sql`c.behaviour_score >= ${Math.fround(input.minBehaviour)}`);
  if (input.maxBehaviour !== undefined) conditions.push(sql`c.behaviour_score <= ${Math.fround(input.maxBehaviour)}`);
  // Profiles merged into another are tombstones kept for undo (server/customers/merge.ts).
  conditions.push(sql`c.merged_into is null`);
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`true`;
  const dir = sql.raw(input.direction);
  const order = {
    name: sql`c.last_name ${dir}, c.first_name ${dir}, c.id ${dir}`,
    created: sql`c.created_at ${dir}, c.id ${dir}`,
    value: sql`c.value_score ${dir}, c.id ${dir}`,
    behaviour: sql`c.behaviour_score ${dir}, c.id ${dir}`,
  }[input.sort];
  const offset = (input.page - 1) * pageSize;
  const [found, [counted]] = await Promise.all([
    queryRows<{ id: string }>(db, sql`select c.id from customers c where ${where} order by ${order} limit ${pageSize} offset ${offset}`),
    queryRows<{ n: number }>(db, sql`select count(*)::int as n from (select 1 from customers c where ${where} limit ${COUNT_CAP + 1}) x`),
  ]);
  const ids = found.map((r) => r.id);
  const [rows, identities, tags] = await Promise.all([
    ids.length ? db.select().from(customers).where(inArray(customers.id, ids)) : Promise.resolve([]),
    identitiesOf(db, ids),
    tagsOf(db, ids),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const total = Math.min(Number(counted?.n ?? 0), COUNT_CAP);
  return {
    rows: ids.flatMap((id) => {
      const row = byId.get(id);
      if (!row) return [];
      const { sensitive: _sensitive, birthDate: _birthDate, ...c } = row;
      return [{ ...c, identities: identities.get(id) ?? [], tags: tags.get(id) ?? [] }];
    }),
    total,
    /** More than COUNT_CAP match: `total` is the cap. */
    totalCapped: Number(counted?.n ?? 0) > COUNT_CAP,
    page: input.page,
    pageSize,
  };
}

export function tagNames(db: Db) {
  return db.select({ name: tags.name, category: tags.category }).from(tags).orderBy(asc(tags.name));
}

async function customerRow(db: Db, id: string) {
  const [row] = await db.select().from(customers).where(eq(customers.id, id));
  if (!row) throw new CustomerNotFound(id);
  return row;
}

/** The profile page: contact identities, tags, and recent activity. Sensitive fields by name only. */
export async function getCustomer(db: Db, id: string) {
  // The birth date is a sensitive field too: only the audited unmask reveals it.
  const { sensitive, birthDate: _birthDate, ...profile } = await customerRow(db, id);
  const [identities, tagRows, history, recentInteractions, recentMessages, recentHandoffs, recentOrders, mergedInto] = await Promise.all([
    identitiesOf(db, [id]),
    db
      .select({ tag: customerTags.tag, category: tags.category, source: customerTags.source, ruleId: customerTags.ruleId, ruleName: tagRules.name, facts: customerTags.facts, createdAt: customerTags.createdAt, expiresAt: customerTags.expiresAt })
      .from(customerTags)
      .leftJoin(tags, eq(tags.name, customerTags.tag))
      .leftJoin(tagRules, eq(tagRules.id, customerTags.ruleId))
      .where(and(eq(customerTags.customerId, id), tagInForce))
      .orderBy(asc(customerTags.tag)),
    db
      .select({ id: tagChanges.id, tag: tagChanges.tag, change: tagChanges.change, source: tagChanges.source, ruleName: tagRules.name, facts: tagChanges.facts, at: tagChanges.at })
      .from(tagChanges)
      .leftJoin(tagRules, eq(tagRules.id, tagChanges.ruleId))
      .where(eq(tagChanges.customerId, id))
      .orderBy(desc(tagChanges.at), desc(tagChanges.id))
      .limit(50),
    db.select().from(interactions).where(eq(interactions.customerId, id)).orderBy(desc(interactions.startedAt)).limit(20),
    db.select().from(messages).where(eq(messages.customerId, id)).orderBy(desc(messages.createdAt)).limit(50),
    db.select().from(handoffs).where(eq(handoffs.customerId, id)).orderBy(desc(handoffs.createdAt)).limit(20),
    db.select().from(orders).where(eq(orders.customerId, id)).orderBy(desc(orders.placedAt)).limit(20),
    profile.mergedInto
      ? db.select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName }).from(customers).where(eq(customers.id, profile.mergedInto))
      : Promise.resolve([]),
  ]);
  return {
    ...profile,
    identities: identities.get(id) ?? [],
    tags: tagRows.map((t) => t.tag),
    /** Each tag in force with its category, who or what set it, the rule and its facts, and expiry. */
    tagDetails: tagRows.map((t) => ({ ...t, category: t.category ?? 'static', facts: t.facts as TagReason | null })),
    tagHistory: history.map((h) => ({ ...h, facts: h.facts as TagReason | null })),
    sensitiveFields: sensitiveFieldNames(sensitive),
    interactions: recentInteractions,
    messages: recentMessages,
    handoffs: recentHandoffs,
    orders: recentOrders,
    /** A tombstone of a merge: the profile it was merged into (server/customers/merge.ts). */
    mergedInto: mergedInto[0] ?? null,
  };
}

/** The contact identities and decrypted sensitive fields of one customer (the audited "reveal"). */
export async function revealCustomer(db: Db, id: string) {
  const row = await customerRow(db, id);
  const identities = await identitiesOf(db, [id]);
  return { id, identities: identities.get(id) ?? [], sensitive: decryptProfile(row.sensitive) };
}

export async function setSensitiveProfile(db: Db, id: string, profile: SensitiveProfile) {
  await customerRow(db, id);
  // Tag rules reckon age in SQL, so the birth date is kept beside the ciphertext (never sent to a
  // page: getCustomer and listCustomers leave it out, and only the audited unmask shows it).
  const birthDate = /^\d{4}-\d{2}-\d{2}$/.test(profile.birthday ?? '') ? profile.birthday! : null;
  await db.update(customers).set({ sensitive: encryptProfile(profile), birthDate, updatedAt: new Date() }).where(eq(customers.id, id));
}

async function relatedInteractionIds(db: Db, id: string, phones: string[]) {
  const match = phones.length
    ? or(eq(interactions.customerId, id), inArray(interactions.fromNumber, phones), inArray(interactions.toNumber, phones))
    : eq(interactions.customerId, id);
  return (await db.select({ id: interactions.id }).from(interactions).where(match)).map((r) => r.id);
}

/** Everything we hold about a customer, as plain JSON (GDPR access / portability). */
export async function exportCustomer(db: Db, id: string) {
  const { sensitive, ...profile } = await customerRow(db, id);
  const identities = (await identitiesOf(db, [id])).get(id) ?? [];
  const phones = identities.filter((i) => i.kind === 'phone').map((i) => i.value);
  const interactionIds = await relatedInteractionIds(db, id, phones);
  const [tags, interactionRows, steps, messageRows, handoffRows] = await Promise.all([
    db.select({ tag: customerTags.tag, source: customerTags.source, createdAt: customerTags.createdAt }).from(customerTags).where(eq(customerTags.customerId, id)),
    interactionIds.length ? db.select().from(interactions).where(inArray(interactions.id, interactionIds)).orderBy(asc(interactions.startedAt)) : [],
    interactionIds.length
      ? db.select().from(interactionSteps).where(inArray(interactionSteps.interactionId, interactionIds)).orderBy(asc(interactionSteps.interactionId), asc(interactionSteps.seq))
      : [],
    db
      .select()
      .from(messages)
      .where(interactionIds.length ? or(eq(messages.customerId, id), inArray(messages.interactionId, interactionIds)) : eq(messages.customerId, id))
      .orderBy(asc(messages.createdAt)),
    db
      .select()
      .from(handoffs)
      .where(interactionIds.length ? or(eq(handoffs.customerId, id), inArray(handoffs.interactionId, interactionIds)) : eq(handoffs.customerId, id))
      .orderBy(asc(handoffs.createdAt)),
  ]);
  return {
    exportedAt: new Date(),
    profile,
    sensitive: decryptProfile(sensitive),
    identities,
    tags,
    interactions: interactionRows.map((i) => ({ ...i, steps: steps.filter((s) => s.interactionId === i.id) })),
    messages: messageRows,
    handoffs: handoffRows,
  };
}

/**
 * Erases a customer (GDPR erasure): profile, identities, tags and messages are deleted; calls and
 * conversations stay as anonymous rows (no customer, numbers replaced, inputs and variables
 * cleared) so flow analytics keep their counts and outcomes.
 */
export async function eraseCustomer(db: Db, id: string) {
  await customerRow(db, id);
  const identities = (await identitiesOf(db, [id])).get(id) ?? [];
  const phones = identities.filter((i) => i.kind === 'phone').map((i) => i.value);
  return db.transaction(async (tx) => {
    const interactionIds = await relatedInteractionIds(tx as unknown as Db, id, phones);
    const inInteractions = interactionIds.length ? inArray(messages.interactionId, interactionIds) : undefined;
    const deletedMessages = await tx
      .delete(messages)
      .where(inInteractions ? or(eq(messages.customerId, id), inInteractions) : eq(messages.customerId, id))
      .returning({ id: messages.id });
    let scrubbedSteps = 0;
    if (interactionIds.length) {
      const phoneList = phones.length ? phones : [''];
      scrubbedSteps = (
        await tx.update(interactionSteps).set({ input: null, data: {}, error: null }).where(inArray(interactionSteps.interactionId, interactionIds)).returning({ id: interactionSteps.id })
      ).length;
      await tx
        .update(interactions)
        .set({
          customerId: null,
          vars: {},
          error: null,
          fromNumber: sql`case when ${inArray(interactions.fromNumber, phoneList)} then 'erased' else ${interactions.fromNumber} end`,
          toNumber: sql`case when ${inArray(interactions.toNumber, phoneList)} then 'erased' else ${interactions.toNumber} end`,
        })
        .where(inArray(interactions.id, interactionIds));
    }
    const handoffMatch = interactionIds.length ? or(eq(handoffs.customerId, id), inArray(handoffs.interactionId, interactionIds)) : eq(handoffs.customerId, id);
    const scrubbedHandoffs = (await tx.update(handoffs).set({ customerId: null, summary: '', reason: '' }).where(handoffMatch).returning({ id: handoffs.id })).length;
    await tx.delete(customers).where(eq(customers.id, id));
    return { messages: deletedMessages.length, interactions: interactionIds.length, steps: scrubbedSteps, handoffs: scrubbedHandoffs };
  });
}
