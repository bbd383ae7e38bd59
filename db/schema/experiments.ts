import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { flows, flowVersions } from './flows';

export const EXPERIMENT_STATUSES = ['draft', 'running', 'paused', 'completed', 'stopped'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** What an experiment is judged on (server/analytics/metrics.ts says how each is counted). */
export const EXPERIMENT_METRICS = ['containment', 'fcr', 'csat', 'handoff', 'reached'] as const;
export type ExperimentMetric = (typeof EXPERIMENT_METRICS)[number];
export const GUARDRAIL_METRICS = ['abandonment', 'escalation', 'csat'] as const;
export type GuardrailMetric = (typeof GUARDRAIL_METRICS)[number];

/**
 * A split of one number's traffic (one channel) between published versions of the flow bound to
 * it. Assignment is sticky per caller (server/analytics/assign.ts); an interaction carries its
 * variant, which is its exposure.
 */
export const experiments = pgTable(
  'experiments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    hypothesis: text('hypothesis').notNull().default(''),
    number: text('number').notNull(),
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull(),
    flowId: uuid('flow_id')
      .notNull()
      .references(() => flows.id),
    status: text('status', { enum: EXPERIMENT_STATUSES }).notNull().default('draft'),
    metric: text('metric', { enum: EXPERIMENT_METRICS }).notNull(),
    /** For `reached`: the node whose entry counts as a conversion. */
    metricNodeId: text('metric_node_id'),
    guardrails: jsonb('guardrails').$type<GuardrailMetric[]>().notNull().default([]),
    /** The planning inputs shown before start: the primary metric's current rate and the smallest difference worth finding. */
    baseline: real('baseline'),
    minimumEffect: real('minimum_effect').notNull().default(0.05),
    alpha: real('alpha').notNull().default(0.05),
    /** Why it was paused (a guardrail, a sample ratio mismatch, or a person). */
    pausedReason: text('paused_reason'),
    winnerVariantId: uuid('winner_variant_id'),
    /** The figures as they stood when it ended: finished experiments keep their results. */
    finalResults: jsonb('final_results').$type<Record<string, unknown>>(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    // One live split per number and channel: the webhook must know which one assigns.
    uniqueIndex('experiments_live_number').on(t.number, t.channel).where(sql`status in ('running', 'paused')`),
  ],
);

export const experimentVariants = pgTable(
  'experiment_variants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    experimentId: uuid('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    /** A, B, C, D: the order they were declared in. */
    position: integer('position').notNull(),
    name: text('name').notNull(),
    flowVersionId: uuid('flow_version_id')
      .notNull()
      .references(() => flowVersions.id),
    /** Share of traffic, in percent; the variants' weights add up to 100. */
    weight: integer('weight').notNull(),
  },
  (t) => [uniqueIndex('experiment_variants_position').on(t.experimentId, t.position), index('experiment_variants_version').on(t.flowVersionId)],
);

/** The KPI thresholds and targets (one row, id 1): contact centers define them differently. */
export const kpiSettings = pgTable('kpi_settings', {
  id: integer('id').primaryKey(),
  settings: jsonb('settings').$type<Record<string, number>>().notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
