import { and, eq, sql } from 'drizzle-orm';
import { type Db, getDb } from '@/db/client';
import { firstRow } from '@/db/rows';
import { customerIdentities, customers, customerTags, handoffs, interactions, interactionSteps, messages, tagInForce } from '@/db/schema';
import { lexiconScorer } from '@/nodes/emotion-check/scorer';
import type { EmotionScorer } from '@/nodes/emotion-check/scorer';
import { activities as nodeActivities } from '@/nodes/generated/activities';
import type { CustomerSnapshot, EmotionResult, HandoffRequest, Language } from '@/nodes/sdk';
import { env } from '@/env';
import { closeHandoff, endHandoff } from '@/server/routing/assign';
import { requirementsFor, virtualStartFor } from '@/server/routing/rules';
import { telephonyPort } from '@/telephony/port';
import { sandboxPort } from '@/telephony/sandbox-port';
import { runTagRulesFor } from '@/server/tags/engine';
import { signalHandoffWorkflows, startHandoffWorkflows } from './routing';

/**
 * Side effects of the interpreter workflows. Each one is idempotent: a retried activity, or a
 * replayed run of the same interaction, finds what the first attempt wrote instead of writing twice.
 */

export interface LoadContextInput {
  /** Unique per run: the workflow id for calls; workflow id plus first MessageSid for conversations. */
  key: string;
  channel: 'voice' | 'sms';
  externalId: string;
  flowId: string | null;
  flowVersionId: string | null;
  fromNumber: string;
  toNumber: string;
  isTest?: boolean;
  experimentVariantId?: string;
}

export interface LoadContextResult {
  interactionId: string;
  customer: CustomerSnapshot;
}

/** Finds (or creates) the customer by phone, reads their profile, and opens the interaction row. */
export async function loadContext(input: LoadContextInput): Promise<LoadContextResult> {
  const db = await getDb();
  const customerId = await customerIdForPhone(input.fromNumber);
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  // Erased between the lookup and the read: fail the attempt (a retry finds or creates the customer again).
  if (!customer) throw new Error(`customer ${customerId} (for ${input.fromNumber}) does not exist`);
  const tagRows = await db.select({ tag: customerTags.tag }).from(customerTags).where(and(eq(customerTags.customerId, customerId), tagInForce));

  await db
    .insert(interactions)
    .values({
      channel: input.channel,
      workflowId: input.key,
      externalId: input.externalId,
      flowId: input.flowId,
      flowVersionId: input.flowVersionId,
      customerId,
      fromNumber: input.fromNumber,
      toNumber: input.toNumber,
      isTest: input.isTest ?? false,
      experimentVariantId: input.experimentVariantId ?? null,
    })
    .onConflictDoNothing({ target: interactions.workflowId });
  const [interaction] = await db.select({ id: interactions.id }).from(interactions).where(eq(interactions.workflowId, input.key));
  if (!interaction) throw new Error(`no interaction row for ${input.key} after opening it`);

  return {
    interactionId: interaction.id,
    customer: {
      id: customer.id,
      phone: input.fromNumber,
      firstName: customer.firstName,
      lastName: customer.lastName,
      tags: tagRows.map((row) => row.tag).sort(),
      value: customer.valueScore,
      behaviour: customer.behaviourScore,
      locale: customer.locale as Language,
    },
  };
}

async function customerIdForPhone(phone: string): Promise<string> {
  const db = await getDb();
  const find = async () =>
    (await db.select({ id: customerIdentities.customerId }).from(customerIdentities).where(and(eq(customerIdentities.kind, 'phone'), eq(customerIdentities.value, phone))))[0]?.id;
  const existing = await find();
  if (existing) return existing;
  const created = firstRow(await db.insert(customers).values({}).returning({ id: customers.id }), 'insert into customers');
  const [identity] = await db
    .insert(customerIdentities)
    .values({ customerId: created.id, kind: 'phone', value: phone })
    .onConflictDoNothing()
    .returning({ id: customerIdentities.customerId });
  if (identity) return identity.id;
  // Another call from the same new number got there first: use theirs, drop ours.
  await db.delete(customers).where(eq(customers.id, created.id));
  const winner = await find();
  if (!winner) throw new Error(`could not find or create a customer for ${phone}`);
  return winner;
}

