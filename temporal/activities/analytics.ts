import { getDb } from '@/db/client';
import { checkGuardrails } from '@/server/analytics/experiments';

/** Pauses the running experiments whose variant is significantly worse on a guardrail. */
export async function checkExperimentGuardrails(): Promise<{ checked: number; paused: string[] }> {
  return checkGuardrails(await getDb());
}
