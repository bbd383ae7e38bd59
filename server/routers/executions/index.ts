import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { EXECUTION_STATUSES, ExecutionNotFoundError, executionVersions, getExecution, listExecutions } from '@/server/executions/service';
import { customerDataProcedure, procedure, router } from '@/server/trpc';
import { dateInput, versionNumber } from '@/server/routers/inputs';

export const executionsRouter = router({
  /** A flow's executions, newest first; draft test runs only when `includeTests`. */
  list: customerDataProcedure('flows.read')
    .input(
      z.object({
        flowId: z.uuid(),
        versions: z.array(z.union([versionNumber(), z.literal('draft')])).max(50).optional(),
        statuses: z.array(z.enum(EXECUTION_STATUSES)).optional(),
        channel: z.enum(['voice', 'sms']).optional(),
        from: dateInput().optional(),
        to: dateInput().optional(),
        includeTests: z.boolean().default(false),
        limit: z.number().int().min(1).max(200).default(50),
        before: dateInput().optional(),
        nodeId: z.string().min(1).max(200).optional(),
        droppedAt: z.string().min(1).max(200).optional(),
      }),
    )
    .query(async ({ ctx, input }) => listExecutions(await ctx.db(), input)),

  /** The version numbers to filter by. */
  versions: procedure('flows.read')
    .input(z.object({ flowId: z.uuid() }))
    .query(async ({ ctx, input }) => executionVersions(await ctx.db(), input.flowId)),

  /** One execution: document, steps with timing and input, messages, handoffs, tags, vars, errors. */
  get: customerDataProcedure('flows.read')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      try {
        return await getExecution(await ctx.db(), input.id);
      } catch (error) {
        if (error instanceof ExecutionNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
        throw error;
      }
    }),
});