export interface StepRecord {
  seq: number;
  nodeId: string;
  nodeType: string;
  port: string | null;
  input: string | null;
  data: Record<string, unknown>;
  error: string | null;
  startedAt: number;
  endedAt: number;
}

/** A handoff a step created; written with the step that made it. */
export interface HandoffRecord extends HandoffRequest {
  /** Chosen by the workflow, so the step knows it before the row exists. */
  id: string;
  idempotencyKey: string;
}

/**
 * What the run learnt about a handoff it holds for: the hold timed out (timeout), the caller hung
 * up in the queue (abandoned), or the caller left the agent they were connected to (ended).
 */
export interface HandoffChange {
  id: string;
  to: 'timeout' | 'abandoned' | 'ended';
}

export interface TagChange {
  add: string[];
  remove: string[];
}

export interface RecordProgressInput {
  interactionId: string;
  customerId: string | null;
  steps: StepRecord[];
  handoffs?: HandoffRecord[];
  /** After the new handoffs: a hold can end in the same turn it began. */
  handoffChanges?: HandoffChange[];
  /** In the order the steps made them. */
  tagChanges?: TagChange[];
  /** The latest emotion score, kept on the interaction. */
  emotion?: { score: number; label: EmotionResult['label'] };
  finish?: {
    status: 'completed' | 'escalated' | 'abandoned' | 'failed';
    vars: Record<string, unknown>;
    error?: string;
  };
}

/**
 * Writes what the run did since the last reply, in one transaction: its steps (once per seq), the
 * handoffs and tag changes its steps made (once per key), what became of the handoffs it held for,
 * the emotion score and, at the end, the interaction's outcome. A retry or a replay writes nothing
 * twice. Then starts the new handoffs' workflows (idempotent by workflow id).
 */
export async function recordProgress(input: RecordProgressInput): Promise<void> {
  const writes: ((db: Db) => Promise<unknown>)[] = [];
  if (input.steps.length > 0) {
    const rows = input.steps.map((step) => ({
      interactionId: input.interactionId,
      seq: step.seq,
      nodeId: step.nodeId,
      nodeType: step.nodeType,
      port: step.port,
      input: step.input,
      data: step.data,
      error: step.error,
      startedAt: new Date(step.startedAt),
      endedAt: new Date(step.endedAt),
      durationMs: Math.max(0, Math.round(step.endedAt - step.startedAt)),
    }));
    writes.push((db) => db.insert(interactionSteps).values(rows).onConflictDoNothing({ target: [interactionSteps.interactionId, interactionSteps.seq] }));
  }
  if (input.handoffs && input.handoffs.length > 0) {
    const now = new Date();
    const rows = input.handoffs.map((handoff) => {
      const priority = Math.round(handoff.priority);
      const [first] = requirementsFor(handoff.skill, handoff.requirements);
      return {
      id: handoff.id,
      idempotencyKey: handoff.idempotencyKey,
      interactionId: input.interactionId,
      customerId: input.customerId,
      channel: sql<'voice' | 'sms'>`(select ${interactions.channel} from ${interactions} where ${interactions.id} = ${input.interactionId})`,
      skill: handoff.skill,
      requirements: requirementsFor(handoff.skill, handoff.requirements),
      reqSkill: first?.skill ?? handoff.skill,
      reqMinLevel: first?.minLevel ?? 1,
      reqSeniorOnly: first?.seniorOnly ?? false,
      queuedAt: now,
      virtualStart: virtualStartFor(now, priority),
      priority,
      urgent: handoff.urgent,
      reason: handoff.reason,
      summary: handoff.summary,
      };
    });
    writes.push((db) => db.insert(handoffs).values(rows).onConflictDoNothing({ target: handoffs.idempotencyKey }));
  }
  for (const change of input.handoffChanges ?? []) {
    writes.push((db) => (change.to === 'ended' ? endHandoff(db, change.id, 'customer') : closeHandoff(db, change.id, change.to)));
  }
  const customerId = input.customerId;
  for (const change of customerId ? (input.tagChanges ?? []) : []) {
    // Each change that happened is in the customer's tag history, with the contact that made it.
    const facts = sql`jsonb_build_object('interactionId', ${input.interactionId}::text)`;
    const tagList = (list: string[]) => sql`array[${sql.join(list.map((tag) => sql`${tag}`), sql`, `)}]::text[]`;
    if (change.add.length > 0) {
      writes.push((db) =>
        db.execute(sql`with added as (insert into customer_tags (customer_id, tag, source) select ${customerId}::uuid, unnest(${tagList(change.add)}), 'flow'
            on conflict do nothing returning customer_id, tag)
          insert into tag_changes (customer_id, tag, change, source, facts) select customer_id, tag, 'added', 'flow', ${facts} from added`),
      );
    }
    if (change.remove.length > 0) {
      writes.push((db) =>
        db.execute(sql`with removed as (delete from customer_tags where customer_id = ${customerId}::uuid and tag = any(${tagList(change.remove)}) returning customer_id, tag)
          insert into tag_changes (customer_id, tag, change, source, facts) select customer_id, tag, 'removed', 'flow', ${facts} from removed`),
      );
    }
  }
  const { emotion, finish } = input;
  if (emotion) writes.push((db) => db.update(interactions).set({ emotionScore: emotion.score, emotionLabel: emotion.label }).where(eq(interactions.id, input.interactionId)));
  if (finish) {
    writes.push((db) =>
      db
        .update(interactions)
        .set({ status: finish.status, vars: finish.vars, error: finish.error ?? null, endedAt: new Date() })
        .where(and(eq(interactions.id, input.interactionId), eq(interactions.status, 'running'))),
    );
  }
  const db = await getDb();
  // Most turns write their steps and nothing else: one statement needs no transaction around it.
  if (writes.length === 1) await writes[0]?.(db);
  else if (writes.length > 1) {
    await db.transaction(async (tx) => {
      for (const write of writes) await write(tx as unknown as Db);
    });
  }
  // After the commit: each new handoff's own workflow does the waiting; closed ones are told.
  const changed = new Set((input.handoffChanges ?? []).map((change) => change.id));
  await startHandoffWorkflows((input.handoffs ?? []).map((handoff) => handoff.id).filter((id) => !changed.has(id)));
  await signalHandoffWorkflows([...changed], 'closed');
  // The contact has ended: the tag rules see it at once, so the customer's next call reads the result.
  if (finish && customerId) await runTagRulesFor(db, [customerId]);
}

