import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { customers } from './customers';
import { interactions } from './interactions';

/** A skill is also a queue: handoffs wait for it, its service level is measured against its threshold. */
export const skills = pgTable('skills', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** A handoff answered within this many seconds counts towards the service level. */
  serviceLevelSeconds: integer('service_level_seconds').notNull().default(30),
});

export const AGENT_CHOICES = ['available', 'away'] as const;

/**
 * An agent: a user with role `agent` (linked by email, so the demo seed needs no user ids) and
 * routing facts. `choice` is only ever what the agent chose; the system states (offering, on a
 * task, wrap-up, missed, offline) are derived from the other columns and the handoffs
 * (server/routing/rules.ts agentState), never written over the choice.
 */
export const agents = pgTable(
  'agents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    /** Senior agents are offered escalations first. */
    senior: boolean('senior').notNull().default(false),
    choice: text('choice', { enum: AGENT_CHOICES }).notNull().default('away'),
    /** The last heartbeat of any of the agent's inbox tabs; offline once it is old. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Set when the agent let an offer lapse or declined it; cleared when they choose available again. */
    missedAt: timestamp('missed_at', { withTimezone: true }),
    /** Since when the agent has had no work (longest idle is offered first among equals). */
    idleSince: timestamp('idle_since', { withTimezone: true }).notNull().defaultNow(),
    voiceCapacity: integer('voice_capacity').notNull().default(1),
    smsCapacity: integer('sms_capacity').notNull().default(3),
    /**
     * Slots in use per channel: the agent's offers, assigned and wrap-up handoffs. Kept by the
     * trigger `handoffs_agent_load` (migration 0003) on every change of a handoff, never written
     * by the app, so a decision reads one column instead of counting handoffs.
     */
    voiceLoad: integer('voice_load').notNull().default(0),
    smsLoad: integer('sms_load').notNull().default(0),
    /** Twilio dials this number to connect a caller the agent accepted. */
    phone: text('phone').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('agents_user').on(t.userId)],
);

export const agentSkills = pgTable(
  'agent_skills',
  {
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    skillId: text('skill_id')
      .notNull()
      .references(() => skills.id, { onDelete: 'cascade' }),
    /** 1 … 5. */
    level: integer('level').notNull().default(3),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.skillId] }), index('agent_skills_skill').on(t.skillId, t.level)],
);

/**
 * One step of a handoff's skill requirement: from `afterSeconds` in the queue on, agents with
 * `skill` at `minLevel` or above (senior ones only when `seniorOnly`) are eligible. Steps are
 * ordered by `afterSeconds`; the first starts at 0.
 */
export interface RequirementStep {
  afterSeconds: number;
  skill: string;
  minLevel: number;
  seniorOnly?: boolean;
}

export const HANDOFF_STATUSES = ['queued', 'offered', 'assigned', 'wrap-up', 'resolved', 'abandoned', 'timeout'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];
/** Statuses a handoff never leaves. */
export const CLOSED_HANDOFF_STATUSES = ['resolved', 'abandoned', 'timeout'] as const satisfies readonly HandoffStatus[];

