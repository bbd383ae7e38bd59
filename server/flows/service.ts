import { and, desc, eq, max } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { flows, flowVersions, phoneNumbers } from '@/db/schema';
import { nodeCatalog } from '@/nodes/registry';
import { compileFlow } from '@/workflows/compile';
import type { Diagnostic } from '@/workflows/diagnostics';
import { flowDocumentSchema, type FlowDocument } from '@/workflows/document';

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
  const [flow] = await db
    .insert(flows)
    .values({ name: parsed.name, description: parsed.description ?? '', draft: parsed, createdBy: userId, updatedBy: userId })
    .returning();
  return flow;
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
    const [{ latest }] = await tx.select({ latest: max(flowVersions.version) }).from(flowVersions).where(eq(flowVersions.flowId, input.flowId));
    const [version] = await tx
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

/** The live program for inbound traffic to a number, or undefined when nothing answers there. */
export async function liveFlowForNumber(db: Db, number: string, channel: 'voice' | 'sms') {
  const column = channel === 'voice' ? phoneNumbers.voiceFlowId : phoneNumbers.smsFlowId;
  const [row] = await db
    .select({ flowId: flows.id, flowName: flows.name, versionId: flowVersions.id, version: flowVersions.version, compiled: flowVersions.compiled })
    .from(phoneNumbers)
    .innerJoin(flows, eq(flows.id, column))
    .innerJoin(flowVersions, eq(flowVersions.id, flows.liveVersionId))
    .where(and(eq(phoneNumbers.number, number), eq(phoneNumbers.active, true), eq(flows.status, 'active')))
    .limit(1);
  return row;
}

export async function listVersions(db: Db, flowId: string) {
  return db.select().from(flowVersions).where(eq(flowVersions.flowId, flowId)).orderBy(desc(flowVersions.version));
}
