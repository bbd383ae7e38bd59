import 'server-only';
import { and, desc, eq, ilike, inArray, isNotNull, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { experiments, experimentVariants, flows, flowVersions, phoneNumbers, skills, tags, users } from '@/db/schema';
import { nodeCatalog } from '@/nodes/registry';
import { compileFlow } from '@/workflows/compile';
import { type Diagnostic, formatPath } from '@/workflows/diagnostics';
import { diffFlows } from '@/workflows/diff';
import { flowDocumentSchema, type FlowDocument } from '@/workflows/document';
import { pickVariant } from '@/server/analytics/assign';
import { type AuditActor, recordAudit } from '@/server/audit/service';
import type { FlowStatusFilter } from './status';
import { type FlowTemplate, templateDocument } from './templates';

export class PublishError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(message);
  }
}

export async function createFlow(db: Db, document: FlowDocument, userId?: string) {
  const parsed = flowDocumentSchema.parse(document);
  const inserted = await db
    .insert(flows)
    .values({ name: parsed.name, description: parsed.description ?? '', draft: parsed, createdBy: userId, updatedBy: userId })
    .returning();
  return firstRow(inserted, 'insert into flows');
}

/**
 * Compiles the document and stores it as the flow's next immutable version, which becomes live.
 * Refused, with the diagnostics, while the document has errors.
 */
export async function publishFlow(db: Db, input: { flowId: string; document: FlowDocument; message: string; userId?: string }) {
  const { diagnostics, compiled } = compileFlow(input.document, nodeCatalog);
  if (!compiled) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new PublishError(`The flow has ${errors.length} error(s): ${errors.map((d) => d.message).join('; ')}`, diagnostics);
  }
  return db.transaction(async (tx) => {
    const { latest } = firstRow(
      await tx.select({ latest: max(flowVersions.version) }).from(flowVersions).where(eq(flowVersions.flowId, input.flowId)),
      'max(flow_versions.version)',
    );
    const inserted = await tx
      .insert(flowVersions)
      .values({
        flowId: input.flowId,
        version: (latest ?? 0) + 1,
        document: input.document,
        compiled,
        hash: compiled.hash,
        message: input.message,
        publishedBy: input.userId,
      })
      .returning();
    const version = firstRow(inserted, 'insert into flow_versions');
    await tx.update(flows).set({ liveVersionId: version.id, updatedAt: new Date() }).where(eq(flows.id, input.flowId));
    return { version, diagnostics };
  });
}

/** Binds a number to the flow for the flow's channel; one voice and one SMS flow per number. */
export async function bindNumber(db: Db, input: { flowId: string; number: string; channel: 'voice' | 'sms'; label?: string }) {
  const column = input.channel === 'voice' ? { voiceFlowId: input.flowId } : { smsFlowId: input.flowId };
  await db
    .insert(phoneNumbers)
    .values({ number: input.number, label: input.label ?? '', ...column })
    .onConflictDoUpdate({ target: phoneNumbers.number, set: column });
}

/**
 * The program for inbound traffic to a number, or undefined when nothing answers there: the flow's
 * live version, or, while the number runs an experiment, the version of the arm this caller is
 * assigned to (sticky per caller, server/analytics/assign.ts) with `experimentVariantId` set so the
 * interaction records the exposure.
 */
