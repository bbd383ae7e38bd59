/**
 * `npm run bench`: runs the benchmarks against a running production stack (`npm run build &&
 * npm start`); each prints its own figures (routing, analytics and tags need only a Postgres server: bench/routing.ts, bench/analytics.ts, bench/tags.ts). BENCH_ONLY=load,canvas picks some; `scale-out` starts
 * its own processes on a Postgres server and runs only when named (BENCH_ONLY=scale-out).
 */
import { runAnalyticsBench } from './analytics';
import { runCanvasBench } from './canvas';
import { runLoadBench } from './load';
import { runRoutingBench } from './routing';
import { runScaleOutBench } from './scale-out';
import { runTagsBench } from './tags';

const benches: [string, () => Promise<void>, { byDefault: boolean }][] = [
  ['load', runLoadBench, { byDefault: true }],
  ['canvas', runCanvasBench, { byDefault: true }],
  ['routing', runRoutingBench, { byDefault: true }],
  ['analytics', runAnalyticsBench, { byDefault: true }],
  ['tags', runTagsBench, { byDefault: true }],
  ['scale-out', runScaleOutBench, { byDefault: false }],
];
const only = process.env.BENCH_ONLY?.split(',');

for (const [name, run, { byDefault }] of benches) {
  if (only ? !only.includes(name) : !byDefault) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
