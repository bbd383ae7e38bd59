import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CompiledFlow } from '@/workflows/compiled';
import type { FlowDocument } from '@/workflows/document';

export const flows = pgTable('flows', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
  draft: jsonb('draft').$type<FlowDocument>().notNull(),
  /** Bumped on every draft save; a save naming an older revision is a conflict, not an overwrite. */
  draftRevision: integer('draft_revision').notNull().default(1),
  /** The version numbers answer with: publishing or rolling back re-points it. */
  liveVersionId: uuid('live_version_id'),
  createdBy: text('created_by'),
  updatedBy: text('updated_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Immutable: a row is written once at publish and never updated. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id),
    version: integer('version').notNull(),
    document: jsonb('document').$type<FlowDocument>().notNull(),
    compiled: jsonb('compiled').$type<CompiledFlow>().notNull(),
    hash: text('hash').notNull(),
    message: text('message').notNull().default(''),
    publishedBy: text('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('flow_versions_flow_version').on(t.flowId, t.version)],
);

export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    label: text('label').notNull().default(''),
    voiceFlowId: uuid('voice_flow_id').references(() => flows.id),
    smsFlowId: uuid('sms_flow_id').references(() => flows.id),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('phone_numbers_number').on(t.number), index('phone_numbers_voice').on(t.voiceFlowId).where(sql`${t.voiceFlowId} is not null`)],
);
