import 'server-only';
import { and, asc, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customers, customerTags, flows, flowVersions, handoffs, interactions, interactionSteps, messages } from '@/db/schema';
import { INTERACTION_STATUSES } from '@/db/schema/interactions';
import type { FlowDocument } from '@/workflows/document';
import { tagsApplied } from './path';

/**
 * Executions: one per call or SMS conversation (an interaction), with its steps. What the
 * executions list filters and what the execution view replays on the canvas.
 */

export const EXECUTION_STATUSES = INTERACTION_STATUSES;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export class ExecutionNotFoundError extends Error {
  constructor(id: string) {
    super(`No execution ${id}.`);
  }
}

export interface ExecutionFilter {
  flowId: string;
  /** Version numbers; 'draft' selects test runs of drafts (which have no version). */
  versions?: (number | 'draft')[];
  statuses?: ExecutionStatus[];
  channel?: 'voice' | 'sms';
  from?: Date;
  to?: Date;
  /** Draft test runs from the simulator are left out unless asked for. */
  includeTests?: boolean;
  limit?: number;
  /** Only executions that started before this instant: the next page. */
  before?: Date;
  /** Only executions that passed through this node (the performance overlay's "matching executions"). */
  nodeId?: string;
  /** Only those that ended at this node, hung up (the overlay's drop-off). */
  droppedAt?: string;
}

export function executionWhere(filter: ExecutionFilter): SQL {
  const where: SQL[] = [eq(interactions.flowId, filter.flowId)];
  if (!filter.includeTests) where.push(eq(interactions.isTest, false));
  if (filter.statuses && filter.statuses.length > 0) where.push(inArray(interactions.status, filter.statuses));
  if (filter.channel) where.push(eq(interactions.channel, filter.channel));
  if (filter.from) where.push(gte(interactions.startedAt, filter.from));
  if (filter.to) where.push(lte(interactions.startedAt, filter.to));
  // lt(), not raw sql: the column maps the Date to an ISO string; a raw Date reached postgres.js as
  // Date#toString, which Postgres misreads for the year 1.
  if (filter.before) where.push(lt(interactions.startedAt, filter.before));
  if (filter.nodeId) {
    where.push(sql`exists (select 1 from ${interactionSteps} where ${interactionSteps.interactionId} = ${interactions.id} and ${interactionSteps.nodeId} = ${filter.nodeId})`);
  }
  if (filter.droppedAt) {
    where.push(eq(interactions.status, 'abandoned'));
    where.push(
      sql`exists (select 1 from ${interactionSteps} where ${interactionSteps.interactionId} = ${interactions.id} and ${interactionSteps.nodeId} = ${filter.droppedAt} and ${interactionSteps.port} is null)`,
    );
  }
  if (filter.versions && filter.versions.length > 0) {
    const numbers = filter.versions.filter((v): v is number => typeof v === 'number');
    const parts: SQL[] = [];
    if (numbers.length > 0) parts.push(inArray(interactions.flowVersionId, sql`(select ${flowVersions.id} from ${flowVersions} where ${flowVersions.flowId} = ${filter.flowId} and ${inArray(flowVersions.version, numbers)})`));
    if (filter.versions.includes('draft')) parts.push(sql`${interactions.flowVersionId} is null`);
    const [only] = parts;
    where.push(parts.length === 1 && only !== undefined ? only : sql`(${sql.join(parts, sql` or `)})`);
  }
  return and(...where) as SQL;
}

