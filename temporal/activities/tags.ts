import { getDb } from '@/db/client';
import { runTagRules, type RunResult } from '@/server/tags/engine';

/** The full pass of the tag rules over every customer (the nightly schedule). */
export async function runTagRulesPass(): Promise<RunResult> {
  const result = await runTagRules(await getDb());
  for (const [id, message] of Object.entries(result.failed)) console.error(`[tags] rule ${id} failed in the full pass: ${message}`);
  return result;
}
