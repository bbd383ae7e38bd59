import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { flows } from '@/db/schema';
import { nodeCatalog } from '@/nodes/registry';
import type { RunFacts } from '@/temporal/workflows/api';
import { compileFlow } from '@/workflows/compile';
import type { Diagnostic } from '@/workflows/diagnostics';
import { TEST_FLOW_PARAM } from './twilio-request';

/**
 * Draft test runs. The simulator adds `?testFlow=<flowId>` to the first webhook of a call (and to
 * every inbound SMS of a test conversation). The query string is covered by `X-Twilio-Signature`,
 * so only a holder of the auth token (the simulator service, never a browser) can ask for one.
 * The webhook handler then runs the flow's current draft, compiled now, instead of the version
 * bound to the number, and the interaction is stored with `isTest` so analytics leave it out.
 */

export { TEST_FLOW_PARAM };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The flow id a signed webhook URL asks to test, or null for ordinary traffic. */
export function testFlowIdFrom(url: string | URL): string | null {
  const value = new URL(url).searchParams.get(TEST_FLOW_PARAM);
  return value !== null && UUID.test(value) ? value : null;
}

export type DraftRun =
  | { ok: true; facts: RunFacts & { isTest: true }; flowName: string }
  | { ok: false; reason: 'not-found' | 'wrong-channel' | 'invalid'; message: string; diagnostics: Diagnostic[] };

/** Compiles the flow's current draft into the facts a test run starts with. */
export async function draftRunFacts(db: Db, flowId: string, channel: 'voice' | 'sms'): Promise<DraftRun> {
  const [flow] = await db.select({ id: flows.id, name: flows.name, draft: flows.draft }).from(flows).where(eq(flows.id, flowId));
  if (!flow) return { ok: false, reason: 'not-found', message: 'This test flow does not exist.', diagnostics: [] };
  const { compiled, diagnostics } = compileFlow(flow.draft, nodeCatalog);
  if (!compiled) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    return { ok: false, reason: 'invalid', message: `The draft has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${errors.map((d) => d.message).join('; ')}`, diagnostics };
  }
  if (compiled.channel !== channel) {
    return { ok: false, reason: 'wrong-channel', message: `This draft answers ${compiled.channel === 'sms' ? 'text messages' : 'calls'}, not ${channel === 'sms' ? 'text messages' : 'calls'}.`, diagnostics };
  }
  return { ok: true, flowName: flow.name, facts: { flow: compiled, flowId: flow.id, flowVersionId: null, isTest: true } };
}
