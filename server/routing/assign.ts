import 'server-only';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { agents, handoffEvents, handoffNotes, handoffs, type HandoffEventKind, type HandoffStatus, type RequirementStep } from '@/db/schema/routing';
import { notifySql, ROUTING_CHANNEL, type RoutingNotice } from './events';
import { agentQueue, nextRelaxAt, OFFER_TIMEOUT_SECONDS, OFFLINE_AFTER_MS, RECHECK_MS, requirementAt } from './rules';

/**
 * The routing engine's atomic statements (owner: routing engine). Each state change is one
 * statement or one transaction that locks what it changes (`FOR UPDATE SKIP LOCKED` where several
 * processes race), writes a handoff_events row and a routing notice (./events.ts).
 *
 * Capacity is safe because an offer (the only change that adds work to an agent) is one statement
 * that locks the agent's row and checks its load (agents.voice_load / sms_load, kept by the trigger
 * `handoffs_agent_load` in the same transaction as every change of a handoff) on that row's newest
 * version: under READ COMMITTED a row locked after a concurrent commit is read again and its
 * conditions checked again, so the load seen is every commit of the lock's previous holder.
 * A handoff goes to one agent because its row is locked and its status checked before the update.
 */

export type HandoffRow = typeof handoffs.$inferSelect;
export type AgentRow = typeof agents.$inferSelect;

export type OfferResult =
  | { kind: 'offered'; agentId: string; expiresAt: Date }
  /** Nobody eligible now; `nextRelaxAt` is when the requirement relaxes next (null: never). */
  | { kind: 'waiting'; nextRelaxAt: Date | null }
  /** Already offered, assigned or closed: nothing to do. */
  | { kind: 'busy'; status: HandoffStatus };

/** How many of the earliest waiting handoffs a free agent's decision looks at (one may be locked by another process). */
const CANDIDATES = 5;

type Tx = Db;

function inTx<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(tx as unknown as Tx));
}

async function record(tx: Tx, kind: HandoffEventKind, handoffId: string, agentId: string | null, now: Date, detail: Record<string, unknown> = {}, extra: RoutingNotice[] = []) {
  await tx.insert(handoffEvents).values({ handoffId, kind, agentId, detail, at: now });
  await tx.execute(notifySql({ kind, handoffId, ...(agentId !== null && { agentId }) }));
  for (const notice of extra) await tx.execute(notifySql(notice));
}

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** Slots the agent `a`'s work takes on a channel: offers, assigned and wrap-up, as the trigger `handoffs_agent_load` counts them. */
function loadSql(channel: SQL): SQL {
  return sql`(case when ${channel} = 'voice' then a.voice_load else a.sms_load end)`;
}

/** rules.ts capacityFor in SQL, for the agent `a`. */
function capacitySql(channel: SQL): SQL {
  return sql`(case when ${channel} = 'voice' then greatest(least(a.voice_capacity, 1), 0) else greatest(a.sms_capacity, 0) end)`;
}

/** Available, not missed, online: the agent's row alone says they may take work. */
function offerableSql(now: Date): SQL {
  return sql`a.choice = 'available' and a.missed_at is null and a.last_seen_at > ${iso(new Date(now.getTime() - OFFLINE_AFTER_MS))}`;
}

/**
 * Marks the handoff offered with its event and notice, in one statement: `pick` is a CTE naming the
 * handoff (`id`), `agent` one naming the agent (`id`) with their row locked and room checked. Says
 * whether `pick` found the handoff and whom it was offered to.
 */