export async function liveFlowForNumber(db: Db, number: string, channel: 'voice' | 'sms', caller?: string) {
  const column = channel === 'voice' ? phoneNumbers.voiceFlowId : phoneNumbers.smsFlowId;
  const [row] = await db
    .select({ flowId: flows.id, flowName: flows.name, versionId: flowVersions.id, version: flowVersions.version, compiled: flowVersions.compiled })
    .from(phoneNumbers)
    .innerJoin(flows, eq(flows.id, column))
    .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
    .where(and(eq(phoneNumbers.number, number), eq(phoneNumbers.active, true), eq(flows.status, 'active')))
    .limit(1);
  if (!row || caller === undefined) return row && { ...row, experimentVariantId: undefined };
  const arms = await db
    .select({ experimentId: experiments.id, variantId: experimentVariants.id, weight: experimentVariants.weight, versionId: experimentVariants.flowVersionId })
    .from(experiments)
    .innerJoin(experimentVariants, eq(experimentVariants.experimentId, experiments.id))
    .where(and(eq(experiments.number, number), eq(experiments.channel, channel), eq(experiments.status, 'running'), eq(experiments.flowId, row.flowId)))
    .orderBy(experimentVariants.position);
  if (arms.length === 0) return { ...row, experimentVariantId: undefined };
  const arm = pickVariant(arms[0]!.experimentId, caller, arms);
  const [version] = await db
    .select({ versionId: flowVersions.id, version: flowVersions.version, compiled: flowVersions.compiled })
    .from(flowVersions)
    .where(eq(flowVersions.id, arm.versionId));
  if (!version) return { ...row, experimentVariantId: undefined };
  return { ...row, ...version, experimentVariantId: arm.variantId };
}

export async function listVersions(db: Db, flowId: string) {
  return db.select().from(flowVersions).where(eq(flowVersions.flowId, flowId)).orderBy(desc(flowVersions.version));
}

// ---------------------------------------------------------------------------------------------
// The flows list and editor (issue 5)

export class FlowNotFoundError extends Error {
  constructor(readonly flowId: string) {
    super(`Flow ${flowId} does not exist`);
  }
}

/** The draft changed since the caller read it: saving would overwrite someone else's work. */
export class DraftConflictError extends Error {
  constructor(
    readonly currentRevision: number,
    readonly updatedBy: string | null,
    readonly updatedAt: Date,
  ) {
    super(`The draft was changed elsewhere (now at revision ${currentRevision}); reload it before saving`);
  }
}

export { FLOW_STATUS_FILTERS, type FlowStatusFilter } from './status';

export interface BoundNumber {
  number: string;
  label: string;
  channel: 'voice' | 'sms';
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function numbersOf(db: Db, flowIds: string[]): Promise<Map<string, BoundNumber[]>> {
  const byFlow = new Map<string, BoundNumber[]>();
  if (flowIds.length === 0) return byFlow;
  const rows = await db
    .select()
    .from(phoneNumbers)
    .where(or(inArray(phoneNumbers.voiceFlowId, flowIds), inArray(phoneNumbers.smsFlowId, flowIds)))
    .orderBy(phoneNumbers.number);
  const add = (flowId: string | null, bound: BoundNumber) => {
    if (!flowId) return;
    const list = byFlow.get(flowId) ?? [];
    list.push(bound);
    byFlow.set(flowId, list);
  };
  for (const row of rows) {
    add(row.voiceFlowId, { number: row.number, label: row.label, channel: 'voice' });
    add(row.smsFlowId, { number: row.number, label: row.label, channel: 'sms' });
  }
  return byFlow;
}

/** The flows list: newest edit first; `search` matches the name, the description or a bound number. */
export async function listFlows(db: Db, input: { search?: string; status?: FlowStatusFilter } = {}) {
  const status = input.status ?? 'all';
  const where: SQL[] = [eq(flows.status, status === 'archived' ? 'archived' : 'active')];
  if (status === 'draft') where.push(isNull(flows.liveVersionId));
  if (status === 'published') where.push(isNotNull(flows.liveVersionId));
  const search = input.search?.trim();
  if (search) {
    const like = `%${escapeLike(search)}%`;
    where.push(
      or(
        ilike(flows.name, like),
        ilike(flows.description, like),
        sql`exists (select 1 from ${phoneNumbers} where (${phoneNumbers.voiceFlowId} = ${flows.id} or ${phoneNumbers.smsFlowId} = ${flows.id}) and ${phoneNumbers.number} ilike ${like})`,
      ) as SQL,
    );
  }
  const rows = await db
    .select({
      id: flows.id,
      name: flows.name,
      description: flows.description,
      status: flows.status,
      draftRevision: flows.draftRevision,
      updatedAt: flows.updatedAt,
      updatedBy: flows.updatedBy,
      liveVersion: flowVersions.version,
    })
    .from(flows)
    .leftJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
    .where(and(...where))
    .orderBy(desc(flows.updatedAt), flows.name);
  const numbers = await numbersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ ...row, numbers: numbers.get(row.id) ?? [] }));
}

