import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { e164Schema as E164 } from '@/nodes/shared/fields';
import { protectForViewer } from '@/server/privacy/protect';
import { callBridge, callerLine, ConversationError } from '@/server/routing/conversation';
import { callEvent, findExecution, sendSms, SimulatorError, simulatorOptions, startCall, thread, type WebhookExchange } from '@/server/simulator/service';
import { WebhookUrlError } from '@/server/simulator/twilio-request';
import { customerDataProcedure, procedure, router, type Viewer } from '@/server/trpc';

const caller = z.union([z.object({ customerId: z.uuid() }), z.object({ number: E164 })]);
const target = z.object({ to: E164.optional(), flowId: z.uuid().optional() }).refine((t) => t.to !== undefined || t.flowId !== undefined, 'Choose a number or a flow draft');
const callSid = z.string().regex(/^CA[0-9a-f]{32}$/);
const session = z.object({ callSid: z.string().regex(/^CA[0-9a-f]{32}$/), to: E164, caller, testFlowId: z.uuid().nullable() });
const twimlUrl = z.string().max(2000);

const event = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gather'), digits: z.string().regex(/^[0-9*#]{0,32}$/).optional(), speech: z.string().max(1000).optional(), confidence: z.number().min(0).max(1).optional() }),
  z.object({ kind: z.literal('wait'), queueTime: z.number().min(0), position: z.number().int().min(1) }),
  z.object({ kind: z.literal('queueAction'), result: z.enum(['bridged', 'leave', 'hangup', 'queue-full', 'redirected', 'error', 'system-error']), queueTime: z.number().min(0) }),
  z.object({ kind: z.literal('redirect') }),
  z.object({ kind: z.literal('status'), status: z.enum(['completed', 'busy', 'failed', 'no-answer', 'canceled']), duration: z.number().min(0) }),
]);

/** The request log shows what was posted; its numbers are masked like any customer data. */
function shown(viewer: Viewer | undefined, exchange: WebhookExchange): WebhookExchange {
  return { ...exchange, params: protectForViewer(viewer, exchange.params) };
}

async function mapErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SimulatorError || error instanceof WebhookUrlError || error instanceof ConversationError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
    throw error;
  }
}

export const simulatorRouter = router({
  /** Numbers (with the flows answering them) and flow drafts to call. */
  options: procedure('simulator.use').query(async ({ ctx }) => {
    const { numbers, flows } = await simulatorOptions(await ctx.db());
    return { numbers, flows };
  }),

  /** Demo customers to call as, with their tags (phones masked unless the viewer may unmask). */
  customers: customerDataProcedure('simulator.use').query(async ({ ctx }) => (await simulatorOptions(await ctx.db())).customers),

  /** Places a call: to a number, or to a flow's current draft as a test run. */
  placeCall: procedure('simulator.use')
    .input(z.object({ target, caller }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => {
        const { session: s, exchange } = await startCall(await ctx.db(), { ...input.target, caller: input.caller });
        return { session: s, exchange: shown(ctx.viewer, exchange) };
      }),
    ),

  /** A later webhook of the call: gather result, hold poll, queue exit, redirect, status callback. */
  event: procedure('simulator.use')
    .input(z.object({ session, event, url: twimlUrl.optional(), documentUrl: twimlUrl.optional() }))
    .mutation(async ({ ctx, input }) => mapErrors(async () => shown(ctx.viewer, await callEvent(await ctx.db(), input)))),

  /** Sends a text message from the caller to a number, or to a flow's draft as a test run. */
  sms: procedure('simulator.use')
    .input(z.object({ target, caller, body: z.string().trim().min(1).max(1600) }))
    .mutation(async ({ ctx, input }) =>
      mapErrors(async () => {
        const result = await sendSms(await ctx.db(), { ...input.target, caller: input.caller, body: input.body });
        return { to: result.to, exchange: shown(ctx.viewer, result.exchange) };
      }),
    ),

  /** The caller's messages: sent, replied, and everything in the outbox addressed to them. */
  thread: customerDataProcedure('simulator.use')
    .input(z.object({ caller, number: E164.optional() }))
    .query(async ({ ctx, input }) => mapErrors(async () => thread(await ctx.db(), input))),

  /** Whom a sandbox call is connected to, and the lines caller and agent said (polled while the call is up). */
  bridge: procedure('simulator.use')
    .input(z.object({ callSid }))
    .query(async ({ ctx, input }) => callBridge(await ctx.db(), input.callSid)),

  /** A line the caller says to the agent they are connected to. */
  say: procedure('simulator.use')
    .input(z.object({ callSid, body: z.string().trim().min(1).max(1000) }))
    .mutation(async ({ ctx, input }) => mapErrors(async () => callerLine(await ctx.db(), input))),

  /** The execution a simulated call opened (null until the runtime has opened it). */
  execution: procedure('simulator.use')
    .input(z.object({ callSid: z.string().regex(/^CA[0-9a-f]{32}$/).optional(), interactionId: z.uuid().optional() }))
    .query(async ({ ctx, input }) => findExecution(await ctx.db(), input)),
});