async function offerStatement(db: Db, ctes: SQL, now: Date, by: 'handoff' | 'agent'): Promise<{ picked: boolean; offered?: { handoffId: string; agentId: string; expiresAt: Date } }> {
  const expiresAt = new Date(now.getTime() + OFFER_TIMEOUT_SECONDS * 1000);
  const [row] = await queryRows<{ picked: boolean; handoff_id: string | null; agent_id: string | null }>(
    db,
    sql`with ${ctes},
        upd as (
          update handoffs set status = 'offered', offered_agent_id = agent.id, offer_expires_at = ${iso(expiresAt)}
          from pick, agent where handoffs.id = pick.id and handoffs.status = 'queued'
          returning handoffs.id, agent.id as agent_id),
        ev as (
          insert into handoff_events (handoff_id, kind, agent_id, detail, at)
          select upd.id, 'offered', upd.agent_id, ${JSON.stringify({ expiresAt: expiresAt.toISOString(), by })}::jsonb, ${iso(now)} from upd)
        select exists (select 1 from pick) as picked, u.id as handoff_id, u.agent_id,
          case when u.id is not null then pg_notify(${ROUTING_CHANNEL}, json_build_object('kind', 'offered', 'handoffId', u.id, 'agentId', u.agent_id)::text) end
        from (select 1) one left join upd u on true`,
  );
  if (!row) return { picked: false };
  return {
    picked: row.picked,
    ...(row.handoff_id !== null && row.agent_id !== null && { offered: { handoffId: row.handoff_id, agentId: row.agent_id, expiresAt } }),
  };
}

/** Eligible agents for a handoff, best first (rules.ts rankAgents in SQL), not locked; `lock` takes the first one free. Exported for the bench's EXPLAIN. */
export function rankedAgentsSql(
  h: Pick<HandoffRow, 'channel' | 'urgent' | 'reqSkill' | 'reqMinLevel' | 'reqSeniorOnly' | 'targetAgentId'>,
  now: Date,
  limit: number,
  options: { lock?: boolean; onlyIf?: SQL } = {},
): SQL {
  const channel = sql`${h.channel}::text`;
  const match =
    h.targetAgentId !== null
      ? sql`a.id = ${h.targetAgentId}`
      : sql`exists (select 1 from agent_skills s where s.agent_id = a.id and s.skill_id = ${h.reqSkill} and s.level >= ${h.reqMinLevel})
          ${h.reqSeniorOnly ? sql`and a.senior` : sql``}`;
  return sql`select a.id from agents a
        where ${options.onlyIf ?? sql`true`} and ${offerableSql(now)} and ${match} and ${loadSql(channel)} < ${capacitySql(channel)}
        order by ${h.urgent ? sql`(case when a.senior then 0 else 1 end),` : sql``} ${loadSql(channel)}::float / nullif(${capacitySql(channel)}, 0), a.idle_since, a.id
        limit ${limit} ${options.lock ? sql`for update of a skip locked` : sql``}`;
}

/**
 * The earliest waiting handoffs (by virtual start: aged priority) an agent may take, from the
 * queues of their skills and their own queue: one index range per queue (handoffs_waiting:
 * req_skill, virtual_start), the first few of each, on the channels in `channels` (an SQL set).
 * Not locked. Exported for the bench's EXPLAIN.
 */
export function waitingCandidatesSql(agent: { id: string; senior: SQL }, channels: SQL, limit: number): SQL {
  return sql`select c.id, c.virtual_start from (
        select s.skill_id as skill, s.level from agent_skills s where s.agent_id = ${agent.id}
        union all select ${agentQueue(agent.id)}, 5) q
      cross join lateral (
        select h.id, h.virtual_start from handoffs h
        where h.status = 'queued' and h.req_skill = q.skill and h.req_min_level <= q.level
          and (h.target_agent_id is null or h.target_agent_id = ${agent.id})
          and (${agent.senior} or not h.req_senior_only)
          and h.channel in ${channels}
        order by h.virtual_start limit ${limit}) c
      order by c.virtual_start limit ${limit}`;
}

