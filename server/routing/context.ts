import 'server-only';
import { and, asc, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  agents,
  agentSkills,
  customerIdentities,
  customers,
  customerTags,
  flows,
  flowVersions,
  handoffEvents,
  handoffNotes,
  handoffs,
  interactions,
  interactionSteps,
  messages,
  scripts,
  skills,
  tags,
  wrapCodes,
  tagInForce,
} from '@/db/schema';
import { CLOSED_HANDOFF_STATUSES } from '@/db/schema/routing';
import { DEFAULT_UPSET_BELOW } from '@/nodes/shared/emotion';
import { renderTemplate, templateScope } from '@/nodes/shared/template';
import { emotionScored } from '@/server/executions/path';
import type { FlowDocument } from '@/workflows/document';
import type { AgentRow } from './assign';
import { renderScript, scriptVariables, suggestScripts } from './scripts';
import { serviceLevel } from './rules';
import { emotionTrend, shownAgentState, type ShownAgentState } from './supervision';

/** Everything the inbox and the supervisor view read (owner: inbox). Queries only; no changes. */

const OPEN = ['queued', 'offered', 'assigned', 'wrap-up'] as const;

function fullName(row: { firstName: string | null; lastName: string | null } | null | undefined): string | null {
  return [row?.firstName, row?.lastName].filter(Boolean).join(' ') || null;
}

/** Open-work counts per agent, for their shown state. */
async function workCounts(db: Db, agentIds: string[]) {
  const counts = new Map<string, { offered: number; assigned: number; wrapUp: number }>();
  if (agentIds.length === 0) return counts;
  const rows = await db
    .select({ agentId: sql<string>`coalesce(${handoffs.assignedAgentId}, ${handoffs.offeredAgentId})`, status: handoffs.status, n: sql<number>`count(*)::int` })
    .from(handoffs)
    .where(
      or(
        and(eq(handoffs.status, 'offered'), inArray(handoffs.offeredAgentId, agentIds)),
        and(inArray(handoffs.status, ['assigned', 'wrap-up']), inArray(handoffs.assignedAgentId, agentIds)),
      ),
    )
    .groupBy(sql`1`, handoffs.status);
  for (const row of rows) {
    const entry = counts.get(row.agentId) ?? { offered: 0, assigned: 0, wrapUp: 0 };
    if (row.status === 'offered') entry.offered += Number(row.n);
    if (row.status === 'assigned') entry.assigned += Number(row.n);
    if (row.status === 'wrap-up') entry.wrapUp += Number(row.n);
    counts.set(row.agentId, entry);
  }
  return counts;
}

export async function agentStates(db: Db, rows: readonly AgentRow[], now = new Date()): Promise<Map<string, ShownAgentState>> {
  const counts = await workCounts(
    db,
    rows.map((a) => a.id),
  );
  return new Map(rows.map((a) => [a.id, shownAgentState({ ...a, ...(counts.get(a.id) ?? { offered: 0, assigned: 0, wrapUp: 0 }) }, now)]));
}