async function requireFlow(db: Db, flowId: string) {
  const [flow] = await db.select().from(flows).where(eq(flows.id, flowId));
  if (!flow) throw new FlowNotFoundError(flowId);
  return flow;
}

/** One flow with its draft, the live version's number and the numbers it answers. */
export async function getFlow(db: Db, flowId: string) {
  const flow = await requireFlow(db, flowId);
  const [live] = flow.liveVersionId
    ? await db.select({ version: flowVersions.version }).from(flowVersions).where(eq(flowVersions.id, flow.liveVersionId))
    : [];
  const numbers = await numbersOf(db, [flow.id]);
  return { ...flow, liveVersion: live?.version ?? null, numbers: numbers.get(flow.id) ?? [] };
}

export async function createFlowFromTemplate(db: Db, input: { name: string; template: FlowTemplate; userId?: string }) {
  return createFlow(db, templateDocument(input.template, input.name), input.userId);
}

/** A new flow whose draft is a copy of the flow's draft; versions and numbers stay with the original. */
export async function duplicateFlow(db: Db, input: { flowId: string; name: string; userId?: string }) {
  const flow = await requireFlow(db, input.flowId);
  return createFlow(db, { ...flow.draft, name: input.name }, input.userId);
}

/** A new draft: the name and description follow the document, and the revision goes up. */
function draftChange(document: FlowDocument, userId?: string) {
  return {
    draft: document,
    name: document.name,
    description: document.description ?? '',
    draftRevision: sql`${flows.draftRevision} + 1`,
    updatedAt: new Date(),
    updatedBy: userId ?? null,
  };
}

/**
 * Replaces the draft when the caller saw the latest revision, and bumps it. The name and
 * description follow the document. A stale revision throws `DraftConflictError`.
 */
export async function saveDraft(db: Db, input: { flowId: string; document: FlowDocument; expectedRevision: number; userId?: string }) {
  const document = flowDocumentSchema.parse(input.document);
  const [row] = await db
    .update(flows)
    .set(draftChange(document, input.userId))
    .where(and(eq(flows.id, input.flowId), eq(flows.draftRevision, input.expectedRevision)))
    .returning({ draftRevision: flows.draftRevision, updatedAt: flows.updatedAt });
  if (row) return row;
  const current = await requireFlow(db, input.flowId);
  throw new DraftConflictError(current.draftRevision, current.updatedBy, current.updatedAt);
}

export async function renameFlow(db: Db, input: { flowId: string; name: string; userId?: string }) {
  const flow = await requireFlow(db, input.flowId);
  return saveDraft(db, { flowId: flow.id, document: { ...flow.draft, name: input.name }, expectedRevision: flow.draftRevision, userId: input.userId });
}

/** Archived flows leave the list and stop answering their numbers; unarchiving brings both back. */
export async function setFlowArchived(db: Db, input: { flowId: string; archived: boolean; userId?: string }) {
  const [row] = await db
    .update(flows)
    .set({ status: input.archived ? 'archived' : 'active', updatedAt: new Date(), updatedBy: input.userId ?? null })
    .where(eq(flows.id, input.flowId))
    .returning({ id: flows.id, status: flows.status });
  if (!row) throw new FlowNotFoundError(input.flowId);
  return row;
}