/** Offers a queued handoff to the best eligible agent, if any, as a reservation that expires. */
export async function offerHandoff(db: Db, handoffId: string, now = new Date()): Promise<OfferResult> {
  const [h] = await db.select().from(handoffs).where(eq(handoffs.id, handoffId));
  if (!h) throw new Error(`handoff ${handoffId} does not exist`);
  const result = await offerQueued(db, h, now);
  if (result.kind !== 'busy') return result;
  const [current] = await db.select({ status: handoffs.status }).from(handoffs).where(eq(handoffs.id, handoffId));
  return { kind: 'busy', status: current?.status ?? h.status };
}

/**
 * Offers the handoff `h` (as just read) in one statement: the handoff's row locked while still
 * queued under the requirement `h` names, the best eligible agent whose row nobody else holds,
 * locked with room checked on its newest version. Busy when the row is locked or changed since.
 */
async function offerQueued(db: Db, h: HandoffRow, now: Date): Promise<OfferResult> {
  if (h.status !== 'queued') return { kind: 'busy', status: h.status };
  const { picked, offered } = await offerStatement(
    db,
    sql`pick as (
          select id from handoffs where id = ${h.id} and status = 'queued' and req_skill = ${h.reqSkill} and req_min_level = ${h.reqMinLevel}
            and req_senior_only = ${h.reqSeniorOnly} and target_agent_id is not distinct from ${h.targetAgentId}::uuid
          for update skip locked),
        agent as (${rankedAgentsSql(h, now, 1, { lock: true, onlyIf: sql`exists (select 1 from pick)` })})`,
    now,
    'handoff',
  );
  if (offered) return { kind: 'offered', agentId: offered.agentId, expiresAt: offered.expiresAt };
  if (!picked) return { kind: 'busy', status: h.status };
  return { kind: 'waiting', nextRelaxAt: h.targetAgentId !== null ? null : nextRelaxAt(h.requirements, h.queuedAt, now) };
}

/** Offers the best waiting handoff this agent is eligible for (the backlog drains to a free agent). */
export async function offerNextToAgent(db: Db, agentId: string, now = new Date()): Promise<{ handoffId: string; expiresAt: Date } | null> {
  // Waiting for the agent's lock is fine: nothing else is held yet; the rows after it read its newest version.
  const { offered } = await offerStatement(
    db,
    sql`agent as (select a.* from agents a where a.id = ${agentId} and ${offerableSql(now)} for update of a),
        room as (
          select ch.channel from (values ('voice'), ('sms')) as ch(channel), agent a
          where ${loadSql(sql`ch.channel`)} < ${capacitySql(sql`ch.channel`)}),
        candidates as (${waitingCandidatesSql({ id: agentId, senior: sql`(select senior from agent)` }, sql`(select channel from room)`, CANDIDATES)}),
        pick as (
          select h.id from handoffs h where h.id in (select id from candidates) and h.status = 'queued'
          order by h.virtual_start limit 1 for update skip locked)`,
    now,
    'agent',
  );
  return offered ? { handoffId: offered.handoffId, expiresAt: offered.expiresAt } : null;
}

export type AcceptResult = { ok: true; handoff: HandoffRow } | { ok: false; reason: 'expired' | 'not-yours' | 'closed' };

/** The offered agent takes the handoff: offered → assigned. An offer past its expiry is released as missed instead. */
export async function acceptOffer(db: Db, handoffId: string, agentId: string, now = new Date()): Promise<AcceptResult> {
  return inTx(db, async (tx): Promise<AcceptResult> => {
    const [h] = await tx.select().from(handoffs).where(eq(handoffs.id, handoffId)).for('update');
    if (!h || !['queued', 'offered', 'assigned'].includes(h.status)) return { ok: false, reason: 'closed' };
    // A retried accept of what the agent already holds.
    if (h.status === 'assigned') return h.assignedAgentId === agentId ? { ok: true, handoff: h } : { ok: false, reason: 'not-yours' };
    if (h.status === 'queued') return { ok: false, reason: 'expired' };
    if (h.offeredAgentId !== agentId) return { ok: false, reason: 'not-yours' };
    if (h.offerExpiresAt !== null && h.offerExpiresAt <= now) {
      await release(tx, h, 'missed', now);
      return { ok: false, reason: 'expired' };
    }
    const [assigned] = await tx
      .update(handoffs)
      .set({ status: 'assigned', assignedAgentId: agentId, acceptedAt: now, offeredAgentId: null, offerExpiresAt: null })
      .where(eq(handoffs.id, handoffId))
      .returning();
    await tx.update(agents).set({ idleSince: now }).where(eq(agents.id, agentId));
    await record(tx, 'accepted', handoffId, agentId, now, { waitedSeconds: secondsBetween(h.queuedAt, now) });
    if (!assigned) throw new Error(`handoff ${handoffId} vanished while locked`);
    return { ok: true, handoff: assigned };
  });
}