/** The agent's own page: who they are and their state, what is offered to them, what they hold. */
export async function inboxOverview(db: Db, agent: AgentRow, now = new Date()) {
  const [states, offerRows, conversationRows] = await Promise.all([
    agentStates(db, [agent], now),
    db
      .select({ handoff: handoffs, firstName: customers.firstName, lastName: customers.lastName })
      .from(handoffs)
      .leftJoin(customers, eq(customers.id, handoffs.customerId))
      .where(and(eq(handoffs.status, 'offered'), eq(handoffs.offeredAgentId, agent.id)))
      .orderBy(asc(handoffs.offerExpiresAt)),
    db
      .select({ handoff: handoffs, firstName: customers.firstName, lastName: customers.lastName })
      .from(handoffs)
      .leftJoin(customers, eq(customers.id, handoffs.customerId))
      .where(and(inArray(handoffs.status, ['assigned', 'wrap-up']), eq(handoffs.assignedAgentId, agent.id)))
      .orderBy(asc(handoffs.acceptedAt)),
  ]);
  const interactionIds = conversationRows.flatMap((r) => (r.handoff.interactionId ? [r.handoff.interactionId] : []));
  const lastMessages = new Map<string, { body: string; direction: 'inbound' | 'outbound'; at: Date }>();
  if (interactionIds.length > 0) {
    const rows = await db
      .selectDistinctOn([messages.interactionId], { interactionId: messages.interactionId, body: messages.body, direction: messages.direction, at: messages.createdAt })
      .from(messages)
      .where(inArray(messages.interactionId, interactionIds))
      .orderBy(messages.interactionId, desc(messages.createdAt));
    for (const row of rows) if (row.interactionId) lastMessages.set(row.interactionId, { body: row.body, direction: row.direction, at: row.at });
  }
  const summary = (r: (typeof offerRows)[number]) => ({
    id: r.handoff.id,
    channel: r.handoff.channel,
    skill: r.handoff.skill,
    priority: r.handoff.priority,
    urgent: r.handoff.urgent,
    reason: r.handoff.reason,
    status: r.handoff.status,
    customerName: fullName(r),
    queuedAt: r.handoff.queuedAt,
  });
  return {
    agent: { id: agent.id, name: agent.name, email: agent.email, senior: agent.senior, choice: agent.choice, state: states.get(agent.id) ?? 'offline' },
    offers: offerRows.map((r) => ({ ...summary(r), expiresAt: r.handoff.offerExpiresAt })),
    conversations: conversationRows.map((r) => ({
      ...summary(r),
      acceptedAt: r.handoff.acceptedAt,
      lastMessage: r.handoff.interactionId ? (lastMessages.get(r.handoff.interactionId) ?? null) : null,
    })),
    now,
  };
}

export type TranscriptEntry = {
  at: Date;
  who: 'flow' | 'customer' | 'agent';
  /** prompt: what the flow said on a call; input: digits or words the caller gave; message: an SMS or a line on a connected call. */
  kind: 'prompt' | 'input' | 'message';
  text: string;
  nodeId?: string;
  channel: 'voice' | 'sms';
};

/** Config fields that hold what a node says, by how the built-in node types name them. */
const SPOKEN_FIELDS = ['text', 'prompt', 'message', 'waitMessage'] as const;

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : undefined;
}

/**
 * What the flow said at each step of a call: the step's own record (`data.said`) when the
 * interpreter keeps one, else the node's spoken fields from the document the call ran, rendered
 * with the variables and tags as they were before the step. On SMS the flow's texts are messages.
 */
export function spokenPrompts(
  document: FlowDocument | null,
  steps: readonly { seq: number; nodeId: string; startedAt: Date; data: Record<string, unknown> }[],
  customer: { id: string; firstName: string | null; lastName: string | null; locale: 'en-US' | 'zh-CN' } | null,
): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  let before: Record<string, unknown> = {};
  for (const step of steps) {
    const recorded = stringsOf(step.data.said);
    const config = (document?.nodes.find((n) => n.id === step.nodeId)?.config ?? {}) as Record<string, unknown>;
    const templates = recorded ?? SPOKEN_FIELDS.flatMap((field) => (typeof config[field] === 'string' ? [config[field]] : []));
    const vars = (before.vars ?? {}) as Record<string, never>;
    const snapshot = customer && { ...customer, phone: '', tags: stringsOf(before.tags) ?? [], value: 0, behaviour: 0 };
    for (const template of templates) {
      const text = recorded ? template : renderTemplate(template, templateScope({ customer: snapshot, vars, lastInput: null, emotion: null }));
      if (text.trim() !== '') entries.push({ at: step.startedAt, who: 'flow', kind: 'prompt', text, nodeId: step.nodeId, channel: 'voice' });
    }
    before = step.data;
  }
  return entries;
}

export class HandoffNotFound extends Error {
  constructor(id: string) {
    super(`No handoff ${id}.`);
  }
}

/**
 * One handoff's whole story for the context panel: the transcript so far, the path through the
 * flow, the customer with tags by category, the emotion and its trend, reason and summary, its
 * history (transfers carry their note), private notes and the scripts suggested for the situation.
 */
