import { sql } from 'drizzle-orm';
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers';
import { experimentVariants } from './experiments';
import { flows, flowVersions } from './flows';

export const INTERACTION_STATUSES = ['running', 'completed', 'escalated', 'abandoned', 'failed'] as const;

/** One call or one SMS conversation: one interpreter workflow. */
export const interactions = pgTable(
  'interactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull(),
    workflowId: text('workflow_id').notNull(),
    /** CallSid for calls; the first MessageSid for conversations. */
    externalId: text('external_id').notNull(),
    flowId: uuid('flow_id').references(() => flows.id),
    flowVersionId: uuid('flow_version_id').references(() => flowVersions.id),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    fromNumber: text('from_number').notNull(),
    toNumber: text('to_number').notNull(),
    status: text('status', { enum: INTERACTION_STATUSES }).notNull().default('running'),
    /** Draft test runs from the simulator; kept out of performance figures. */
    isTest: boolean('is_test').notNull().default(false),
    emotionScore: real('emotion_score'),
    emotionLabel: text('emotion_label'),
    vars: jsonb('vars').$type<Record<string, unknown>>().notNull().default({}),
    error: text('error'),
    /** The customer's answer (1 … 5) to the survey sent after an agent resolved the contact. */
    csat: integer('csat'),
    csatRequestedAt: timestamp('csat_requested_at', { withTimezone: true }),
    /** The experiment arm the webhook assigned this contact to: its exposure. */
    experimentVariantId: uuid('experiment_variant_id').references(() => experimentVariants.id, { onDelete: 'set null' }),
    /**
     * When the same customer next made contact (any flow, any channel), kept by the trigger
     * `interactions_next_contact` (migration 0004): repeat contact within 24 h / 7 days is then a
     * column test, not a self-join over every contact.
     */
    nextContactAt: timestamp('next_contact_at', { withTimezone: true }),
    /**
     * Kept by the trigger `handoffs_mark_interaction` (migration 0005): the contact reached an
     * agent, and an agent resolved it without saying it was not first-contact. The KPIs read these
     * instead of joining every handoff.
     */
    hadHandoff: boolean('had_handoff').notNull().default(false),
    agentResolved: boolean('agent_resolved').notNull().default(false),
    /** Its steps are counted in `node_rollups` (server/analytics/rollup.ts); only ended contacts are. */
    rolledUp: boolean('rolled_up').notNull().default(false),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('interactions_workflow').on(t.workflowId),
    index('interactions_not_rolled_up').on(t.id).where(sql`not rolled_up`),
    index('interactions_flow_started').on(t.flowId, t.startedAt),
    index('interactions_customer_started').on(t.customerId, t.startedAt),
    index('interactions_variant').on(t.experimentVariantId).where(sql`experiment_variant_id is not null`),
  ],
);