async function release(tx: Tx, h: HandoffRow, kind: 'declined' | 'missed', now: Date) {
  await tx.update(handoffs).set({ status: 'queued', offeredAgentId: null, offerExpiresAt: null }).where(eq(handoffs.id, h.id));
  if (h.offeredAgentId !== null) await tx.update(agents).set({ missedAt: now }).where(eq(agents.id, h.offeredAgentId));
  await record(tx, kind, h.id, h.offeredAgentId, now, {}, h.offeredAgentId !== null ? [{ kind: 'agent', agentId: h.offeredAgentId }] : []);
}

/**
 * The offer lapsed or the agent declined: back to queued, and the agent is marked missed (offered
 * nothing more until they choose available again). 'missed' only once the offer has expired.
 */
export async function releaseOffer(db: Db, handoffId: string, agentId: string, kind: 'declined' | 'missed', now = new Date()): Promise<boolean> {
  return inTx(db, async (tx) => {
    const [h] = await tx
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.id, handoffId), eq(handoffs.status, 'offered'), eq(handoffs.offeredAgentId, agentId)))
      .for('update');
    if (!h) return false;
    if (kind === 'missed' && h.offerExpiresAt !== null && h.offerExpiresAt > now) return false;
    await release(tx, h, kind, now);
    return true;
  });
}

/**
 * Moves a handoff (waiting, or held by an agent) to another queue or to one agent; its context
 * stays with it and `note` is kept as a private note (handoff_notes) for whoever takes it next.
 * It waits again from now (the requirement steps restart) but keeps its place by age.
 * `kind` 'reassigned' is a supervisor's move.
 */
export async function transferHandoff(
  db: Db,
  input: { handoffId: string; byAgentId: string | null; toSkill?: string; toAgentId?: string; note?: string; kind?: 'transferred' | 'reassigned'; byUserId?: string },
  now = new Date(),
): Promise<HandoffRow | null> {
  if ((input.toSkill === undefined) === (input.toAgentId === undefined)) throw new Error('transfer to a skill or to an agent, one of them');
  return inTx(db, async (tx) => {
    const [h] = await tx.select().from(handoffs).where(eq(handoffs.id, input.handoffId)).for('update');
    if (!h || !['queued', 'offered', 'assigned'].includes(h.status)) return null;
    const toSkill = input.toSkill ?? h.skill;
    const requirements: RequirementStep[] = input.toAgentId !== undefined ? [] : [{ afterSeconds: 0, skill: toSkill, minLevel: 1 }];
    const [moved] = await tx
      .update(handoffs)
      .set({
        status: 'queued',
        skill: toSkill,
        requirements,
        reqSkill: input.toAgentId !== undefined ? agentQueue(input.toAgentId) : toSkill,
        reqMinLevel: 1,
        reqSeniorOnly: false,
        targetAgentId: input.toAgentId ?? null,
        queuedAt: now,
        offeredAgentId: null,
        offerExpiresAt: null,
        assignedAgentId: null,
        acceptedAt: null,
      })
      .where(eq(handoffs.id, h.id))
      .returning();
    if (input.note !== undefined && input.note.trim() !== '') await tx.insert(handoffNotes).values({ handoffId: h.id, agentId: input.byAgentId, body: input.note.trim(), createdAt: now });
    const previous = h.assignedAgentId ?? h.offeredAgentId;
    await record(
      tx,
      input.kind ?? 'transferred',
      h.id,
      input.byAgentId,
      now,
      {
        fromSkill: h.skill,
        fromAgentId: previous,
        ...(input.toSkill !== undefined && { toSkill: input.toSkill }),
        ...(input.toAgentId !== undefined && { toAgentId: input.toAgentId }),
        ...(input.note !== undefined && { note: input.note }),
        ...(input.byUserId !== undefined && { byUserId: input.byUserId }),
      },
      previous !== null && previous !== input.byAgentId ? [{ kind: 'agent', agentId: previous }] : [],
    );
    return moved ?? null;
  });
}

