import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DbHandle, openPostgres, queryRows } from '@/db/client';
import { agents, agentSkills, handoffEvents, handoffNotes, handoffs, skills, type RequirementStep } from '@/db/schema/routing';
import { testDatabases } from '@/db/testing';
import { firstRow } from '@/db/rows';
import { env } from '@/env';
import {
  acceptOffer,
  advanceHandoff,
  closeHandoff,
  endHandoff,
  offerHandoff,
  offerNextToAgent,
  relaxRequirement,
  releaseOffer,
  resolveHandoff,
  transferHandoff,
} from './assign';
import { OFFER_TIMEOUT_SECONDS, requirementsFor, virtualStartFor } from './rules';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(testDatabases())('routing statements on $name', ({ name, open }) => {
  let handle: DbHandle;
  let seq = 0;

  beforeAll(async () => {
    handle = await open();
    await handle.db.insert(skills).values(['billing', 'support', 'escalation'].map((id) => ({ id, name: id })));
  });
  afterAll(() => handle.close());
  beforeEach(async () => {
    await handle.db.delete(handoffs).where(sql`true`);
    await handle.db.delete(agents).where(sql`true`);
  });
  // Whatever a test did, every agent's load counters (kept by a trigger) equal a recount of the rows.
  afterEach(async () => {
    const drift = await queryRows<{ name: string; voice_load: number; sms_load: number; voice: number; sms: number }>(
      handle.db,
      sql`select a.name, a.voice_load, a.sms_load, c.voice, c.sms from agents a cross join lateral (
            select count(*) filter (where h.channel = 'voice')::int as voice, count(*) filter (where h.channel <> 'voice')::int as sms from handoffs h
            where (h.status in ('assigned', 'wrap-up') and h.assigned_agent_id = a.id) or (h.status = 'offered' and h.offered_agent_id = a.id)) c
          where a.voice_load <> c.voice or a.sms_load <> c.sms`,
    );
    expect(drift).toEqual([]);
  });

  async function agent(
    label: string,
    options: { skills?: Record<string, number>; senior?: boolean; choice?: 'available' | 'away'; lastSeenAt?: Date | null; missedAt?: Date; idleSince?: Date; smsCapacity?: number } = {},
  ) {
    const row = firstRow(
      await handle.db
        .insert(agents)
        .values({
          name: label,
          email: `${label}-${(seq += 1)}@example.test`,
          senior: options.senior ?? false,
          choice: options.choice ?? 'available',
          lastSeenAt: options.lastSeenAt === undefined ? T0 : options.lastSeenAt,
          missedAt: options.missedAt ?? null,
          idleSince: options.idleSince ?? at(-600),
          smsCapacity: options.smsCapacity ?? 3,
        })
        .returning(),
      'insert into agents',
    );
    const entries = Object.entries(options.skills ?? { billing: 3 });
    if (entries.length > 0) await handle.db.insert(agentSkills).values(entries.map(([skillId, level]) => ({ agentId: row.id, skillId, level })));
    return row.id;
  }

  async function handoff(options: { skill?: string; priority?: number; urgent?: boolean; channel?: 'voice' | 'sms'; queuedAt?: Date; requirements?: RequirementStep[] } = {}) {
    const skill = options.skill ?? 'billing';
    const priority = options.priority ?? 50;
    const queuedAt = options.queuedAt ?? T0;
    const requirements = requirementsFor(skill, options.requirements);
    const first = requirements[0]!;
    const row = firstRow(
      await handle.db
        .insert(handoffs)
        .values({
          idempotencyKey: `h-${(seq += 1)}`,
          channel: options.channel ?? 'voice',
          skill,
          priority,
          urgent: options.urgent ?? false,
          requirements,
          reqSkill: first.skill,
          reqMinLevel: first.minLevel,
          reqSeniorOnly: first.seniorOnly ?? false,
          queuedAt,
          virtualStart: virtualStartFor(queuedAt, priority),
        })
        .returning(),
      'insert into handoffs',
    );
    return row.id;
  }

  const row = async (id: string) => firstRow(await handle.db.select().from(handoffs).where(eq(handoffs.id, id)), 'handoffs');
  const agentRow = async (id: string) => firstRow(await handle.db.select().from(agents).where(eq(agents.id, id)), 'agents');
  const events = async (id: string) =>
    (await handle.db.select().from(handoffEvents).where(eq(handoffEvents.handoffId, id)).orderBy(asc(handoffEvents.id))).map((e) => ({ kind: e.kind, agentId: e.agentId }));

  it('offers to the best eligible agent only: never away, offline, missed, full or under-skilled ones', async () => {
    await agent('away', { choice: 'away', idleSince: at(-9000) });
    await agent('offline', { lastSeenAt: at(-46), idleSince: at(-9000) });
    await agent('missed', { missedAt: at(-5), idleSince: at(-9000) });
    await agent('no-skill', { skills: { support: 5 }, idleSince: at(-9000) });
    const full = await agent('full', { idleSince: at(-9000) });
    const busy = await handoff();
    await handle.db.update(handoffs).set({ status: 'assigned', assignedAgentId: full }).where(eq(handoffs.id, busy));
    const recent = await agent('recent', { idleSince: at(-10) });
    const longest = await agent('longest', { idleSince: at(-300) });

    const id = await handoff();
    const result = await offerHandoff(handle.db, id, T0);
    expect(result).toEqual({ kind: 'offered', agentId: longest, expiresAt: at(OFFER_TIMEOUT_SECONDS) });
    expect(await row(id)).toMatchObject({ status: 'offered', offeredAgentId: longest, offerExpiresAt: at(OFFER_TIMEOUT_SECONDS) });
    expect(await events(id)).toEqual([{ kind: 'offered', agentId: longest }]);
    // Offered already: a second decision does nothing.
    expect(await offerHandoff(handle.db, id, T0)).toEqual({ kind: 'busy', status: 'offered' });
    // The next one goes to the other free agent: the first is full with the offer.
    expect(await offerHandoff(handle.db, await handoff(), T0)).toMatchObject({ kind: 'offered', agentId: recent });
    expect(await offerHandoff(handle.db, await handoff(), T0)).toEqual({ kind: 'waiting', nextRelaxAt: null });
  });

  it('offers urgent work to senior agents first, ordinary work by load and idle time', async () => {
    const junior = await agent('junior', { skills: { escalation: 3 }, idleSince: at(-900) });
    const senior = await agent('senior', { skills: { escalation: 3 }, senior: true, idleSince: at(-10) });
    expect(await offerHandoff(handle.db, await handoff({ skill: 'escalation', urgent: true }), T0)).toMatchObject({ agentId: senior });
    await handle.db.update(handoffs).set({ status: 'queued', offeredAgentId: null }).where(sql`true`);
    await handle.db.delete(handoffs).where(sql`true`);
    expect(await offerHandoff(handle.db, await handoff({ skill: 'escalation' }), T0)).toMatchObject({ agentId: junior });
  });

  it('balances SMS by share of capacity in use', async () => {
    const small = await agent('small', { smsCapacity: 2, idleSince: at(-900) });
    const large = await agent('large', { smsCapacity: 4, idleSince: at(-10) });
    const first = await handoff({ channel: 'sms' });
    expect(await offerHandoff(handle.db, first, T0)).toMatchObject({ agentId: small });
    // small is at 1/2, large at 0/4.
    expect(await offerHandoff(handle.db, await handoff({ channel: 'sms' }), T0)).toMatchObject({ agentId: large });
    // small 1/2, large 1/4.
    expect(await offerHandoff(handle.db, await handoff({ channel: 'sms' }), T0)).toMatchObject({ agentId: large });
  });

  it('relaxes the requirement step by step, and waits until the next relax time', async () => {
    const levelTwo = await agent('level-two', { skills: { billing: 2 } });
    const id = await handoff({
      requirements: [
        { afterSeconds: 0, skill: 'billing', minLevel: 4 },
        { afterSeconds: 30, skill: 'billing', minLevel: 1 },
        { afterSeconds: 90, skill: 'escalation', minLevel: 1 },
      ],
    });
    expect(await offerHandoff(handle.db, id, at(5))).toEqual({ kind: 'waiting', nextRelaxAt: at(30) });
    expect(await relaxRequirement(handle.db, id, at(10))).toBe(false);
    expect(await relaxRequirement(handle.db, id, at(30))).toBe(true);
    expect(await row(id)).toMatchObject({ reqSkill: 'billing', reqMinLevel: 1 });
    expect(await relaxRequirement(handle.db, id, at(31))).toBe(false);
    expect(await offerHandoff(handle.db, id, at(31))).toMatchObject({ kind: 'offered', agentId: levelTwo });
    expect(await events(id)).toEqual([
      { kind: 'relaxed', agentId: null },
      { kind: 'offered', agentId: levelTwo },
    ]);
  });

  it('accepts only the offered agent, within the offer; a late accept is a miss', async () => {
    const a = await agent('a', { idleSince: at(-900) });
    const b = await agent('b');
    const id = await handoff();
    await offerHandoff(handle.db, id, T0);
    expect(await acceptOffer(handle.db, id, b, at(1))).toEqual({ ok: false, reason: 'not-yours' });
    const accepted = await acceptOffer(handle.db, id, a, at(3));
    expect(accepted).toMatchObject({ ok: true, handoff: { status: 'assigned', assignedAgentId: a, acceptedAt: at(3), offeredAgentId: null } });
    expect(await acceptOffer(handle.db, id, a, at(4))).toMatchObject({ ok: true });
    expect((await agentRow(a)).idleSince).toEqual(at(3));

    const late = await handoff();
    expect(await offerHandoff(handle.db, late, T0)).toMatchObject({ agentId: b });
    expect(await acceptOffer(handle.db, late, b, at(OFFER_TIMEOUT_SECONDS))).toEqual({ ok: false, reason: 'expired' });
    expect(await row(late)).toMatchObject({ status: 'queued', offeredAgentId: null });
    expect((await agentRow(b)).missedAt).toEqual(at(OFFER_TIMEOUT_SECONDS));
    expect(await events(late)).toEqual([
      { kind: 'offered', agentId: b },
      { kind: 'missed', agentId: b },
    ]);
  });

  it('a decline marks the agent missed and the next agent gets it; the missed agent is offered nothing', async () => {
    const first = await agent('first', { idleSince: at(-900) });
    const second = await agent('second');
    const id = await handoff();
    await offerHandoff(handle.db, id, T0);
    expect(await releaseOffer(handle.db, id, second, 'declined', at(2))).toBe(false);
    // A lapse is only a lapse once the offer expired.
    expect(await releaseOffer(handle.db, id, first, 'missed', at(2))).toBe(false);
    expect(await releaseOffer(handle.db, id, first, 'declined', at(2))).toBe(true);
    expect((await agentRow(first)).missedAt).toEqual(at(2));
    expect(await offerHandoff(handle.db, id, at(2))).toMatchObject({ agentId: second });
    expect(await offerNextToAgent(handle.db, first, at(3))).toBeNull();
    expect(await events(id)).toEqual([
      { kind: 'offered', agentId: first },
      { kind: 'declined', agentId: first },
      { kind: 'offered', agentId: second },
    ]);
  });

  it('drains the backlog to a free agent: highest aged priority first, up to capacity, only what they are eligible for', async () => {
    const a = await agent('a', { skills: { billing: 3 }, smsCapacity: 2 });
    const old = await handoff({ channel: 'sms', priority: 10, queuedAt: at(-600) });
    const high = await handoff({ channel: 'sms', priority: 70 });
    const low = await handoff({ channel: 'sms', priority: 20 });
    await handoff({ channel: 'sms', skill: 'support', priority: 100 });
    await handoff({ channel: 'sms', priority: 100, requirements: [{ afterSeconds: 0, skill: 'billing', minLevel: 5 }] });
    const call = await handoff({ channel: 'voice', priority: 0 });
    // old: 10 + 60 aged = 70 at T0, queued earlier than high → first.
    expect(await offerNextToAgent(handle.db, a, T0)).toEqual({ handoffId: old, expiresAt: at(OFFER_TIMEOUT_SECONDS) });
    expect(await offerNextToAgent(handle.db, a, T0)).toMatchObject({ handoffId: high });
    // SMS full (two offers); voice has room.
    expect(await offerNextToAgent(handle.db, a, T0)).toMatchObject({ handoffId: call });
    expect(await offerNextToAgent(handle.db, a, T0)).toBeNull();
    expect((await row(low)).status).toBe('queued');
    expect(await events(old)).toEqual([{ kind: 'offered', agentId: a }]);
  });

  it('transfers to one agent: only they are offered it, with the note kept privately', async () => {
    const a = await agent('a', { idleSince: at(-900) });
    const target = await agent('target', { skills: {} });
    const id = await handoff();
    await offerHandoff(handle.db, id, T0);
    await acceptOffer(handle.db, id, a, at(1));
    await handle.db.update(agents).set({ lastSeenAt: at(60) }).where(sql`true`);
    const moved = await transferHandoff(handle.db, { handoffId: id, byAgentId: a, toAgentId: target, note: 'Wants a refund' }, at(60));
    expect(moved).toMatchObject({ status: 'queued', assignedAgentId: null, targetAgentId: target, queuedAt: at(60) });
    expect(await offerNextToAgent(handle.db, a, at(61))).toBeNull();
    expect(await offerHandoff(handle.db, id, at(61))).toMatchObject({ kind: 'offered', agentId: target });
    expect((await handle.db.select().from(handoffNotes).where(eq(handoffNotes.handoffId, id))).map((n) => n.body)).toEqual(['Wants a refund']);

    await releaseOffer(handle.db, id, target, 'declined', at(62));
    await handle.db.update(agents).set({ missedAt: null }).where(eq(agents.id, target));
    // The backlog finds it for the target agent though they lack the skill.
    expect(await offerNextToAgent(handle.db, target, at(63))).toMatchObject({ handoffId: id });
    expect(await transferHandoff(handle.db, { handoffId: id, byAgentId: null, toSkill: 'support' }, at(64))).toMatchObject({ skill: 'support', reqSkill: 'support', targetAgentId: null, offeredAgentId: null });
    expect((await events(id)).map((e) => e.kind)).toEqual(['offered', 'accepted', 'transferred', 'offered', 'declined', 'offered', 'transferred']);
  });

  it('ends, wraps up and resolves; the slot stays taken until resolved', async () => {
    const a = await agent('a');
    const id = await handoff();
    await offerHandoff(handle.db, id, T0);
    await acceptOffer(handle.db, id, a, at(2));
    await handle.db.update(agents).set({ lastSeenAt: at(100) }).where(sql`true`);
    expect(await endHandoff(handle.db, id, 'customer', at(100))).toBe(true);
    expect(await endHandoff(handle.db, id, 'customer', at(101))).toBe(false);
    expect(await offerHandoff(handle.db, await handoff(), at(101))).toMatchObject({ kind: 'waiting' });
    expect(await resolveHandoff(handle.db, { handoffId: id, agentId: a, wrapCode: 'billing-question', firstContactResolution: true }, at(130))).toMatchObject({
      status: 'resolved',
      endedAt: at(100),
      resolvedAt: at(130),
      wrapCode: 'billing-question',
      firstContactResolution: true,
    });
    await handle.db.update(agents).set({ lastSeenAt: at(130) }).where(sql`true`);
    expect(await offerNextToAgent(handle.db, a, at(131))).not.toBeNull();
    expect((await events(id)).map((e) => e.kind)).toEqual(['offered', 'accepted', 'ended', 'resolved']);
  });

  it('closes an accept that lost the race with the hold’s deadline, freeing the agent; never one in wrap-up', async () => {
    const a = await agent('a', { lastSeenAt: at(100) });
    const late = await handoff();
    await offerHandoff(handle.db, late, at(110));
    expect(await acceptOffer(handle.db, late, a, at(119))).toMatchObject({ ok: true });
    // The flow had already left the hold by its timeout port: the agent must not keep a call that is not there.
    expect(await closeHandoff(handle.db, late, 'timeout', at(120))).toBe(true);
    expect(await row(late)).toMatchObject({ status: 'timeout', assignedAgentId: a, endedAt: at(120) });
    expect(await handle.db.select({ voiceLoad: agents.voiceLoad }).from(agents).where(eq(agents.id, a))).toEqual([{ voiceLoad: 0 }]);
    const [closed] = await handle.db.select({ detail: handoffEvents.detail }).from(handoffEvents).where(and(eq(handoffEvents.handoffId, late), eq(handoffEvents.kind, 'timeout')));
    expect(closed?.detail).toEqual({ waitedSeconds: 120, withdrawnFrom: a, afterAccept: true });
    // The next call reaches the agent again.
    const next = await handoff();
    expect(await offerHandoff(handle.db, next, at(121))).toMatchObject({ kind: 'offered', agentId: a });
    expect(await acceptOffer(handle.db, next, a, at(122))).toMatchObject({ ok: true });
    expect(await endHandoff(handle.db, next, 'customer', at(130))).toBe(true);
    expect(await closeHandoff(handle.db, next, 'abandoned', at(131))).toBe(false);
    expect(await row(next)).toMatchObject({ status: 'wrap-up' });
  });

  it('closes a waiting handoff as abandoned or timed out, withdrawing its offer', async () => {
    const a = await agent('a');
    const offered = await handoff();
    await offerHandoff(handle.db, offered, T0);
    expect(await closeHandoff(handle.db, offered, 'abandoned', at(40))).toBe(true);
    expect(await row(offered)).toMatchObject({ status: 'abandoned', offeredAgentId: null, endedAt: at(40) });
    expect(await acceptOffer(handle.db, offered, a, at(41))).toEqual({ ok: false, reason: 'closed' });
    const waiting = await handoff();
    expect(await closeHandoff(handle.db, waiting, 'timeout', at(120))).toBe(true);
    expect(await closeHandoff(handle.db, waiting, 'abandoned', at(121))).toBe(false);
    expect((await events(waiting)).map((e) => e.kind)).toEqual(['timeout']);
    const [detail] = await handle.db.select({ detail: handoffEvents.detail }).from(handoffEvents).where(and(eq(handoffEvents.handoffId, offered), eq(handoffEvents.kind, 'abandoned')));
    expect(detail?.detail).toEqual({ waitedSeconds: 40, withdrawnFrom: a });
  });

  it('advances a handoff’s wait: offer, lapse as missed, offer the next, stop when assigned', async () => {
    const first = await agent('first', { idleSince: at(-900) });
    const second = await agent('second');
    const id = await handoff({ requirements: [{ afterSeconds: 45, skill: 'escalation', minLevel: 1 }] });
    expect(await advanceHandoff(handle.db, id, T0)).toEqual({ done: false, status: 'offered', wakeAt: at(OFFER_TIMEOUT_SECONDS).getTime() + 250 });
    expect(await advanceHandoff(handle.db, id, at(5))).toEqual({ done: false, status: 'offered', wakeAt: at(OFFER_TIMEOUT_SECONDS).getTime() + 250 });
    await handle.db.update(agents).set({ lastSeenAt: at(21) }).where(sql`true`);
    expect(await advanceHandoff(handle.db, id, at(21))).toMatchObject({ done: false, status: 'offered' });
    expect(await row(id)).toMatchObject({ offeredAgentId: second });
    await acceptOffer(handle.db, id, second, at(22));
    expect(await advanceHandoff(handle.db, id, at(22))).toEqual({ done: true, status: 'assigned' });
    const lonely = await handoff({ requirements: [{ afterSeconds: 45, skill: 'escalation', minLevel: 1 }] });
    expect(await advanceHandoff(handle.db, lonely, at(22))).toEqual({ done: false, status: 'queued', wakeAt: at(45).getTime() });
    expect((await events(id)).map((e) => [e.kind, e.agentId])).toEqual([
      ['offered', first],
      ['missed', first],
      ['offered', second],
      ['accepted', second],
    ]);
  });

  it.runIf(name === 'postgres')(
    'never gives one handoff to two agents nor pushes an agent past capacity under concurrent assigners',
    async () => {
      // Many connections racing for few agents: the case where a ranking read before another
      // process's commit would hand out a slot twice.
      const [{ db: dbName } = { db: '' }] = await queryRows<{ db: string }>(handle.db, sql`select current_database() as db`);
      const url = new URL(env.DATABASE_URL ?? '');
      url.pathname = `/${dbName}`;
      const pool = openPostgres(url.toString(), 'postgres', 16);
      const agentIds: string[] = [];
      for (let i = 0; i < 12; i += 1) agentIds.push(await agent(`c${i}`, { skills: { billing: 1 + (i % 5) }, smsCapacity: 2, idleSince: at(-i) }));
      const handoffIds: string[] = [];
      for (let i = 0; i < 150; i += 1) handoffIds.push(await handoff({ channel: i % 3 === 0 ? 'voice' : 'sms', priority: i % 100 }));
      // Both directions at once: handoffs looking for agents and agents draining the backlog.
      const jobs = [...handoffIds.map((id) => () => offerHandoff(pool.db, id, T0)), ...agentIds.flatMap((id) => [1, 2, 3, 4].map(() => () => offerNextToAgent(pool.db, id, T0)))];
      // A fixed shuffle, so the two kinds interleave.
      const order = jobs.map((job, i) => ({ job, key: (i * 7919) % jobs.length })).sort((x, y) => x.key - y.key);
      await Promise.all(order.map(({ job }) => job()));

      const overruns = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from (
              select offered_agent_id, channel, count(*) as c from handoffs where status = 'offered' group by 1, 2
            ) o join agents a on a.id = o.offered_agent_id
            where o.c > case o.channel when 'voice' then 1 else a.sms_capacity end`,
      );
      expect(overruns[0]?.n).toBe(0);
      const doubles = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from (select handoff_id from handoff_events where kind = 'offered' group by 1 having count(*) > 1) d`);
      expect(doubles[0]?.n).toBe(0);
      const offered = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from handoffs where status = 'offered'`);
      // 12 agents × (1 voice + 2 SMS) slots, and enough work of each kind to fill them.
      expect(offered[0]?.n).toBe(36);

      // Racing accepts and declines: each offer ends one way, once.
      const pending = await handle.db.select().from(handoffs).where(eq(handoffs.status, 'offered'));
      await Promise.all(
        pending.flatMap((h) => [acceptOffer(pool.db, h.id, h.offeredAgentId!, at(1)), releaseOffer(pool.db, h.id, h.offeredAgentId!, 'declined', at(1)), acceptOffer(pool.db, h.id, agentIds[0]!, at(1))]),
      );
      await pool.close();
      const outcomes = await queryRows<{ n: number }>(
        handle.db,
        sql`select count(*)::int as n from handoff_events where kind in ('accepted', 'declined') group by handoff_id having count(*) <> 1`,
      );
      expect(outcomes).toEqual([]);
    },
    120_000,
  );
});
