import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { interactions } from './interactions';

export const skills = pgTable('skills', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
});

export const agents = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  /** Senior agents take escalations. */
  senior: boolean('senior').notNull().default(false),
  status: text('status', { enum: ['available', 'busy', 'offline'] }).notNull().default('offline'),
  maxConcurrent: integer('max_concurrent').notNull().default(3),
  userId: text('user_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const agentSkills = pgTable(
  'agent_skills',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    skillId: text('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    level: integer('level').notNull().default(3),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.skillId] })],
);

export const HANDOFF_STATUSES = ['queued', 'accepted', 'resolved', 'timeout', 'abandoned'] as const;

export const handoffs = pgTable(
  'handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interactionId: uuid('interaction_id').references(() => interactions.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** The workflow step that created it: retries of the same step find the same handoff. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    skill: text('skill').notNull(),
    priority: integer('priority').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    reason: text('reason').notNull().default(''),
    summary: text('summary').notNull().default(''),
    status: text('status', { enum: HANDOFF_STATUSES }).notNull().default('queued'),
    assignedAgentId: uuid('assigned_agent_id').references(() => agents.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [index('handoffs_queue').on(t.status, t.skill, t.priority)],
);