/** The conversation is over (customer hung up, or the agent ended it): assigned → wrap-up. */
export async function endHandoff(db: Db, handoffId: string, by: 'customer' | 'agent', now = new Date()): Promise<boolean> {
  return inTx(db, async (tx) => {
    const [h] = await tx
      .update(handoffs)
      .set({ status: 'wrap-up', endedAt: now })
      .where(and(eq(handoffs.id, handoffId), eq(handoffs.status, 'assigned')))
      .returning({ agentId: handoffs.assignedAgentId });
    if (!h) return false;
    await record(tx, 'ended', handoffId, h.agentId, now, { by });
    return true;
  });
}

/** Wrap-up done (or the agent resolves a live one, which ends it): → resolved with the code and whether it was resolved on first contact. */
export async function resolveHandoff(
  db: Db,
  input: { handoffId: string; agentId: string; wrapCode: string; firstContactResolution: boolean },
  now = new Date(),
): Promise<HandoffRow | null> {
  return inTx(db, async (tx) => {
    const [h] = await tx
      .update(handoffs)
      .set({ status: 'resolved', resolvedAt: now, endedAt: sql`coalesce(${handoffs.endedAt}, ${iso(now)})`, wrapCode: input.wrapCode, firstContactResolution: input.firstContactResolution })
      .where(and(eq(handoffs.id, input.handoffId), eq(handoffs.assignedAgentId, input.agentId), inArray(handoffs.status, ['assigned', 'wrap-up'])))
      .returning();
    if (!h) return null;
    await tx.update(agents).set({ idleSince: now }).where(eq(agents.id, input.agentId));
    await record(tx, 'resolved', h.id, input.agentId, now, { wrapCode: input.wrapCode, firstContactResolution: input.firstContactResolution }, [{ kind: 'agent', agentId: input.agentId }]);
    return h;
  });
}

/**
 * The customer left the queue (abandoned) or the node's timeout passed (timeout); a pending offer is
 * withdrawn. The call or conversation says so only when the customer never reached an agent, so an
 * accept that lost the race with the hold's deadline (assigned, but the flow went on without the
 * agent) is closed too, and the agent's slot freed: nobody holds a conversation that is not there.
 */
export async function closeHandoff(db: Db, handoffId: string, status: 'abandoned' | 'timeout', now = new Date()): Promise<boolean> {
  return inTx(db, async (tx) => {
    const [h] = await tx
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.id, handoffId), inArray(handoffs.status, ['queued', 'offered', 'assigned'])))
      .for('update');
    if (!h) return false;
    await tx.update(handoffs).set({ status, endedAt: now, offeredAgentId: null, offerExpiresAt: null }).where(eq(handoffs.id, handoffId));
    const agentId = h.status === 'assigned' ? h.assignedAgentId : h.offeredAgentId;
    await record(
      tx,
      status,
      handoffId,
      null,
      now,
      { waitedSeconds: secondsBetween(h.queuedAt, now), ...(agentId !== null && { withdrawnFrom: agentId }), ...(h.status === 'assigned' && { afterAccept: true }) },
      agentId !== null ? [{ kind: 'agent', agentId }] : [],
    );
    return true;
  });
}

