import 'server-only';
import { and, eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { customerEvents, customerIdentities, customers, IDENTITY_KINDS, orders } from '@/db/schema';
import { runTagRulesFor } from '@/server/tags/engine';

/**
 * Data in from a CRM, ERP or order system (the tRPC procedures `customers.upsert`,
 * `customers.upsertOrders` and `customers.postEvent`, called with an API key): idempotent by
 * identity (a customer) or by the order system's id (an order), and each runs the tag rules for
 * the customers it touched, so a flow's next call sees the result.
 */

const E164 = /^\+[1-9]\d{6,14}$/;
export const identitySchema = z
  .object({ kind: z.enum(IDENTITY_KINDS), value: z.string().trim().min(1).max(200) })
  .transform((i) => ({ kind: i.kind, value: i.kind === 'email' ? i.value.toLowerCase() : i.value }))
  .superRefine((i, ctx) => {
    if (i.kind === 'phone' && !E164.test(i.value)) ctx.addIssue({ code: 'custom', message: `phone "${i.value}" is not in E.164 form (e.g. +8613812345678)` });
    if (i.kind === 'email' && !z.email().safeParse(i.value).success) ctx.addIssue({ code: 'custom', message: `"${i.value}" is not an email address` });
  });
export type IdentityInput = z.output<typeof identitySchema>;

const isoDate = z.iso.date({ message: 'a date as YYYY-MM-DD' });

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');
/** How the customer wants to be served: flows and (later) campaigns read these. */
export const preferencesSchema = z.object({
  dialect: z.string().trim().min(1).max(40).optional(),
  slowSpeech: z.boolean().optional(),
  preferredChannel: z.enum(['voice', 'sms']).optional(),
  quietHours: z
    .object({
      from: clock,
      to: clock,
      timeZone: z.string().refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone such as Asia/Shanghai'),
    })
    .optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const customerUpsertSchema = z.object({
  /** Found by the first of these that is known; the others are added to that customer. */
  identities: z.array(identitySchema).min(1, 'at least one identity (phone, email or member id)').max(20),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  locale: z.enum(['en-US', 'zh-CN']).optional(),
  birthDate: isoDate.nullable().optional(),
  /** Merged into the customer's preferences. */
  preferences: preferencesSchema.optional(),
  /** Merged into the customer's attributes (a key set to null is removed). */
  attributes: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.union([z.string().max(500), z.number(), z.boolean(), z.null()])).optional(),
});
export type CustomerUpsert = z.input<typeof customerUpsertSchema>;

export const orderSchema = z.object({
  externalId: z.string().trim().min(1).max(200),
  customer: identitySchema,
  amount: z.number().min(0).max(1e9),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a currency as ISO 4217 (USD, CNY …)').default('USD'),
  status: z.string().trim().min(1).max(40).default('placed'),
  placedAt: z.coerce.date(),
  items: z.array(z.unknown()).max(500).default([]),
});
export const ordersUpsertSchema = z.object({ orders: z.array(orderSchema).min(1).max(1000) });

export const eventSchema = z.object({
  customer: identitySchema,
  kind: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'an event kind is lowercase letters, digits, . _ -, e.g. account-risk'),
  at: z.coerce.date().optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});

export class UnknownCustomerError extends Error {}

async function customerIdsFor(db: Db, identities: readonly IdentityInput[]): Promise<Map<string, string>> {
  if (identities.length === 0) return new Map();
  const rows = await db
    .select({ kind: customerIdentities.kind, value: customerIdentities.value, customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(or(...identities.map((i) => and(eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, i.value)))));
  return new Map(rows.map((r) => [`${r.kind}:${r.value}`, r.customerId]));
}

/** Creates the customer or updates the one an identity names; answers its id and whether it was new. */
export async function upsertCustomer(db: Db, raw: CustomerUpsert): Promise<{ id: string; created: boolean }> {
  const input = customerUpsertSchema.parse(raw);
  const result = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const known = await customerIdsFor(t, input.identities);
    const owners = new Set(known.values());
    if (owners.size > 1) throw new UnknownCustomerError(`these identities belong to ${owners.size} different customers: merge them first`);
    const fields = {
      ...(input.firstName !== undefined && { firstName: input.firstName }),
      ...(input.lastName !== undefined && { lastName: input.lastName }),
      ...(input.locale !== undefined && { locale: input.locale }),
      ...(input.birthDate !== undefined && { birthDate: input.birthDate }),
    };
    const preferences = input.preferences ?? {};
    const attributes = input.attributes ?? {};
    const removed = Object.keys(attributes).filter((k) => attributes[k] === null);
    const kept = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null));
    let id = [...owners][0];
    const created = !id;
    if (!id) {
      id = firstRow(await t.insert(customers).values({ ...fields, attributes: kept, preferences }).returning({ id: customers.id }), 'insert into customers').id;
    } else {
      await t
        .update(customers)
        .set({
          ...fields,
          attributes: removed.reduce((expr, key) => sql`${expr} - ${key}::text`, sql`(${customers.attributes} || ${JSON.stringify(kept)}::jsonb)`),
          preferences: sql`${customers.preferences} || ${JSON.stringify(preferences)}::jsonb`,
          updatedAt: new Date(),
        })
        .where(eq(customers.id, id));
    }
    const missing = input.identities.filter((i) => !known.has(`${i.kind}:${i.value}`));
    if (missing.length > 0) await t.insert(customerIdentities).values(missing.map((i) => ({ customerId: id!, kind: i.kind, value: i.value }))).onConflictDoNothing();
    return { id, created };
  });
  await runTagRulesFor(db, [result.id]);
  return result;
}