export type PublishOutcome =
  | { ok: true; version: { id: string; version: number; message: string; publishedAt: Date; channel: 'voice' | 'sms' }; number?: string }
  | { ok: false; diagnostics: Diagnostic[] };

/**
 * Publishes the stored draft (what the editor last saved, at `expectedRevision` when given) and
 * optionally binds a number to it. Refused with the diagnostics while the draft has errors.
 */
/** Publishes the draft, binds the number and writes the audit record: all of it or nothing. */
export async function publishDraft(
  db: Db,
  input: { flowId: string; message: string; expectedRevision?: number; number?: string; actor?: AuditActor },
): Promise<PublishOutcome> {
  const flow = await requireFlow(db, input.flowId);
  if (input.expectedRevision !== undefined && flow.draftRevision !== input.expectedRevision) {
    throw new DraftConflictError(flow.draftRevision, flow.updatedBy, flow.updatedAt);
  }
  return publishDocument(db, { flowId: flow.id, document: flow.draft, message: input.message, number: input.number, actor: input.actor }, async (tx, version) => {
    await recordAudit(tx, {
      action: 'flow.publish',
      actor: input.actor,
      target: { type: 'flow', id: flow.id },
      details: { version: version.version, message: input.message, ...(input.number && { number: input.number }) },
    });
  });
}

type PublishedVersion = Awaited<ReturnType<typeof publishFlow>>['version'];

/** Publishes in one transaction with `alsoDo` (the audit record, a draft change), so a failure leaves nothing behind. */
async function publishDocument(
  db: Db,
  input: { flowId: string; document: FlowDocument; message: string; number?: string; actor?: AuditActor },
  alsoDo: (tx: Db, version: PublishedVersion) => Promise<void>,
): Promise<PublishOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const { version } = await publishFlow(tx, { flowId: input.flowId, document: input.document, message: input.message, userId: input.actor?.userId });
      const channel = version.compiled.channel;
      if (input.number) await bindNumber(tx, { flowId: input.flowId, number: input.number, channel });
      await alsoDo(tx, version);
      return {
        ok: true as const,
        version: { id: version.id, version: version.version, message: version.message, publishedAt: version.publishedAt, channel },
        ...(input.number && { number: input.number }),
      };
    });
  } catch (error) {
    if (error instanceof PublishError) return { ok: false, diagnostics: error.diagnostics };
    throw error;
  }
}

/** Versions newest first, without their documents; `live` marks the one numbers answer with. */
export async function listVersionSummaries(db: Db, flowId: string) {
  const flow = await requireFlow(db, flowId);
  const rows = await db
    .select({
      id: flowVersions.id,
      version: flowVersions.version,
      message: flowVersions.message,
      hash: flowVersions.hash,
      publishedBy: flowVersions.publishedBy,
      authorName: users.name,
      authorEmail: users.email,
      publishedAt: flowVersions.publishedAt,
    })
    .from(flowVersions)
    .leftJoin(users, eq(users.id, flowVersions.publishedBy))
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version));
  return rows.map((row) => ({ ...row, live: row.id === flow.liveVersionId }));
}

/** A version number, or 'draft' for the current draft. */
export type DocumentRef = number | 'draft';

export async function documentAt(db: Db, flowId: string, ref: DocumentRef): Promise<FlowDocument> {
  if (ref === 'draft') return (await requireFlow(db, flowId)).draft;
  const [row] = await db
    .select({ document: flowVersions.document })
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.version, ref)));
  if (!row) throw new FlowNotFoundError(`${flowId} version ${ref}`);
  return row.document;
}

/** Both documents and what changed from `from` to `to`. */
export async function diffVersions(db: Db, input: { flowId: string; from: DocumentRef; to: DocumentRef }) {
  const [before, after] = await Promise.all([documentAt(db, input.flowId, input.from), documentAt(db, input.flowId, input.to)]);
  return { before, after, diff: diffFlows(before, after) };
}

