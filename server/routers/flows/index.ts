import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  createFlowFromTemplate,
  diffVersions,
  documentAt,
  DraftConflictError,
  duplicateFlow,
  FLOW_STATUS_FILTERS,
  FlowNotFoundError,
  getFlow,
  importFlow,
  listFlows,
  listNumbers,
  listVersionSummaries,
  pickerOptions,
  publishDraft,
  renameFlow,
  rollbackFlow,
  saveDraft,
  setFlowArchived,
} from '@/server/flows/service';
import { FLOW_TEMPLATES } from '@/server/flows/templates';
import { procedure, router } from '@/server/trpc';
import { versionNumber } from '@/server/routers/inputs';
import { flowDocumentSchema } from '@/workflows/document';
import { E164 } from '@/nodes/shared/fields';

const flowId = z.uuid();
const name = z.string().trim().min(1).max(200);
const documentRef = z.union([versionNumber(), z.literal('draft')]);

/** Domain errors become the tRPC codes the editor reacts to (CONFLICT shows the conflict notice). */
async function mapErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DraftConflictError) {
      throw new TRPCError({ code: 'CONFLICT', message: error.message, cause: error });
    }
    if (error instanceof FlowNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
    throw error;
  }
}

export const flowsRouter = router({
  list: procedure('flows.read')
    .input(z.object({ search: z.string().max(200).optional(), status: z.enum(FLOW_STATUS_FILTERS).default('all') }).default({ status: 'all' }))
    .query(async ({ ctx, input }) => listFlows(await ctx.db(), input)),

  get: procedure('flows.read')
    .input(z.object({ id: flowId }))
    .query(async ({ ctx, input }) => mapErrors(async () => getFlow(await ctx.db(), input.id))),

  create: procedure('flows.write')
    .input(z.object({ name, template: z.enum(FLOW_TEMPLATES).default('blank') }))
    .mutation(async ({ ctx, input }) => {
      const flow = await createFlowFromTemplate(await ctx.db(), { ...input, userId: ctx.viewer?.userId });
      return { id: flow.id };
    }),

  duplicate: procedure('flows.write')
    .input(z.object({ id: flowId, name }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => {
        const flow = await duplicateFlow(await ctx.db(), { flowId: input.id, name: input.name, userId: ctx.viewer?.userId });
        return { id: flow.id };
      }),
    ),

  rename: procedure('flows.write')
    .input(z.object({ id: flowId, name }))
    .mutation(async ({ ctx, input }) => mapErrors(async () => renameFlow(await ctx.db(), { flowId: input.id, name: input.name, userId: ctx.viewer?.userId }))),

  archive: procedure('flows.write')
    .input(z.object({ id: flowId, archived: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => setFlowArchived(await ctx.db(), { flowId: input.id, archived: input.archived, userId: ctx.viewer?.userId })),
    ),

  saveDraft: procedure('flows.write')
    .input(z.object({ id: flowId, document: flowDocumentSchema, expectedRevision: versionNumber() }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () =>
        saveDraft(await ctx.db(), { flowId: input.id, document: input.document, expectedRevision: input.expectedRevision, userId: ctx.viewer?.userId }),
      ),
    ),

  publish: procedure('flows.publish')
    .input(
      z.object({
        id: flowId,
        message: z.string().trim().max(500).default(''),
        expectedRevision: versionNumber().optional(),
        number: z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100').optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => {
        return publishDraft(await ctx.db(), {
          flowId: input.id,
          message: input.message,
          expectedRevision: input.expectedRevision,
          number: input.number,
          actor: ctx.viewer,
        });
      }),
    ),

  versions: procedure('flows.read')
    .input(z.object({ id: flowId }))
    .query(async ({ ctx, input }) => mapErrors(async () => listVersionSummaries(await ctx.db(), input.id))),

  diff: procedure('flows.read')
    .input(z.object({ id: flowId, from: documentRef, to: documentRef }))
    .query(async ({ ctx, input }) => mapErrors(async () => diffVersions(await ctx.db(), { flowId: input.id, from: input.from, to: input.to }))),

  rollback: procedure('flows.publish')
    .input(z.object({ id: flowId, version: versionNumber(), message: z.string().trim().max(500).default('') }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => {
        return rollbackFlow(await ctx.db(), {
          flowId: input.id,
          version: input.version,
          message: input.message || `Rollback to version ${input.version}`,
          actor: ctx.viewer,
        });
      }),
    ),

  import: procedure('flows.write')
    .input(z.object({ json: z.string().max(5_000_000), id: flowId.optional(), expectedRevision: versionNumber().optional() }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () =>
        importFlow(await ctx.db(), { json: input.json, flowId: input.id, expectedRevision: input.expectedRevision, userId: ctx.viewer?.userId }),
      ),
    ),

  export: procedure('flows.read')
    .input(z.object({ id: flowId, version: documentRef.default('draft') }))
    .query(async ({ ctx, input }) => mapErrors(async () => documentAt(await ctx.db(), input.id, input.version))),

  numbers: procedure('flows.read').query(async ({ ctx }) => listNumbers(await ctx.db())),

  pickers: procedure('flows.read').query(async ({ ctx }) => pickerOptions(await ctx.db())),
});