async function requireCustomers(db: Db, identities: readonly IdentityInput[]): Promise<Map<string, string>> {
  const known = await customerIdsFor(db, identities);
  const unknown = identities.filter((i) => !known.has(`${i.kind}:${i.value}`));
  if (unknown.length > 0) throw new UnknownCustomerError(`no customer has ${unknown.slice(0, 5).map((i) => `${i.kind} ${i.value}`).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
  return known;
}

/** Inserts or updates orders by their external id; the tag rules then run for their customers. */
export async function upsertOrders(db: Db, raw: z.input<typeof ordersUpsertSchema>): Promise<{ upserted: number; customers: number }> {
  const input = ordersUpsertSchema.parse(raw);
  const owners = await requireCustomers(db, input.orders.map((o) => o.customer));
  const rows = input.orders.map((o) => ({ ...o, customerId: owners.get(`${o.customer.kind}:${o.customer.value}`)! }));
  await db
    .insert(orders)
    .values(rows.map(({ customer: _customer, ...o }) => o))
    .onConflictDoUpdate({
      target: orders.externalId,
      set: { customerId: sql`excluded.customer_id`, amount: sql`excluded.amount`, currency: sql`excluded.currency`, status: sql`excluded.status`, placedAt: sql`excluded.placed_at`, items: sql`excluded.items` },
    });
  const touched = [...new Set(rows.map((r) => r.customerId))];
  await runTagRulesFor(db, touched);
  return { upserted: rows.length, customers: touched.length };
}

/** Records an event (`purchase`, `account-risk` …) for a known customer and runs the tag rules for them. */
export async function postEvent(db: Db, raw: z.input<typeof eventSchema>): Promise<{ id: string; customerId: string }> {
  const input = eventSchema.parse(raw);
  const owners = await requireCustomers(db, [input.customer]);
  const customerId = owners.get(`${input.customer.kind}:${input.customer.value}`)!;
  const row = firstRow(await db.insert(customerEvents).values({ customerId, kind: input.kind, at: input.at ?? new Date(), data: input.data }).returning({ id: customerEvents.id }), 'insert into customer_events');
  await runTagRulesFor(db, [customerId]);
  return { id: row.id, customerId };
}
