import { index, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

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
  (t) => [uniqueIndex('customer_identities_kind_value').on(t.kind, t.value), index('customer_identities_customer').on(t.customerId)],
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.tag] })],
);