export async function handoffContext(db: Db, handoffId: string, options: { language: 'en' | 'zh-CN'; agentName?: string }) {
  const [handoff] = await db.select().from(handoffs).where(eq(handoffs.id, handoffId));
  if (!handoff) throw new HandoffNotFound(handoffId);
  const [interactionRow] = handoff.interactionId
    ? await db
        .select({ interaction: interactions, versionDocument: flowVersions.document, draft: flows.draft, flowName: flows.name })
        .from(interactions)
        .leftJoin(flows, eq(flows.id, interactions.flowId))
        .leftJoin(flowVersions, eq(flowVersions.id, interactions.flowVersionId))
        .where(eq(interactions.id, handoff.interactionId))
    : [];
  const interaction = interactionRow?.interaction ?? null;
  const customerId = handoff.customerId ?? interaction?.customerId ?? null;
  const [steps, messageRows, customerRows, identityRows, tagRows, eventRows, noteRows, scriptRows] = await Promise.all([
    interaction ? db.select().from(interactionSteps).where(eq(interactionSteps.interactionId, interaction.id)).orderBy(asc(interactionSteps.seq)) : [],
    interaction ? db.select().from(messages).where(eq(messages.interactionId, interaction.id)).orderBy(asc(messages.createdAt)) : [],
    customerId ? db.select().from(customers).where(eq(customers.id, customerId)) : [],
    customerId ? db.select({ kind: customerIdentities.kind, value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.customerId, customerId)).orderBy(asc(customerIdentities.kind)) : [],
    customerId
      ? db
          .select({ tag: customerTags.tag, category: tags.category })
          .from(customerTags)
          .leftJoin(tags, eq(tags.name, customerTags.tag))
          .where(and(eq(customerTags.customerId, customerId), tagInForce))
          .orderBy(asc(customerTags.tag))
      : [],
    db
      .select({ kind: handoffEvents.kind, at: handoffEvents.at, detail: handoffEvents.detail, agentName: agents.name })
      .from(handoffEvents)
      .leftJoin(agents, eq(agents.id, handoffEvents.agentId))
      .where(eq(handoffEvents.handoffId, handoffId))
      .orderBy(asc(handoffEvents.at), asc(handoffEvents.id)),
    db
      .select({ id: handoffNotes.id, body: handoffNotes.body, createdAt: handoffNotes.createdAt, agentName: agents.name })
      .from(handoffNotes)
      .leftJoin(agents, eq(agents.id, handoffNotes.agentId))
      .where(eq(handoffNotes.handoffId, handoffId))
      .orderBy(asc(handoffNotes.createdAt)),
    db.select().from(scripts).where(eq(scripts.active, true)).orderBy(asc(scripts.createdAt)),
  ]);
  const customer = customerRows[0] ?? null;
  const document = interactionRow ? (interactionRow.versionDocument ?? interactionRow.draft ?? null) : null;
  const channel = interaction?.channel ?? handoff.channel;

  const transcript: TranscriptEntry[] = [
    ...(channel === 'voice' ? spokenPrompts(document, steps, customer) : []),
    ...steps.flatMap((step) =>
      (stringsOf(step.data.inputs) ?? (step.input !== null ? [step.input] : []))
        .filter((text) => text !== '')
        .map((text): TranscriptEntry => ({ at: step.endedAt, who: 'customer', kind: 'input', text, nodeId: step.nodeId, channel })),
    ),
    ...messageRows.map(
      (m): TranscriptEntry => ({ at: m.createdAt, who: m.direction === 'inbound' ? 'customer' : m.agentId ? 'agent' : 'flow', kind: 'message', text: m.body, channel: m.channel }),
    ),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  const scored = emotionScored(steps);
  const trend = steps.flatMap((s) => {
    const e = scored.get(s.seq);
    return e ? [{ seq: s.seq, nodeId: s.nodeId, at: s.endedAt, score: e.score, label: e.label }] : [];
  });
  const score = interaction?.emotionScore ?? trend.at(-1)?.score ?? null;
  const label = interaction?.emotionLabel ?? trend.at(-1)?.label ?? null;
  const upset = label === 'upset' || (score !== null && score < DEFAULT_UPSET_BELOW);

  const tagNames = tagRows.map((t) => t.tag);
  const base = scriptVariables({ customer: customer ?? {}, agent: { name: options.agentName ?? '' } });
  const vars = {
    customer: { ...base.customer, locale: customer?.locale ?? '', tags: tagNames.join(', ') },
    agent: base.agent,
    vars: interaction?.vars ?? {},
  };
  const suggested = suggestScripts(scriptRows, { upset, tags: tagNames, language: options.language }).map((s) => ({
    id: s.id,
    title: s.title,
    language: s.language,
    trigger: s.trigger,
    tag: s.tag,
    text: renderScript(s.body, vars),
  }));

  return {
    handoff: {
      id: handoff.id,
      status: handoff.status,
      channel: handoff.channel,
      skill: handoff.skill,
      priority: handoff.priority,
      urgent: handoff.urgent,
      reason: handoff.reason,
      summary: handoff.summary,
      queuedAt: handoff.queuedAt,
      acceptedAt: handoff.acceptedAt,
      endedAt: handoff.endedAt,
      offeredAgentId: handoff.offeredAgentId,
      assignedAgentId: handoff.assignedAgentId,
      offerExpiresAt: handoff.offerExpiresAt,
    },
    interaction: interaction && {
      id: interaction.id,
      flowId: interaction.flowId,
      flowName: interactionRow?.flowName ?? null,
      status: interaction.status,
      startedAt: interaction.startedAt,
      /** The execution view of this contact. */
      executionHref: interaction.flowId ? `/flows/${interaction.flowId}/executions/${interaction.id}` : null,
    },
    transcript,
    path: steps.map((s) => ({ seq: s.seq, nodeId: s.nodeId, nodeType: s.nodeType, port: s.port })),
    customer: customer && {
      id: customer.id,
      name: fullName(customer),
      locale: customer.locale,
      valueScore: customer.valueScore,
      behaviourScore: customer.behaviourScore,
      identities: identityRows,
      tagsByCategory: Object.fromEntries(
        (['value', 'static', 'dynamic', 'preference'] as const).flatMap((category) => {
          const names = tagRows.filter((t) => (t.category ?? 'static') === category).map((t) => t.tag);
          return names.length > 0 ? [[category, names]] : [];
        }),
      ) as Partial<Record<'value' | 'static' | 'dynamic' | 'preference', string[]>>,
    },
    emotion: { score, label, upset, trend, direction: emotionTrend(trend.map((t) => t.score)) },
    history: eventRows.map((e) => ({ kind: e.kind, at: e.at, agentName: e.agentName, note: typeof e.detail.note === 'string' ? e.detail.note : null })),
    notes: noteRows,
    scripts: suggested,
  };
}

/** Where a conversation can be transferred: every queue, and every other agent with their state. */
export async function transferTargets(db: Db, exceptAgentId: string | null, now = new Date()) {
  const [skillRows, agentRows] = await Promise.all([db.select({ id: skills.id, name: skills.name }).from(skills).orderBy(asc(skills.name)), db.select().from(agents).orderBy(asc(agents.name))]);
  const others = agentRows.filter((a) => a.id !== exceptAgentId);
  const states = await agentStates(db, others, now);
  return { skills: skillRows, agents: others.map((a) => ({ id: a.id, name: a.name, senior: a.senior, state: states.get(a.id) ?? 'offline' })) };
}

export async function activeWrapCodes(db: Db) {
  return db.select({ id: wrapCodes.id, label: wrapCodes.label, labelZh: wrapCodes.labelZh }).from(wrapCodes).where(eq(wrapCodes.active, true)).orderBy(asc(wrapCodes.label));
}

/** The supervisor's board: per queue the waiting count, longest wait and today's service level; agents by state; the waiting handoffs. */
export async function supervisorBoard(db: Db, now = new Date()) {
  const dayStart = new Date(now);
  dayStart.setHours(0, 0, 0, 0);
  const [skillRows, agentRows, skillLinks, waitingRows, todayRows] = await Promise.all([
    db.select().from(skills).orderBy(asc(skills.name)),
    db.select().from(agents).orderBy(asc(agents.name)),
    db.select().from(agentSkills),
    db
      .select({ handoff: handoffs, firstName: customers.firstName, lastName: customers.lastName, offeredTo: agents.name })
      .from(handoffs)
      .leftJoin(customers, eq(customers.id, handoffs.customerId))
      .leftJoin(agents, eq(agents.id, handoffs.offeredAgentId))
      .where(inArray(handoffs.status, ['queued', 'offered']))
      .orderBy(asc(handoffs.virtualStart)),
    db
      .select({
        skill: handoffs.skill,
        queuedAt: sql<Date>`coalesce(min(${handoffEvents.at}) filter (where ${handoffEvents.kind} = 'queued'), min(${handoffs.createdAt}))`.mapWith(handoffEvents.at),
        acceptedAt: sql<Date | null>`min(${handoffEvents.at}) filter (where ${handoffEvents.kind} = 'accepted')`.mapWith(handoffEvents.at),
        closedAt: sql<Date | null>`min(${handoffEvents.at}) filter (where ${handoffEvents.kind} in ('abandoned', 'timeout'))`.mapWith(handoffEvents.at),
      })
      .from(handoffEvents)
      .innerJoin(handoffs, eq(handoffs.id, handoffEvents.handoffId))
      .where(gte(handoffs.createdAt, dayStart))
      .groupBy(handoffs.id, handoffs.skill),
  ]);
  const states = await agentStates(db, agentRows, now);
  const queues = skillRows.map((skill) => {
    const waiting = waitingRows.filter((r) => r.handoff.skill === skill.id);
    const longest = waiting.reduce<number | null>((max, r) => Math.max(max ?? 0, now.getTime() - r.handoff.queuedAt.getTime()), null);
    const entries = todayRows.filter((r) => r.skill === skill.id).map((r) => ({ queuedAt: r.queuedAt, acceptedAt: r.acceptedAt, closedAt: r.closedAt }));
    return {
      id: skill.id,
      name: skill.name,
      serviceLevelSeconds: skill.serviceLevelSeconds,
      waiting: waiting.length,
      longestWaitSeconds: longest === null ? null : Math.round(longest / 1000),
      serviceLevel: serviceLevel(entries, skill.serviceLevelSeconds, now),
    };
  });
  return {
    now,
    queues,
    agents: agentRows.map((a) => ({
      id: a.id,
      name: a.name,
      senior: a.senior,
      choice: a.choice,
      state: states.get(a.id) ?? 'offline',
      skills: skillLinks.filter((l) => l.agentId === a.id).map((l) => ({ skill: l.skillId, level: l.level })),
    })),
    waiting: waitingRows.map((r) => ({
      id: r.handoff.id,
      skill: r.handoff.skill,
      channel: r.handoff.channel,
      status: r.handoff.status,
      priority: r.handoff.priority,
      urgent: r.handoff.urgent,
      reason: r.handoff.reason,
      customerName: fullName(r),
      offeredTo: r.offeredTo,
      waitSeconds: Math.round((now.getTime() - r.handoff.queuedAt.getTime()) / 1000),
    })),
  };
}

/** The handoff as far as access goes: who holds or is offered it, and whether it is still open. */
export async function handoffAccess(db: Db, handoffId: string) {
  const [row] = await db
    .select({ id: handoffs.id, status: handoffs.status, offeredAgentId: handoffs.offeredAgentId, assignedAgentId: handoffs.assignedAgentId, channel: handoffs.channel })
    .from(handoffs)
    .where(eq(handoffs.id, handoffId));
  if (!row) return null;
  return { ...row, open: (OPEN as readonly string[]).includes(row.status), closed: (CLOSED_HANDOFF_STATUSES as readonly string[]).includes(row.status) };
}