/** One node run within an interaction, for the execution view and per-node analytics. */
export const interactionSteps = pgTable(
  'interaction_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interactionId: uuid('interaction_id')
      .notNull()
      .references(() => interactions.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    port: text('port'),
    input: text('input'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [uniqueIndex('interaction_steps_seq').on(t.interactionId, t.seq)],
);

/**
 * received: inbound. Outbound: queued (row written) → sending (handed to the provider; its fate is
 * unknown until it answers) → sent → delivered / undelivered, or failed.
 */
export const MESSAGE_STATUSES = ['received', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed'] as const;

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interactionId: uuid('interaction_id').references(() => interactions.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    fromNumber: text('from_number').notNull(),
    toNumber: text('to_number').notNull(),
    body: text('body').notNull(),
    /** Twilio's MessageSid (inbound) or the sid the port returned (outbound). */
    externalSid: text('external_sid'),
    /** Outbound only: the same key never sends twice, whatever retries happen. */
    idempotencyKey: text('idempotency_key'),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    error: text('error'),
    /** The agent who wrote it (outbound) or to whom it was written during a handoff (inbound). */
    agentId: uuid('agent_id'),
    /** sms, or voice for the lines caller and agent exchange on a sandbox call. */
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull().default('sms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_external_sid').on(t.externalSid),
    uniqueIndex('messages_idempotency_key').on(t.idempotencyKey),
    index('messages_interaction').on(t.interactionId),
    // The tag rules' per-event keyword check reads one customer's messages in a window.
    index('messages_customer_created').on(t.customerId, t.createdAt),
  ],
);

/**
 * Per-node figures of ended contacts, by the hour they started in: append-only partial sums
 * (server/analytics/rollup.ts adds a row set per catch-up; readers sum them), so the canvas overlay
 * reads thousands of rows instead of a million steps. `port` is a port's exits, '' the runs that
 * ended at the node, and '*' the node's totals (with distinct contacts and the time histogram).
 */
export const nodeRollups = pgTable(
  'node_rollups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    flowId: uuid('flow_id').notNull(),
    flowVersionId: uuid('flow_version_id'),
    experimentVariantId: uuid('experiment_variant_id'),
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    nodeId: text('node_id').notNull(),
    port: text('port').notNull(),
    entries: integer('entries').notNull(),
    contacts: integer('contacts').notNull().default(0),
    dropOffs: integer('drop_offs').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    /** Steps per duration bucket (server/analytics/rollup.ts DURATION_BUCKETS_PER_DOUBLING), '*' rows only. */
    histogram: jsonb('histogram').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [index('node_rollups_flow_hour').on(t.flowId, t.hour)],
);

/**
 * The performance page's counts of settled contacts, by the quarter hour they started in (every
 * time zone's hours and days are whole quarters): per flow, version, arm, channel and number, the
 * contact counts and the handoff counts of server/analytics/kpis.ts as server/analytics/
 * contact-rollup.ts computes them for the KPI settings of `kpi_rollup_state.fingerprint`. A
 * contact is settled once its repeat-contact windows have passed; readers sum these rows before
 * `kpi_rollup_state.watermark` and count the contacts after it live.
 */
export const contactRollups = pgTable(
  'contact_rollups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    flowId: uuid('flow_id').notNull(),
    flowVersionId: uuid('flow_version_id'),
    experimentVariantId: uuid('experiment_variant_id'),
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull(),
    toNumber: text('to_number').notNull(),
    quarter: timestamp('quarter', { withTimezone: true }).notNull(),
    contacts: integer('contacts').notNull().default(0),
    contained: integer('contained').notNull().default(0),
    ivrHangups: integer('ivr_hangups').notNull().default(0),
    handoffs: integer('handoffs').notNull().default(0),
    escalated: integer('escalated').notNull().default(0),
    fcr: integer('fcr').notNull().default(0),
    csatReplies: integer('csat_replies').notNull().default(0),
    csatSum: integer('csat_sum').notNull().default(0),
    csatSatisfied: integer('csat_satisfied').notNull().default(0),
    emotionScored: integer('emotion_scored').notNull().default(0),
    emotionSum: doublePrecision('emotion_sum').notNull().default(0),
    offered: integer('offered').notNull().default(0),
    shortAbandons: integer('short_abandons').notNull().default(0),
    answered: integer('answered').notNull().default(0),
    answeredInThreshold: integer('answered_in_threshold').notNull().default(0),
    answerSeconds: doublePrecision('answer_seconds').notNull().default(0),
    abandoned: integer('abandoned').notNull().default(0),
    handled: integer('handled').notNull().default(0),
    handleSeconds: doublePrecision('handle_seconds').notNull().default(0),
  },
  (t) => [index('contact_rollups_flow_quarter').on(t.flowId, t.quarter)],
);

/**
 * One row: contacts started before `watermark` are in `contact_rollups`, counted with the settings
 * whose fingerprint is `fingerprint` (null: rebuild at the next read). A contact written before
 * `guard` (an import, the demo history) could change settled counts, so the triggers of migration
 * 0006 clear the fingerprint.
 */
export const kpiRollupState = pgTable('kpi_rollup_state', {
  id: integer('id').primaryKey().default(1),
  watermark: timestamp('watermark', { withTimezone: true }),
  guard: timestamp('guard', { withTimezone: true }),
  fingerprint: text('fingerprint'),
});
