import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigserial, boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  firstName: text('first_name'),
  lastName: text('last_name'),
  locale: text('locale', { enum: ['en-US', 'zh-CN'] }).notNull().default('en-US'),
  /** 0..1, how valuable the customer is (spend, tier); feeds routing priority. */
  valueScore: real('value_score').notNull().default(0.5),
  /** 0..1, behaviour signal (recent contacts, complaints, churn risk); feeds routing priority. */
  behaviourScore: real('behaviour_score').notNull().default(0.5),
  /** Sensitive profile fields, encrypted at rest (see server/customers/crypto). */
  sensitive: text('sensitive'),
  attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
  /** Dialect, slow speech, preferred channel, quiet hours (server/customers/data-in.ts preferencesSchema). */
  preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
  /** How the computed scores came about (server/tags/rules.ts ScoreFacts); null while set by hand. */
  scoreFacts: jsonb('score_facts').$type<Record<string, unknown>>(),
  /** The date of birth tag rules reckon age from (`YYYY-MM-DD`); the encrypted profile keeps the rest. */
  birthDate: date('birth_date'),
  /**
   * Set when this profile was merged into another (server/customers/merge.ts): it stays as a
   * tombstone, hidden from the list, so the merge can be undone. Erasing the survivor erases it too.
   */
  mergedInto: uuid('merged_into').references((): AnyPgColumn => customers.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('customers_merged_into').on(t.mergedInto).where(sql`merged_into is not null`)]);

export const IDENTITY_KINDS = ['phone', 'email', 'member'] as const;

export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: IDENTITY_KINDS }).notNull(),
    value: text('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('customer_identities_kind_value').on(t.kind, t.value),
    index('customer_identities_customer').on(t.customerId),
    // Duplicate suggestions (server/customers/merge.ts) look identities up by these normal forms.
    index('customer_identities_email_normal').on(sql`lower(trim(${t.value}))`).where(sql`kind = 'email'`),
    index('customer_identities_phone_digits').on(sql`right(regexp_replace(${t.value}, '[^0-9]', '', 'g'), 10)`).where(sql`kind = 'phone'`),
    index('customer_identities_member_normal').on(sql`upper(regexp_replace(${t.value}, '[[:space:]]', '', 'g'))`).where(sql`kind = 'member'`),
  ],
);

export const TAG_CATEGORIES = ['static', 'dynamic', 'preference', 'value'] as const;

export const tags = pgTable('tags', {
  name: text('name').primaryKey(),
  category: text('category', { enum: TAG_CATEGORIES }).notNull().default('static'),
  description: text('description').notNull().default(''),
});

export const customerTags = pgTable(
  'customer_tags',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    source: text('source', { enum: ['manual', 'flow', 'rule', 'import'] }).notNull().default('manual'),
    /** The tag rule that set it (source `rule`), and the facts that made the rule match then. */
    ruleId: uuid('rule_id'),
    facts: jsonb('facts').$type<Record<string, unknown>>(),
    /** Flows and rules read the tag only until then; the next pass of the rules removes it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.tag] }), index('customer_tags_tag').on(t.tag), index('customer_tags_rule').on(t.ruleId)],
);

/** Orders from a shop, ERP or import: tag rules count them and sum their spend. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    /** The order system's id: upserts and imports are idempotent by it. */
    externalId: text('external_id').notNull().unique(),
    amount: numeric('amount', { precision: 12, scale: 2, mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('USD'),
    status: text('status').notNull().default('placed'),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    items: jsonb('items').$type<unknown[]>().notNull().default([]),
  },
  (t) => [index('orders_customer_placed').on(t.customerId, t.placedAt)],
);

/** Events posted by a CRM or order system (`purchase`, `account-risk` …): tag rules count them. */
export const customerEvents = pgTable(
  'customer_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('customer_events_customer_kind_at').on(t.customerId, t.kind, t.at)],
);

/**
 * Tag rules (server/tags/rules.ts): a condition tree stored as validated JSON that adds or removes
 * one tag, compiled to set-based SQL and run per event and in a scheduled full pass.
 */
export const tagRules = pgTable('tag_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  tag: text('tag').notNull(),
  action: text('action', { enum: ['add', 'remove'] }).notNull().default('add'),
  condition: jsonb('condition').$type<unknown>().notNull(),
  /** An added tag lasts this many days (none: until the rule stops matching). */
  expiresAfterDays: integer('expires_after_days'),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every change of a customer's tags, with who or what made it and why: the profile's history. */
export const tagChanges = pgTable(
  'tag_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    change: text('change', { enum: ['added', 'removed'] }).notNull(),
    source: text('source', { enum: ['manual', 'flow', 'rule', 'import'] }).notNull(),
    ruleId: uuid('rule_id'),
    facts: jsonb('facts').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tag_changes_customer_at').on(t.customerId, t.at)],
);

/** A customer's tag that is in force: one with no expiry, or an expiry still ahead. */
export const tagInForce = sql`(${customerTags.expiresAt} is null or ${customerTags.expiresAt} > now())`;

/**
 * One merge of a duplicate profile (`absorbed`) into another (`survivor`), and what it moved, so
 * it can be undone exactly (server/customers/merge.ts). Actor fields are copied, as in the audit log.
 */
export const customerMerges = pgTable(
  'customer_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    survivorId: uuid('survivor_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    absorbedId: uuid('absorbed_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
    mergedBy: text('merged_by'),
    mergedById: text('merged_by_id'),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: text('undone_by'),
    /** The ids of every row moved, the tags added to the survivor and its fields before (MergeMoved). */
    moved: jsonb('moved').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    index('customer_merges_survivor').on(t.survivorId, t.mergedAt),
    // A profile is merged away at most once at a time.
    uniqueIndex('customer_merges_absorbed_active').on(t.absorbedId).where(sql`undone_at is null`),
  ],
);

/** The score formulas in force (one row; server/tags/rules.ts scoreFormulasSchema). */
export const scoreFormulas = pgTable('score_formulas', {
  id: integer('id').primaryKey(),
  formulas: jsonb('formulas').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
