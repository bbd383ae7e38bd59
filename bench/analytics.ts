/**
 * Analytics benchmark, on a Postgres server (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; it makes and drops a scratch database): the demo
 * seed plus BENCH_ANALYTICS_CONTACTS (default 190,000) contacts of generated history over 30 days
 * (server/demo/history.ts: the demo IVR's paths are about 5.3 steps a contact, so 190,000 contacts
 * make the 1,000,000 steps of the target — and twice its 100,000 contacts), then p50 / p99
 * of what a manager's pages ask for over the whole 30 days: the performance page (KPIs, daily
 * series, breakdowns by version and channel), its breakdown by tag (a request of its own, counted
 * live), the canvas overlay (all versions) and an experiment's reading. Target: each ≤ 300 ms. EXPLAIN ANALYZE of the per-node counts read straight
 * from the steps is printed for comparison (the overlay reads the rollups instead).
 *
 * BENCH_ONLY=analytics runs it alone; no build or running stack needed.
 */
import { sql } from 'drizzle-orm';
import { migrateDb, openPostgres, queryRows } from '@/db/client';
import { createScratchDatabase } from '@/db/scratch';
import { getExperiment, loadKpiSettings } from '@/server/analytics/experiments';
import { flowOverlay, flowPerformance, flowTagBreakdown } from '@/server/analytics/performance';
import { catchUpContactRollups } from '@/server/analytics/queries';
import { catchUpRollups } from '@/server/analytics/rollup';
import { generateHistory } from '@/server/demo/history';
import { seed } from '@/server/demo/seed';
import { timed } from './twilio-player';

const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONTACTS = Number(process.env.BENCH_ANALYTICS_CONTACTS ?? 190_000);
const DAYS = 30;
const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 15);

export async function runAnalyticsBench(): Promise<void> {
  const scratch = await createScratchDatabase(server);
  const handle = openPostgres(scratch.url, 'postgres', 8);
  try {
    await migrateDb(handle);
    const { db } = handle;
    const { flowId } = await seed(db, { history: false });
    const started = performance.now();
    const made = await generateHistory(db, { flowId, days: DAYS, contactsPerDay: Math.round(CONTACTS / DAYS), customers: Math.round(CONTACTS / 2.5), seed: 7 });
    const generated = performance.now();
    // The first overlay read after a bulk load counts every ended contact into the rollups once.
    const caughtUp = await catchUpRollups(db);
    const rolled = performance.now();
    // And the KPI rollups of the settled contacts (older than the longest repeat window and a day).
    await catchUpContactRollups(db, await loadKpiSettings(db));
    const kpiRolled = performance.now();
    await db.execute(sql`analyze`);
    const [counts] = await queryRows<{ interactions: string; steps: string; handoffs: string }>(
      db,
      sql`select (select count(*) from interactions) as interactions, (select count(*) from interaction_steps) as steps, (select count(*) from handoffs) as handoffs`,
    );
    console.log(
      `data: ${Number(counts?.interactions).toLocaleString('en')} interactions, ${Number(counts?.steps).toLocaleString('en')} steps, ${Number(counts?.handoffs).toLocaleString('en')} handoffs (generated in ${((generated - started) / 1000).toFixed(1)} s; node rollup catch-up of ${caughtUp.toLocaleString('en')} contacts in ${((rolled - generated) / 1000).toFixed(1)} s and KPI rollup build in ${((kpiRolled - rolled) / 1000).toFixed(1)} s, once)`,
    );

    const to = new Date();
    const from = new Date(to.getTime() - (DAYS + 1) * 86_400_000);
    const rows: [string, { p50: number; p99: number }][] = [];
    rows.push(['performance page (30 days, daily)', await timed(RUNS, () => flowPerformance(db, { flowId, from, to, bucket: 'day', timeZone: 'UTC' }))]);
    rows.push(['performance page (30 days, hourly)', await timed(RUNS, () => flowPerformance(db, { flowId, from, to, bucket: 'hour', timeZone: 'Asia/Shanghai' }))]);
    rows.push(['performance page, tag breakdown (asked for apart, all live)', await timed(RUNS, () => flowTagBreakdown(db, { flowId, from, to, timeZone: 'UTC' }))]);
    rows.push([
      'performance page, cards and tags together',
      await timed(RUNS, () => Promise.all([flowPerformance(db, { flowId, from, to, bucket: 'day', timeZone: 'UTC' }), flowTagBreakdown(db, { flowId, from, to, timeZone: 'UTC' })])),
    ]);
    rows.push(['canvas overlay (all versions, 30 days)', await timed(RUNS, () => flowOverlay(db, { flowId, from, to, version: 'all' }))]);
    rows.push(['canvas overlay (one version, 30 days)', await timed(RUNS, () => flowOverlay(db, { flowId, from, to, version: 1 }))]);
    if (made.experimentId) {
      const id = made.experimentId;
      rows.push(['experiment reading (14 days, 2 arms)', await timed(RUNS, () => getExperiment(db, id))]);
    }
    console.log('\n| query | p50 | p99 | target |\n|---|---|---|---|');
    for (const [name, t] of rows) console.log(`| ${name} | ${t.p50.toFixed(0)} ms | ${t.p99.toFixed(0)} ms | ≤ 300 ms ${t.p99 <= 300 ? '✓' : '✗'} |`);

    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      db,
      sql`explain (analyze, buffers off, timing off) select s.node_id, s.port, count(*) from interactions i join interaction_steps s on s.interaction_id = i.id
        where i.flow_id = ${flowId} and not i.is_test and i.started_at >= ${from.toISOString()}::timestamptz and i.started_at < ${to.toISOString()}::timestamptz
        group by grouping sets ((s.node_id), (s.node_id, s.port))`,
    );
    console.log('\nEXPLAIN ANALYZE of the same counts straight from the steps (what the rollups spare the overlay):');
    for (const line of plan) console.log(`  ${line['QUERY PLAN']}`);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runAnalyticsBench();
}