export const handoffs = pgTable(
  'handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interactionId: uuid('interaction_id').references(() => interactions.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** The workflow step that created it: retries of the same step find the same handoff. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    channel: text('channel', { enum: ['voice', 'sms'] }).notNull().default('voice'),
    /** The skill (queue) first asked for; transfers change it. */
    skill: text('skill').notNull(),
    /** 0 … 100 from the node's weights; ageing is added by `virtualStart`. */
    priority: integer('priority').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    reason: text('reason').notNull().default(''),
    summary: text('summary').notNull().default(''),
    requirements: jsonb('requirements').$type<RequirementStep[]>().notNull().default([]),
    status: text('status', { enum: HANDOFF_STATUSES }).notNull().default('queued'),
    /** When it entered its current queue (reset by a transfer). */
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * queuedAt moved back by the priority's worth of ageing (rules.ts AGEING_POINTS_PER_MINUTE):
     * ordering by it ascending is ordering by aged priority descending, and it is indexable.
     */
    virtualStart: timestamp('virtual_start', { withTimezone: true }).notNull().defaultNow(),
    /** The requirement step in force (written when a step expires), copied out for the index. */
    reqSkill: text('req_skill').notNull(),
    reqMinLevel: integer('req_min_level').notNull().default(1),
    reqSeniorOnly: boolean('req_senior_only').notNull().default(false),
    /** A transfer to one agent: only they are offered it. */
    targetAgentId: uuid('target_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    offeredAgentId: uuid('offered_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    assignedAgentId: uuid('assigned_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** The customer left or the agent ended the conversation; wrap-up follows. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    wrapCode: text('wrap_code'),
    firstContactResolution: boolean('first_contact_resolution'),
    /**
     * The contact's facts the KPIs select and group by, copied from its interaction by triggers
     * (migration 0007) and kept equal when the interaction changes: counting handoffs needs no
     * join. Null when the handoff has no interaction (it is then counted nowhere).
     */
    contactFlowId: uuid('contact_flow_id'),
    contactFlowVersionId: uuid('contact_flow_version_id'),
    contactVariantId: uuid('contact_variant_id'),
    contactChannel: text('contact_channel', { enum: ['voice', 'sms'] }),
    contactToNumber: text('contact_to_number'),
    contactCustomerId: uuid('contact_customer_id'),
    contactStartedAt: timestamp('contact_started_at', { withTimezone: true }),
    contactIsTest: boolean('contact_is_test'),
  },
  (t) => [
    index('handoffs_waiting').on(t.reqSkill, t.virtualStart).where(sql`status = 'queued'`),
    index('handoffs_agent').on(t.assignedAgentId, t.status),
    index('handoffs_offered').on(t.offeredAgentId).where(sql`status = 'offered'`),
    index('handoffs_interaction').on(t.interactionId),
    // The KPIs count the handoffs of a flow's contacts started in a range.
    index('handoffs_contact').on(t.contactFlowId, t.contactStartedAt),
  ],
);

export const HANDOFF_EVENT_KINDS = [
  'queued',
  'offered',
  'declined',
  'missed',
  'accepted',
  'relaxed',
  'transferred',
  'reassigned',
  'ended',
  'resolved',
  'abandoned',
  'timeout',
] as const;
export type HandoffEventKind = (typeof HANDOFF_EVENT_KINDS)[number];

/** Every state change of a handoff, with its time: analytics reads these rows. */
export const handoffEvents = pgTable(
  'handoff_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    handoffId: uuid('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: HANDOFF_EVENT_KINDS }).notNull(),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('handoff_events_handoff').on(t.handoffId, t.at), index('handoff_events_kind_at').on(t.kind, t.at)],
);

/** Private notes: agents and supervisors only, never sent to the customer. */
export const handoffNotes = pgTable(
  'handoff_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handoffId: uuid('handoff_id')
      .notNull()
      .references(() => handoffs.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('handoff_notes_handoff').on(t.handoffId)],
);

/** What a resolved conversation was about; required when resolving. */
export const wrapCodes = pgTable('wrap_codes', {
  id: text('id').primaryKey(),
  label: text('label').notNull(),
  labelZh: text('label_zh').notNull().default(''),
  active: boolean('active').notNull().default(true),
});

export const SCRIPT_LANGUAGES = ['en', 'zh-CN'] as const;

/**
 * A suggested script for agents: offered when the customer is upset (`trigger` upset), carries a
 * tag (`trigger` tag with `tag`), or always. `body` may hold `{{customer.firstName}}`-style variables.
 */
export const scripts = pgTable('scripts', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  language: text('language', { enum: SCRIPT_LANGUAGES }).notNull().default('en'),
  trigger: text('trigger', { enum: ['upset', 'tag', 'always'] }).notNull(),
  tag: text('tag'),
  body: text('body').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const QA_RULE_KINDS = ['words', 'pattern', 'required-phrase'] as const;

/**
 * A QA rule on agent replies: a word list (`terms`, any language), a regular expression
 * (`pattern`: card numbers, ID numbers), or phrases one of which must have been said before
 * resolving with one of `wrapCodes`. `action` block refuses the reply (or the resolve), warn lets it
 * through with the reason; every hit is a qa_hits row.
 */
export const qaRules = pgTable('qa_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind', { enum: QA_RULE_KINDS }).notNull(),
  action: text('action', { enum: ['block', 'warn'] }).notNull(),
  terms: jsonb('terms').$type<string[]>().notNull().default([]),
  pattern: text('pattern'),
  wrapCodes: jsonb('wrap_codes').$type<string[]>().notNull().default([]),
  /** Shown to the agent when the rule fires. */
  message: text('message').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const qaHits = pgTable(
  'qa_hits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ruleId: uuid('rule_id').references(() => qaRules.id, { onDelete: 'set null' }),
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    handoffId: uuid('handoff_id').references(() => handoffs.id, { onDelete: 'cascade' }),
    action: text('action', { enum: ['block', 'warn'] }).notNull(),
    /** The matched text, masked like a card number when it is one. */
    excerpt: text('excerpt').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('qa_hits_agent').on(t.agentId, t.at)],
);