export async function listExecutions(db: Db, filter: ExecutionFilter) {
  const limit = Math.min(filter.limit ?? 50, 200);
  const rows = await db
    .select({
      id: interactions.id,
      channel: interactions.channel,
      status: interactions.status,
      isTest: interactions.isTest,
      version: flowVersions.version,
      fromNumber: interactions.fromNumber,
      toNumber: interactions.toNumber,
      firstName: customers.firstName,
      lastName: customers.lastName,
      emotionScore: interactions.emotionScore,
      emotionLabel: interactions.emotionLabel,
      error: interactions.error,
      startedAt: interactions.startedAt,
      endedAt: interactions.endedAt,
      // Per row, not a join on every interaction's step count: the list stays fast with millions of steps.
      steps: sql<number>`(select count(*) from ${interactionSteps} where ${interactionSteps.interactionId} = ${interactions.id})`.mapWith(Number),
    })
    .from(interactions)
    .leftJoin(flowVersions, eq(flowVersions.id, interactions.flowVersionId))
    .leftJoin(customers, eq(customers.id, interactions.customerId))
    .where(executionWhere(filter))
    .orderBy(desc(interactions.startedAt), desc(interactions.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(({ firstName, lastName, steps, ...row }) => ({
    ...row,
    customerName: [firstName, lastName].filter(Boolean).join(' ') || null,
    steps: Number(steps ?? 0),
    durationMs: row.endedAt ? row.endedAt.getTime() - row.startedAt.getTime() : null,
  }));
  return { items, nextBefore: rows.length > limit ? (items.at(-1)?.startedAt ?? null) : null };
}

/** The version numbers a flow has, for the list's filter. */
export async function executionVersions(db: Db, flowId: string) {
  const rows = await db.select({ version: flowVersions.version }).from(flowVersions).where(eq(flowVersions.flowId, flowId)).orderBy(desc(flowVersions.version));
  return rows.map((r) => r.version);
}

/**
 * One execution with everything the execution view shows: the document it ran (the version's,
 * or for a draft test run the current draft), its steps in order with timing and input, the
 * messages and handoffs it produced, the customer and the final variables, emotion and error.
 */
export async function getExecution(db: Db, id: string) {
  const [row] = await db
    .select({ interaction: interactions, flowName: flows.name, draft: flows.draft, version: flowVersions.version, versionDocument: flowVersions.document })
    .from(interactions)
    .leftJoin(flows, eq(flows.id, interactions.flowId))
    .leftJoin(flowVersions, eq(flowVersions.id, interactions.flowVersionId))
    .where(eq(interactions.id, id));
  if (!row) throw new ExecutionNotFoundError(id);
  const { interaction } = row;
  const [steps, messageRows, handoffRows, customerRows, tagRows] = await Promise.all([
    db.select().from(interactionSteps).where(eq(interactionSteps.interactionId, id)).orderBy(asc(interactionSteps.seq)),
    db
      .select({ id: messages.id, direction: messages.direction, body: messages.body, status: messages.status, error: messages.error, fromNumber: messages.fromNumber, toNumber: messages.toNumber, createdAt: messages.createdAt })
      .from(messages)
      .where(eq(messages.interactionId, id))
      .orderBy(asc(messages.createdAt)),
    db
      .select({ id: handoffs.id, skill: handoffs.skill, priority: handoffs.priority, urgent: handoffs.urgent, reason: handoffs.reason, summary: handoffs.summary, status: handoffs.status, createdAt: handoffs.createdAt })
      .from(handoffs)
      .where(eq(handoffs.interactionId, id))
      .orderBy(asc(handoffs.createdAt)),
    interaction.customerId ? db.select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName, locale: customers.locale }).from(customers).where(eq(customers.id, interaction.customerId)) : Promise.resolve([]),
    interaction.customerId ? db.select({ tag: customerTags.tag, source: customerTags.source }).from(customerTags).where(eq(customerTags.customerId, interaction.customerId)).orderBy(customerTags.tag) : Promise.resolve([]),
  ]);
  const document: FlowDocument | null = row.versionDocument ?? row.draft ?? null;
  const customer = customerRows[0];
  return {
    id: interaction.id,
    flowId: interaction.flowId,
    flowName: row.flowName,
    version: row.version,
    /** Test runs of a draft show the draft as it is now, which may have changed since. */
    documentSource: row.versionDocument ? ('version' as const) : ('draft' as const),
    document,
    channel: interaction.channel,
    status: interaction.status,
    isTest: interaction.isTest,
    externalId: interaction.externalId,
    fromNumber: interaction.fromNumber,
    toNumber: interaction.toNumber,
    emotionScore: interaction.emotionScore,
    emotionLabel: interaction.emotionLabel,
    vars: interaction.vars,
    error: interaction.error,
    startedAt: interaction.startedAt,
    endedAt: interaction.endedAt,
    customer: customer ? { id: customer.id, name: [customer.firstName, customer.lastName].filter(Boolean).join(' ') || null, locale: customer.locale, tags: tagRows } : null,
    steps: steps.map((s) => ({ seq: s.seq, nodeId: s.nodeId, nodeType: s.nodeType, port: s.port, input: s.input, data: s.data, error: s.error, startedAt: s.startedAt, endedAt: s.endedAt, durationMs: s.durationMs })),
    tagsApplied: tagsApplied(steps),
    messages: messageRows,
    handoffs: handoffRows,
  };
}
