import 'server-only';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { agents, skills, wrapCodes } from '@/db/schema';
import { AGENT_CHOICES } from '@/db/schema/routing';
import type { AgentRow } from '@/server/routing/assign';
import { activeWrapCodes, handoffAccess, handoffContext, HandoffNotFound, inboxOverview, supervisorBoard, transferTargets } from '@/server/routing/context';
import { addNote, resolve, sendAgentReply, transfer } from '@/server/routing/conversation';
import { routingNotices } from '@/server/routing/live';
import { acceptHandoff, agentForViewer, declineHandoff, heartbeat, reassignHandoff, setChoice } from '@/server/routing/service';
import { can } from '@/server/auth/permissions';
import { customerDataProcedure, procedure, router, type Viewer } from '@/server/trpc';

/**
 * The agent's inbox and the supervisor's board (issue 11). Agents act only on handoffs offered to
 * or held by them; supervisors (`routing.supervise`) see every queue and move waiting work.
 */

const byHandoff = z.object({ handoffId: z.uuid() });
const language = z.enum(['en', 'zh-CN']).default('en');

async function myAgent(db: Db, viewer: Viewer): Promise<AgentRow> {
  const agent = await agentForViewer(db, { userId: viewer.userId, email: viewer.email, name: viewer.name });
  if (!agent) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'You are not set up as an agent.' });
  return agent;
}

/**
 * The conversation module refuses with a ConversationError (a `code` and a message for the agent):
 * told to the client as such, not as a server failure. Matched by name and code, not by class, as
 * its refusals are that module's own.
 */
const REFUSALS: Record<string, TRPCError['code']> = {
  'not-found': 'NOT_FOUND',
  'not-yours': 'NOT_FOUND',
  'not-live': 'CONFLICT',
  'on-the-phone': 'CONFLICT',
  'wrap-code': 'BAD_REQUEST',
  'send-failed': 'PRECONDITION_FAILED',
  'connect-failed': 'PRECONDITION_FAILED',
};

async function told<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = error instanceof Error && error.name === 'ConversationError' ? REFUSALS[String((error as { code?: unknown }).code)] : undefined;
    if (code) throw new TRPCError({ code, message: (error as Error).message, cause: error });
    throw error;
  }
}

type Need = 'offered' | 'assigned' | 'held' | 'mine';

/**
 * The handoff, if this agent may act on it as `need` says: offered to them, assigned to them (a live
 * conversation), held by them (live or in wrap-up), or any of these (mine). Otherwise NOT_FOUND or CONFLICT.
 */
async function mine(db: Db, agentId: string, handoffId: string, need: Need) {
  const access = await handoffAccess(db, handoffId);
  const offered = access?.status === 'offered' && access.offeredAgentId === agentId;
  const holds = access?.assignedAgentId === agentId;
  if (!access || (!offered && !holds)) throw new TRPCError({ code: 'NOT_FOUND', message: `No handoff ${handoffId} of yours.` });
  const ok =
    need === 'offered'
      ? offered
      : need === 'assigned'
        ? holds && access.status === 'assigned'
        : need === 'held'
          ? holds && (access.status === 'assigned' || access.status === 'wrap-up')
          : offered || (holds && access.open);
  if (!ok) throw new TRPCError({ code: 'CONFLICT', message: `The handoff is ${access.status}.` });
  return access;
}

/** Why an accept was refused, for the agent (acceptHandoff's reasons). */
const ACCEPT_REFUSED: Record<'expired' | 'not-yours' | 'closed', string> = {
  expired: 'The offer ran out before you accepted it; it has gone to the next agent.',
  'not-yours': 'This offer is not yours (any more).',
  closed: 'The customer is no longer waiting: they hung up, or their hold ended before you accepted.',
};