/** The requirement step in force at `now` when the handoff is not yet under it (a skill queue's handoff only). */
function dueRequirement(h: HandoffRow, now: Date): RequirementStep | undefined {
  if (h.targetAgentId !== null) return undefined;
  const step = requirementAt(h.requirements, secondsBetween(h.queuedAt, now));
  if (!step || (step.skill === h.reqSkill && step.minLevel === h.reqMinLevel && (step.seniorOnly ?? false) === h.reqSeniorOnly)) return undefined;
  return step;
}

/** Moves a queued handoff to the requirement step in force at `now` (a 'relaxed' event); false when it already is. */
export async function relaxRequirement(db: Db, handoffId: string, now = new Date()): Promise<boolean> {
  return inTx(db, async (tx) => {
    const [h] = await tx
      .select()
      .from(handoffs)
      .where(and(eq(handoffs.id, handoffId), eq(handoffs.status, 'queued')))
      .for('update', { skipLocked: true });
    const step = h && dueRequirement(h, now);
    if (!h || !step) return false;
    const seniorOnly = step.seniorOnly ?? false;
    await tx.update(handoffs).set({ reqSkill: step.skill, reqMinLevel: step.minLevel, reqSeniorOnly: seniorOnly }).where(eq(handoffs.id, handoffId));
    await record(tx, 'relaxed', handoffId, null, now, { from: { skill: h.reqSkill, minLevel: h.reqMinLevel, seniorOnly: h.reqSeniorOnly }, to: { skill: step.skill, minLevel: step.minLevel, seniorOnly } });
    return true;
  });
}

/** What a handoff's workflow does next: stop, or wake again at `wakeAt` (or on a signal). */
export type AdvanceResult = { done: true; status: HandoffStatus } | { done: false; status: HandoffStatus; wakeAt: number };

/** Slack after an offer's expiry before the workflow looks again, so the database clock has passed it. */
const EXPIRY_SLACK_MS = 250;

/**
 * One round of a handoff's wait (its Temporal workflow calls it on every wake-up): an expired
 * offer is released as missed, a due requirement step comes into force, a queued handoff is
 * offered; then says when to look again. Stops once the handoff is assigned or closed.
 */
export async function advanceHandoff(db: Db, handoffId: string, now = new Date()): Promise<AdvanceResult> {
  for (let round = 0; round < 3; round += 1) {
    const [h] = await db.select().from(handoffs).where(eq(handoffs.id, handoffId));
    if (!h) return { done: true, status: 'resolved' };
    if (h.status !== 'queued' && h.status !== 'offered') return { done: true, status: h.status };
    if (h.status === 'offered') {
      const expiresAt = h.offerExpiresAt?.getTime() ?? now.getTime();
      if (expiresAt > now.getTime() || h.offeredAgentId === null) return { done: false, status: 'offered', wakeAt: expiresAt + EXPIRY_SLACK_MS };
      await releaseOffer(db, h.id, h.offeredAgentId, 'missed', now);
      continue;
    }
    // Most rounds have no step due: no transaction for them. A relaxed handoff is read again.
    if (dueRequirement(h, now) && (await relaxRequirement(db, h.id, now))) continue;
    const offer = await offerQueued(db, h, now);
    if (offer.kind === 'offered') return { done: false, status: 'offered', wakeAt: offer.expiresAt.getTime() + EXPIRY_SLACK_MS };
    if (offer.kind === 'waiting') {
      const recheck = now.getTime() + RECHECK_MS;
      return { done: false, status: 'queued', wakeAt: offer.nextRelaxAt ? Math.min(offer.nextRelaxAt.getTime(), recheck) : recheck };
    }
    // Busy: another process changed it under us; read it again.
  }
  return { done: false, status: 'queued', wakeAt: now.getTime() + 1000 };
}

function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 100) / 10);
}
