/**
 * Routing benchmark, on a Postgres server (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; it makes and drops a scratch database):
 *
 *  1. One assignment decision with 1,000 agents and 10,000 queued handoffs: p50/p99 of
 *     offerHandoff (a handoff's workflow looking for an agent) and of offerNextToAgent (a free agent
 *     draining the backlog), and EXPLAIN ANALYZE of both decision queries (the waiting index
 *     `handoffs_waiting` must serve the backlog). Target p99 ≤ 10 ms.
 *  2. 200 agents taking 10,000 handoffs from 4 concurrent assigners (both directions at once,
 *     accept, then resolve after a simulated handling time) while a checker samples occupancy:
 *     double assignments and capacity overruns (target 0 and 0), and the longest wait of the
 *     lowest-priority handoffs. Time runs simulated at BENCH_ROUTING_SPEED× (default 60: a real
 *     second is a simulated minute), so ageing (6 points a minute) matters within the run.
 *
 * BENCH_ONLY=routing runs it alone; no build or running stack needed.
 */
import { sql } from 'drizzle-orm';
import { type Db, type DbHandle, migrateDb, openPostgres, queryRows } from '@/db/client';
import { createScratchDatabase } from '@/db/scratch';
import { agents, agentSkills, handoffs, skills } from '@/db/schema';
import { acceptOffer, offerHandoff, offerNextToAgent, rankedAgentsSql, resolveHandoff, waitingCandidatesSql } from '@/server/routing/assign';
import { virtualStartFor } from '@/server/routing/rules';
import { percentile } from './twilio-player';

const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SPEED = Number(process.env.BENCH_ROUTING_SPEED ?? 60);
const SKILLS = Array.from({ length: 10 }, (_, i) => `skill-${i}`);