const supervisorRouter = router({
  board: customerDataProcedure('routing.supervise').query(async ({ ctx }) => supervisorBoard(await ctx.db())),

  /** Moves a waiting (queued or offered) handoff to one agent. */
  reassign: procedure('routing.supervise')
    .input(byHandoff.extend({ toAgentId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const access = await handoffAccess(db, input.handoffId);
      if (!access) throw new TRPCError({ code: 'NOT_FOUND', message: `No handoff ${input.handoffId}.` });
      if (access.status !== 'queued' && access.status !== 'offered') throw new TRPCError({ code: 'CONFLICT', message: `The handoff is ${access.status}, not waiting.` });
      const [agent] = await db.select({ id: agents.id }).from(agents).where(eq(agents.id, input.toAgentId));
      if (!agent) throw new TRPCError({ code: 'NOT_FOUND', message: `No agent ${input.toAgentId}.` });
      const moved = await reassignHandoff(db, { handoffId: input.handoffId, toAgentId: input.toAgentId, byUserId: ctx.viewer.userId });
      if (!moved) throw new TRPCError({ code: 'CONFLICT', message: 'The handoff changed meanwhile; nothing was moved.' });
      return { ok: true as const };
    }),

  /** Routing notices for the board; see `inbox.events`. */
  events: procedure('routing.supervise').subscription(async function* ({ ctx, signal }) {
    yield* routingNotices(await ctx.db(), signal);
  }),
});

export const inboxRouter = router({
  /** Me as an agent with my state, my offers (with their expiry) and my conversations; agent null for a non-agent. */
  overview: customerDataProcedure('inbox.work').query(async ({ ctx }) => {
    const db = await ctx.db();
    const agent = await agentForViewer(db, { userId: ctx.viewer.userId, email: ctx.viewer.email, name: ctx.viewer.name });
    if (!agent) return { agent: null, offers: [], conversations: [], now: new Date() };
    return inboxOverview(db, agent);
  }),

  /** One handoff's context panel; for an agent it is offered to or held by, or a supervisor. */
  context: customerDataProcedure('inbox.work')
    .input(byHandoff.extend({ language }))
    .query(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await agentForViewer(db, { userId: ctx.viewer.userId, email: ctx.viewer.email, name: ctx.viewer.name });
      if (!can(ctx.viewer.role, 'routing.supervise')) {
        if (!agent) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'You are not set up as an agent.' });
        const access = await handoffAccess(db, input.handoffId);
        if (!access || (access.offeredAgentId !== agent.id && access.assignedAgentId !== agent.id)) throw new TRPCError({ code: 'NOT_FOUND', message: `No handoff ${input.handoffId} of yours.` });
      }
      try {
        return await handoffContext(db, input.handoffId, { language: input.language, agentName: agent?.name ?? ctx.viewer.name });
      } catch (error) {
        if (error instanceof HandoffNotFound) throw new TRPCError({ code: 'NOT_FOUND', message: error.message });
        throw error;
      }
    }),

  transferTargets: procedure('inbox.work').query(async ({ ctx }) => {
    const db = await ctx.db();
    const agent = await agentForViewer(db, { userId: ctx.viewer.userId, email: ctx.viewer.email, name: ctx.viewer.name });
    return transferTargets(db, agent?.id ?? null);
  }),

  wrapCodes: procedure('inbox.work').query(async ({ ctx }) => activeWrapCodes(await ctx.db())),

  /** An inbox tab is open (every ~15 s). */
  heartbeat: procedure('inbox.work').mutation(async ({ ctx }) => {
    const db = await ctx.db();
    await heartbeat(db, (await myAgent(db, ctx.viewer)).id);
    return { ok: true as const };
  }),

  setChoice: procedure('inbox.work')
    .input(z.object({ choice: z.enum(AGENT_CHOICES) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      await setChoice(db, (await myAgent(db, ctx.viewer)).id, input.choice);
      return { ok: true as const };
    }),

  accept: procedure('inbox.work')
    .input(byHandoff)
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      const result = await told(acceptHandoff(db, agent.id, input.handoffId));
      if (!result.ok) throw new TRPCError({ code: result.reason === 'not-yours' ? 'NOT_FOUND' : 'CONFLICT', message: ACCEPT_REFUSED[result.reason] });
      return { ok: true as const, handoffId: result.handoff.id };
    }),

  decline: procedure('inbox.work')
    .input(byHandoff)
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      await mine(db, agent.id, input.handoffId, 'offered');
      if (!(await declineHandoff(db, agent.id, input.handoffId))) throw new TRPCError({ code: 'CONFLICT', message: 'The offer is no longer yours to decline.' });
      return { ok: true as const };
    }),

  /** A reply to the customer, checked by the QA rules: blocked replies come back with the reasons. */
  reply: procedure('inbox.work')
    .input(byHandoff.extend({ body: z.string().trim().min(1).max(1600) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      await mine(db, agent.id, input.handoffId, 'assigned');
      return told(sendAgentReply(db, { handoffId: input.handoffId, agentId: agent.id, body: input.body }));
    }),

  note: procedure('inbox.work')
    .input(byHandoff.extend({ body: z.string().trim().min(1).max(4000) }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      await mine(db, agent.id, input.handoffId, 'mine');
      return told(addNote(db, { handoffId: input.handoffId, agentId: agent.id, body: input.body }));
    }),

  transfer: procedure('inbox.work')
    .input(
      byHandoff
        .extend({ toSkill: z.string().min(1).max(64).optional(), toAgentId: z.uuid().optional(), note: z.string().trim().max(2000).default('') })
        .refine((v) => (v.toSkill === undefined) !== (v.toAgentId === undefined), 'Transfer to a skill or to an agent.'),
    )
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      await mine(db, agent.id, input.handoffId, 'assigned');
      if (input.toSkill !== undefined && (await db.select({ id: skills.id }).from(skills).where(eq(skills.id, input.toSkill))).length === 0) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `No skill ${input.toSkill}.` });
      }
      if (input.toAgentId !== undefined && (input.toAgentId === agent.id || (await db.select({ id: agents.id }).from(agents).where(eq(agents.id, input.toAgentId))).length === 0)) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Pick another agent.' });
      }
      const moved = await told(
        transfer(db, {
          handoffId: input.handoffId,
          agentId: agent.id,
          note: input.note,
          ...(input.toSkill !== undefined && { toSkill: input.toSkill }),
          ...(input.toAgentId !== undefined && { toAgentId: input.toAgentId }),
        }),
      );
      if (!moved) throw new TRPCError({ code: 'CONFLICT', message: 'The handoff changed meanwhile; it was not transferred.' });
      return { ok: true as const };
    }),

  /** Resolves with a wrap-up code (required-phrase QA rules may block it), then the CSAT survey if asked. */
  resolve: procedure('inbox.work')
    .input(byHandoff.extend({ wrapCode: z.string().min(1).max(64), firstContactResolution: z.boolean(), sendCsat: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const db = await ctx.db();
      const agent = await myAgent(db, ctx.viewer);
      await mine(db, agent.id, input.handoffId, 'held');
      const [code] = await db
        .select({ id: wrapCodes.id })
        .from(wrapCodes)
        .where(and(eq(wrapCodes.id, input.wrapCode), eq(wrapCodes.active, true)));
      if (!code) throw new TRPCError({ code: 'BAD_REQUEST', message: `No wrap-up code ${input.wrapCode}.` });
      return told(resolve(db, { handoffId: input.handoffId, agentId: agent.id, wrapCode: input.wrapCode, firstContactResolution: input.firstContactResolution, sendCsat: input.sendCsat }));
    }),

  /**
   * Live updates: every routing notice (ids only) as server-sent events. The first event of every
   * connection is a `resync`, so a client refetches what it shows whenever the stream (re)connects.
   */
  events: procedure('inbox.work').subscription(async function* ({ ctx, signal }) {
    yield* routingNotices(await ctx.db(), signal);
  }),

  supervisor: supervisorRouter,
});