/**
 * Rolls back by republishing an earlier version's document as a new version (history only grows),
 * and makes it the draft so the canvas shows what is live.
 */
export async function rollbackFlow(db: Db, input: { flowId: string; version: number; message: string; actor?: AuditActor }) {
  const document = await documentAt(db, input.flowId, input.version);
  let draftRevision: number | undefined;
  const outcome = await publishDocument(db, { flowId: input.flowId, document, message: input.message, actor: input.actor }, async (tx, version) => {
    const [row] = await tx.update(flows).set(draftChange(document, input.actor?.userId)).where(eq(flows.id, input.flowId)).returning({ draftRevision: flows.draftRevision });
    draftRevision = row?.draftRevision;
    await recordAudit(tx, { action: 'flow.rollback', actor: input.actor, target: { type: 'flow', id: input.flowId }, details: { to: input.version, version: version.version } });
  });
  return outcome.ok ? { ...outcome, draftRevision } : { ...outcome, draftRevision: undefined };
}

export interface ImportProblem {
  /** `nodes[2].position.x`; empty for the whole file. */
  path: string;
  message: string;
}

/** Parses and validates flow JSON; a failure lists every problem so the designer can fix the file. */
export function parseFlowJson(json: string): { ok: true; document: FlowDocument } | { ok: false; problems: ImportProblem[] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const parsed = flowDocumentSchema.safeParse(data);
  if (parsed.success) return { ok: true, document: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))),
      message: issue.message,
    })),
  };
}

/**
 * Imports flow JSON as a new flow, or as the draft of `flowId` (at `expectedRevision`).
 * An invalid file changes nothing and says what is wrong.
 */
export async function importFlow(db: Db, input: { json: string; flowId?: string; expectedRevision?: number; userId?: string }) {
  const parsed = parseFlowJson(input.json);
  if (!parsed.ok) return parsed;
  if (input.flowId === undefined) {
    const flow = await createFlow(db, parsed.document, input.userId);
    return { ok: true as const, flowId: flow.id, draftRevision: flow.draftRevision, document: parsed.document };
  }
  const current = await requireFlow(db, input.flowId);
  const saved = await saveDraft(db, {
    flowId: current.id,
    document: parsed.document,
    expectedRevision: input.expectedRevision ?? current.draftRevision,
    userId: input.userId,
  });
  return { ok: true as const, flowId: current.id, draftRevision: saved.draftRevision, document: parsed.document };
}

/** Numbers for the publish dialog, with the flows they answer with. */
export async function listNumbers(db: Db) {
  const rows = await db
    .select({ number: phoneNumbers.number, label: phoneNumbers.label, voiceFlowId: phoneNumbers.voiceFlowId, smsFlowId: phoneNumbers.smsFlowId })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.active, true))
    .orderBy(phoneNumbers.number);
  const ids = [...new Set(rows.flatMap((r) => [r.voiceFlowId, r.smsFlowId]).filter((id): id is string => id !== null))];
  const names = new Map(ids.length > 0 ? (await db.select({ id: flows.id, name: flows.name }).from(flows).where(inArray(flows.id, ids))).map((f) => [f.id, f.name]) : []);
  return rows.map((r) => ({
    ...r,
    voiceFlowName: r.voiceFlowId ? (names.get(r.voiceFlowId) ?? null) : null,
    smsFlowName: r.smsFlowId ? (names.get(r.smsFlowId) ?? null) : null,
  }));
}

/** What the tag and skill pickers offer. */
export async function pickerOptions(db: Db) {
  const [tagRows, skillRows] = await Promise.all([
    db.select({ name: tags.name, category: tags.category, description: tags.description }).from(tags).orderBy(tags.name),
    db.select({ id: skills.id, name: skills.name, description: skills.description }).from(skills).orderBy(skills.name),
  ]);
  return { tags: tagRows, skills: skillRows };
}