/** The scorer the worker uses; a cloud or model-based scorer replaces it here. */
export const emotionScorer: EmotionScorer = lexiconScorer;

/** Scores the caller's words; the run keeps the score and writes it with its steps. */
export async function scoreEmotion(input: { text: string }): Promise<EmotionResult> {
  return emotionScorer.score(input.text);
}

export interface SendSmsInput {
  to: string;
  from: string;
  body: string;
  idempotencyKey: string;
  interactionId: string | null;
  customerId: string | null;
}

/** Sends through the telephony port (Twilio or the sandbox); never throws for a refused message. */
export async function sendSms(input: SendSmsInput): Promise<{ ok: boolean; sid?: string; error?: string }> {
  return (await portFor(input.interactionId)).sendSms(input);
}

/** Draft test runs never reach real phones: their messages go to the sandbox outbox. */
async function portFor(interactionId: string | null) {
  if (interactionId !== null && env.TELEPHONY === 'twilio') {
    const [row] = await (await getDb()).select({ isTest: interactions.isTest }).from(interactions).where(eq(interactions.id, interactionId));
    if (row?.isTest) return sandboxPort;
  }
  return telephonyPort();
}

/** Stores an inbound SMS once (its MessageSid is unique). */
export async function recordInboundSms(input: { interactionId: string; customerId: string | null; sid: string; from: string; to: string; body: string }): Promise<void> {
  const db = await getDb();
  await db
    .insert(messages)
    .values({
      interactionId: input.interactionId,
      customerId: input.customerId,
      direction: 'inbound',
      fromNumber: input.from,
      toNumber: input.to,
      body: input.body,
      externalSid: input.sid,
      status: 'received',
    })
    .onConflictDoNothing({ target: messages.externalSid });
}

/** A node type's activity (from its `activities.ts`), by `type.name`. */
export async function runNodeActivity(input: { name: string; input: unknown }): Promise<unknown> {
  const activity = Object.hasOwn(nodeActivities, input.name) ? nodeActivities[input.name] : undefined;
  if (activity === undefined) throw new Error(`no node activity named ${input.name}`);
  return activity(input.input);
}