/** Deterministic pseudo-random numbers, so runs compare. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

async function setupAgents(db: Db, count: number, rand: () => number, lastSeenAt: Date): Promise<string[]> {
  const rows = await db
    .insert(agents)
    .values(
      Array.from({ length: count }, (_, i) => ({
        name: `Agent ${i}`,
        email: `agent-${i}@bench.test`,
        senior: i % 10 === 0,
        choice: 'available' as const,
        lastSeenAt,
        idleSince: new Date(lastSeenAt.getTime() - Math.floor(rand() * 3_600_000)),
        smsCapacity: 3,
      })),
    )
    .returning({ id: agents.id });
  const links = rows.flatMap((row, i) => [0, 3, 7].map((offset) => ({ agentId: row.id, skillId: SKILLS[(i + offset) % SKILLS.length]!, level: 1 + Math.floor(rand() * 5) })));
  await db.insert(agentSkills).values(links);
  return rows.map((row) => row.id);
}

async function queueHandoffs(db: Db, count: number, rand: () => number, queuedAt: () => Date, prefix: string): Promise<{ id: string; priority: number }[]> {
  const out: { id: string; priority: number }[] = [];
  for (let start = 0; start < count; start += 1000) {
    const values = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
      const skill = SKILLS[Math.floor(rand() * SKILLS.length)]!;
      const priority = Math.floor(rand() * 101);
      const at = queuedAt();
      const minLevel = rand() < 0.2 ? 3 : 1;
      return {
        idempotencyKey: `${prefix}-${start + i}`,
        channel: rand() < 0.7 ? ('voice' as const) : ('sms' as const),
        skill,
        priority,
        urgent: rand() < 0.05,
        requirements: [{ afterSeconds: 0, skill, minLevel }],
        reqSkill: skill,
        reqMinLevel: minLevel,
        queuedAt: at,
        virtualStart: virtualStartFor(at, priority),
      };
    });
    out.push(...(await db.insert(handoffs).values(values).returning({ id: handoffs.id, priority: handoffs.priority })));
  }
  return out;
}

const ms = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(2)} ms · p99 ${percentile(sorted, 99).toFixed(2)} ms · max ${sorted.at(-1)?.toFixed(2)} ms (${sorted.length} decisions)`;
};

async function explain(db: Db, query: ReturnType<typeof sql>): Promise<string[]> {
  const rows = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, costs off, timing on) ${query}`);
  return rows.map((row) => row['QUERY PLAN']);
}

async function decisionBench(handle: DbHandle) {
  const { db } = handle;
  const rand = random(42);
  const now = new Date();
  const agentIds = await setupAgents(db, 1000, rand, now);
  // A busy center: 60 % of the agents are on a call already.
  const busy = agentIds.filter(() => rand() < 0.6);
  await db.insert(handoffs).values(
    busy.map((agentId, i) => ({ idempotencyKey: `busy-${i}`, skill: SKILLS[0]!, priority: 50, reqSkill: SKILLS[0]!, status: 'assigned' as const, assignedAgentId: agentId, acceptedAt: now })),
  );
  const queued = await queueHandoffs(db, 10_000, rand, () => new Date(now.getTime() - Math.floor(rand() * 600_000)), 'queued');
  await db.execute(sql`analyze`);

  // The plans first, while the backlog is whole.
  const sample = (await db.select().from(handoffs).where(sql`${handoffs.id} = ${queued[0]!.id}`))[0]!;
  const free = agentIds.find((id) => !busy.includes(id))!;
  const backlogPlan = await explain(db, waitingCandidatesSql({ id: free, senior: sql`false` }, sql`('voice', 'sms')`, 5));
  const agentPlan = await explain(db, rankedAgentsSql(sample, now, 5));

  const toAgent: number[] = [];
  const toHandoff: number[] = [];
  const picks = random(7);
  for (let i = 0; i < 600; i += 1) {
    const agentId = agentIds[Math.floor(picks() * agentIds.length)]!;
    let started = performance.now();
    await offerNextToAgent(db, agentId, now);
    toAgent.push(performance.now() - started);
    const handoffId = queued[Math.floor(picks() * queued.length)]!.id;
    started = performance.now();
    await offerHandoff(db, handoffId, now);
    toHandoff.push(performance.now() - started);
  }
  const waiting = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from handoffs where status = 'queued'`);
  console.log(`1,000 agents (${busy.length} on a call), ${waiting[0]?.n} handoffs still queued at the end`);
  console.log(`offerHandoff (a handoff looks for an agent):   ${ms(toHandoff)}`);
  console.log(`offerNextToAgent (an agent drains the backlog): ${ms(toAgent)}`);
  const uses = (plan: string[]) => (plan.some((line) => line.includes('handoffs_waiting')) ? 'uses handoffs_waiting' : 'does NOT use handoffs_waiting');
  console.log(`backlog query ${uses(backlogPlan)}; plan:`);
  for (const line of backlogPlan) console.log(`    ${line}`);
  console.log('agent ranking query plan:');
  for (const line of agentPlan) console.log(`    ${line}`);
}

async function throughputBench(handle: DbHandle) {
  const { db } = handle;
  const rand = random(1234);
  const T0 = Date.parse('2026-03-01T09:00:00Z');
  const started = performance.now();
  const clock = () => new Date(T0 + (performance.now() - started) * SPEED);
  // Online throughout: their last heartbeat is "later" than any simulated moment of the run.
  const agentIds = await setupAgents(db, 200, rand, new Date(T0 + 30 * 86_400_000));
  const TOTAL = 10_000;
  const ASSIGNERS = 4;
  // Simulated handling time: 1 … 4 minutes.
  const held = new Map<string, { handoffId: string; doneAt: number }[]>();
  const known: string[] = [];
  let fed = 0;
  let resolved = 0;
  let overrunSamples = 0;
  let samples = 0;
  let stop = false;
  let lapsed = 0;

  // Arrivals: all 10,000 over about 25 real seconds, faster than 200 agents can serve them, so a queue builds.
  const feeder = (async () => {
    while (fed < TOTAL) {
      const batch = await queueHandoffs(db, Math.min(100, TOTAL - fed), rand, clock, `run-${fed}`);
      known.push(...batch.map((b) => b.id));
      fed += batch.length;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();

  const take = async (agentId: string, handoffId: string) => {
    const result = await acceptOffer(db, handoffId, agentId, clock());
    if (!result.ok && result.reason === 'expired') {
      // Too slow for the (simulated) 20 s offer: marked missed; the agent chooses available again.
      lapsed += 1;
      await db.update(agents).set({ missedAt: null }).where(sql`${agents.id} = ${agentId}`);
    }
    if (result.ok) {
      const list = held.get(agentId) ?? [];
      list.push({ handoffId, doneAt: clock().getTime() + (60 + Math.floor(rand() * 180)) * 1000 });
      held.set(agentId, list);
    }
  };

  const assigner = async (lane: number) => {
    const pick = random(100 + lane);
    while (!stop) {
      const agentId = agentIds[Math.floor(pick() * agentIds.length)]!;
      // The agent finishes what is due, then asks for more.
      const mine = held.get(agentId) ?? [];
      const due = mine.filter((h) => h.doneAt <= clock().getTime());
      held.set(
        agentId,
        mine.filter((h) => !due.includes(h)),
      );
      for (const h of due) if (await resolveHandoff(db, { handoffId: h.handoffId, agentId, wrapCode: 'bench', firstContactResolution: true }, clock())) resolved += 1;
      const offer = await offerNextToAgent(db, agentId, clock());
      if (offer) await take(agentId, offer.handoffId);
      // The other direction too: a handoff's workflow looking for an agent.
      if (known.length > 0) {
        const handoffId = known[Math.floor(pick() * known.length)]!;
        const result = await offerHandoff(db, handoffId, clock());
        if (result.kind === 'offered') await take(result.agentId, handoffId);
      }
      if (resolved >= TOTAL) stop = true;
    }
  };

  const checker = (async () => {
    while (!stop) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from (
              select coalesce(assigned_agent_id, offered_agent_id) as agent_id, channel, count(*) as used
              from handoffs where status in ('offered', 'assigned', 'wrap-up') group by 1, 2
            ) o join agents a on a.id = o.agent_id
            where o.used > case o.channel when 'voice' then least(a.voice_capacity, 1) else a.sms_capacity end`,
      );
      samples += 1;
      if ((row?.n ?? 0) > 0) overrunSamples += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const limit = setTimeout(() => (stop = true), 10 * 60_000);
  await Promise.all([feeder, ...Array.from({ length: ASSIGNERS }, (_, lane) => assigner(lane)), checker]);
  clearTimeout(limit);
  const elapsed = (performance.now() - started) / 1000;

  const [doubles] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from (select handoff_id from handoff_events where kind = 'accepted' group by 1 having count(*) > 1) d`);
  const [mismatched] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from handoffs h join handoff_events e on e.handoff_id = h.id and e.kind = 'accepted' where e.agent_id is distinct from h.assigned_agent_id`,
  );
  const waits = await queryRows<{ bucket: string; n: number; longest: number; median: number }>(
    db,
    sql`select case when priority < 10 then 'lowest (0–9)' when priority >= 90 then 'highest (90–100)' else 'middle' end as bucket,
               count(*)::int as n,
               max(extract(epoch from accepted_at - queued_at))::float as longest,
               percentile_cont(0.5) within group (order by extract(epoch from accepted_at - queued_at))::float as median
        from handoffs where accepted_at is not null group by 1 order by 1`,
  );
  const [unserved] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from handoffs where accepted_at is null`);
  console.log(`\n200 agents, ${TOTAL} handoffs, ${ASSIGNERS} concurrent assigners: ${resolved} resolved in ${elapsed.toFixed(1)} s real (${((elapsed * SPEED) / 60).toFixed(0)} simulated minutes at ${SPEED}×), ${unserved?.n} never answered, ${lapsed} offers lapsed before the accept`);
  console.log(`double assignments: ${(doubles?.n ?? 0) + (mismatched?.n ?? 0)} · capacity overruns: ${overrunSamples} of ${samples} occupancy samples`);
  for (const w of waits) console.log(`wait of ${w.bucket.padEnd(16)} priority: longest ${(w.longest / 60).toFixed(1)} min · median ${(w.median / 60).toFixed(1)} min simulated (${w.n} handoffs)`);
}

/** BENCH_ROUTING_PARTS=decision (or throughput) runs one part. */
export async function runRoutingBench() {
  const parts = process.env.BENCH_ROUTING_PARTS?.split(',');
  for (const [name, run] of [
    ['decision', decisionBench],
    ['throughput', throughputBench],
  ] as const) {
    if (parts && !parts.includes(name)) continue;
    const scratch = await createScratchDatabase(server, `sb_routing_${name}`);
    const handle = openPostgres(scratch.url, 'postgres', 10);
    try {
      await migrateDb(handle);
      await handle.db.insert(skills).values(SKILLS.map((id) => ({ id, name: id })));
      await run(handle);
    } finally {
      await handle.close();
      await scratch.drop();
    }
  }
}
