/**
 * `npm run db:seed [-- --force] [-- --history]`: loads the demo data (server/demo/seed.ts) into the
 * configured database; an empty one gets 30 days of history with it. `--history` adds that history
 * to a database that has the demo data already (once).
 */
import { dbHandle } from '@/db/client';
import { hasHistory, generateHistory, type HistoryResult } from '@/server/demo/history';
import { demoFlowId, seed, seedIfEmpty } from '@/server/demo/seed';

function describe(history: HistoryResult | undefined): string {
  if (!history) return '';
  return ` with ${history.interactions} past contacts (${history.steps} steps, ${history.handoffs} handoffs) from ${history.customers} more customers`;
}

/** Prints every tenth of the way. */
function progress() {
  let shown = 0;
  return (done: number, total: number) => {
    const tenth = Math.floor((10 * done) / total);
    if (tenth > shown) console.log(`  history: ${done} of ~${total} contacts`);
    shown = Math.max(shown, tenth);
  };
}

async function main() {
  const handle = await dbHandle();
  const withHistory = process.argv.includes('--history');
  try {
    if (process.argv.includes('--force')) {
      const { history } = await seed(handle.db, { history: withHistory });
      console.log(`demo data loaded into ${handle.location}${describe(history)}`);
      return;
    }
    if (await seedIfEmpty(handle.db)) {
      console.log(`demo data with 30 days of history loaded into ${handle.location}`);
      return;
    }
    if (!withHistory) {
      console.log('the database already has data; nothing loaded (use --force to add the demo data anyway, --history to add past contacts to the demo flow)');
      return;
    }
    const flowId = await demoFlowId(handle.db);
    if (flowId === undefined) {
      console.log('the database has data but no demo flow on the demo number; nothing loaded');
      return;
    }
    if (await hasHistory(handle.db, flowId)) {
      console.log('the demo flow already has history; nothing loaded');
      return;
    }
    const started = Date.now();
    const history = await generateHistory(handle.db, { flowId, onProgress: progress() });
    console.log(`history added to ${handle.location}${describe(history)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
