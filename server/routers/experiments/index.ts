import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { EXPERIMENT_METRICS, GUARDRAIL_METRICS } from '@/db/schema/experiments';
import { e164Schema } from '@/nodes/shared/fields';
import * as service from '@/server/analytics/experiments';
import { procedure, router } from '@/server/trpc';

async function experimentErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof service.ExperimentError) throw new TRPCError({ code: error.code, message: error.message, cause: error });
    throw error;
  }
}

const planShape = z.object({
  flowId: z.uuid(),
  number: e164Schema,
  channel: z.enum(['voice', 'sms']),
  metric: z.enum(EXPERIMENT_METRICS),
  metricNodeId: z.string().min(1).max(200).optional(),
  /** Absolute difference in the rate, e.g. 0.05 for five points. */
  minimumEffect: z.number().min(0.005).max(0.5),
  alpha: z.number().min(0.001).max(0.2).default(0.05),
});

export const experimentsRouter = router({
  list: procedure('analytics.read').query(async ({ ctx }) => service.listExperiments(await ctx.db())),

  /** Numbers, their flows and versions, for the creation form. */
  options: procedure('analytics.read').query(async ({ ctx }) => service.experimentOptions(await ctx.db())),

  /** Baseline, sample size and expected duration at the current traffic. */
  plan: procedure('analytics.read')
    .input(planShape.extend({ arms: z.number().int().min(2).max(4) }))
    .query(async ({ ctx, input }) => service.planFor(await ctx.db(), input)),

  get: procedure('analytics.read')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => experimentErrors(async () => service.getExperiment(await ctx.db(), input.id))),

  funnels: procedure('analytics.read')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => experimentErrors(async () => service.experimentFunnels(await ctx.db(), input.id))),

  create: procedure('experiments.manage')
    .input(
      planShape.extend({
        name: z.string().trim().min(1).max(120),
        hypothesis: z.string().max(2000).optional(),
        guardrails: z.array(z.enum(GUARDRAIL_METRICS)).max(GUARDRAIL_METRICS.length).default([]),
        variants: z
          .array(z.object({ name: z.string().trim().min(1).max(40), flowVersionId: z.uuid(), weight: z.number().int().min(1).max(99) }))
          .min(2)
          .max(4),
      }),
    )
    .mutation(async ({ ctx, input }) => experimentErrors(async () => service.createExperiment(await ctx.db(), { ...input, guardrails: [...new Set(input.guardrails)] }, ctx.viewer))),

  transition: procedure('experiments.manage')
    .input(z.object({ id: z.uuid(), action: z.enum(['start', 'pause', 'resume', 'stop']) }))
    .mutation(async ({ ctx, input }) => experimentErrors(async () => service.transitionExperiment(await ctx.db(), input.id, input.action, ctx.viewer))),

  /** Ends the experiment and makes the variant's version live on the number. */
  promote: procedure('experiments.manage')
    .input(z.object({ id: z.uuid(), variantId: z.uuid() }))
    .mutation(async ({ ctx, input }) => experimentErrors(async () => service.promoteWinner(await ctx.db(), input.id, input.variantId, ctx.viewer))),
});
