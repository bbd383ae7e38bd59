import 'server-only';
import type { Workflow } from '@temporalio/common';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { CallerInput } from '@/nodes/sdk';
import { liveFlowForNumber } from '@/server/flows/service';
import { onCallEnded } from '@/server/routing/conversation';
import { draftRunFacts, testFlowIdFrom } from '@/server/simulator/test-runs';
import { workflowIds } from '@/temporal/constants';
import {
  type GatheredInput,
  type QueueLeftInput,
  type RunFacts,
  TERMINAL_CALL_STATUSES,
  type VoiceCallInput,
  signalNames,
  updateNames,
  workflowTypes,
} from '@/temporal/workflows/api';
import { holdFromWaitUrl, type VoiceReply } from '@/telephony/replies';
import { renderMessagingReply, renderVoiceReply, unknownNumberTwiml } from '@/telephony/twiml';
import { defaultDeps, isNotFound, type TelephonyDeps } from './runtime';
import type { TwilioWebhookRequest } from './webhook';

const GOODBYE: VoiceReply = { verbs: [{ verb: 'hangup' }] };
const TEST_UNAVAILABLE = 'This test flow cannot run.';

/** Update ids: one per webhook, so Twilio's retries of it are the same update (Temporal runs it once). */
export const updateIds = {
  callStarted: (callSid: string) => `voice:${callSid}`,
  gathered: (callSid: string, seq: number) => `gather:${callSid}:${seq}`,
  queueLeft: (callSid: string, seq: number) => `queue:${callSid}:${seq}`,
} as const;

/** Starts the call's workflow with the pinned program (or joins it) and returns the first reply. */
export async function startVoiceRun(facts: RunFacts, call: { callSid: string; from: string; to: string }, deps: TelephonyDeps = defaultDeps()): Promise<VoiceReply> {
  const client = await deps.temporal();
  const workflowId = workflowIds.call(call.callSid);
  const updateId = updateIds.callStarted(call.callSid);
  const input: VoiceCallInput = { ...facts, callSid: call.callSid, from: call.from, to: call.to };
  const startWorkflowOperation = new WithStartWorkflowOperation(workflowTypes.voice, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A CallSid is one call: a late retry must never start the flow over.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  try {
    return await client.workflow.executeUpdateWithStart<Workflow, VoiceReply, []>(updateNames.callStarted, { updateId, startWorkflowOperation });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    // The call's workflow already finished: a retried first webhook gets the call's first answer back.
    return client.workflow.getHandle(workflowId).getUpdateHandle<VoiceReply>(updateId).result().catch(() => GOODBYE);
  }
}

/** POST /api/twilio/voice: an incoming call. The called number picks the live flow version. */
export async function handleIncomingCall({ params, url }: TwilioWebhookRequest, deps: TelephonyDeps = defaultDeps()): Promise<string> {
  const callSid = params.CallSid ?? '';
  const from = params.From ?? '';
  const to = params.To ?? '';
  if (callSid === '' || to === '') return unknownNumberTwiml();
  const db = await deps.db();

  const testFlowId = testFlowIdFrom(url);
  let facts: RunFacts;
  if (testFlowId !== null) {
    const draft = await draftRunFacts(db, testFlowId, 'voice');
    if (!draft.ok) return renderVoiceReply({ verbs: [{ verb: 'say', text: `${TEST_UNAVAILABLE} ${draft.message}`, language: 'en-US' }, { verb: 'hangup' }] });
    facts = draft.facts;
  } else {
    const live = await liveFlowForNumber(db, to, 'voice', from);
    if (!live) return unknownNumberTwiml();
    facts = { flow: live.compiled, flowId: live.flowId, flowVersionId: live.versionId, ...(live.experimentVariantId && { experimentVariantId: live.experimentVariantId }) };
  }
  return renderVoiceReply(await startVoiceRun(facts, { callSid, from, to }, deps));
}

/** The caller's answer from a `<Gather>` post: keys first, else speech; null for a timeout. */
export function callerInputFrom(params: Record<string, string>): CallerInput | null {
  const digits = (params.Digits ?? '').trim();
  if (digits !== '') return { kind: 'digits', text: digits };
  const speech = (params.SpeechResult ?? '').trim();
  if (speech !== '') {
    const confidence = Number(params.Confidence);
    return { kind: 'speech', text: speech, ...(params.Confidence !== undefined && Number.isFinite(confidence) && { confidence }) };
  }
  return null;
}

function seqFrom(query: URLSearchParams): number | null {
  const seq = Number(query.get('seq'));
  return Number.isInteger(seq) && seq >= 0 ? seq : null;
}

async function updateCall<A>(callSid: string, update: string, arg: A, updateId: string | undefined, deps: TelephonyDeps): Promise<string> {
  const client = await deps.temporal();
  try {
    const reply = await client.workflow.getHandle(workflowIds.call(callSid)).executeUpdate<VoiceReply, [A]>(update, { args: [arg], ...(updateId && { updateId }) });
    return renderVoiceReply(reply);
  } catch (error) {
    // A call this app does not know (or that is long over): end it politely.
    if (isNotFound(error)) return renderVoiceReply(GOODBYE);
    throw error;
  }
}

/**
 * POST /api/twilio/gather?seq=n: the action URL of a `<Gather>` (Digits / SpeechResult / Confidence,
 * or nothing on a timeout), and with `kind=queue` the action URL of an `<Enqueue>` (QueueResult).
 */
export async function handleGather({ params, query }: TwilioWebhookRequest, deps: TelephonyDeps = defaultDeps()): Promise<string> {
  const callSid = params.CallSid ?? '';
  const seq = seqFrom(query);
  if (callSid === '' || seq === null) return renderVoiceReply(GOODBYE);
  if (query.get('kind') === 'queue') {
    const arg: QueueLeftInput = { seq, result: params.QueueResult ?? 'error' };
    return updateCall(callSid, updateNames.queueLeft, arg, updateIds.queueLeft(callSid, seq), deps);
  }
  const arg: GatheredInput = { seq, input: callerInputFrom(params) };
  return updateCall(callSid, updateNames.gathered, arg, updateIds.gathered(callSid, seq), deps);
}

/** How long Twilio plays silence before it polls the wait URL again. */
const WAIT_PAUSE_SECONDS = 10;

/**
 * POST /api/twilio/wait?seq=n&until=…&say=…: the `<Enqueue>` wait URL, polled while the caller
 * holds. The URL itself says until when and what to play (it is signed like every webhook), so
 * this never reaches Temporal: the message and a pause, then `<Leave>` once the hold is over.
 */
export async function handleQueueWait({ query }: TwilioWebhookRequest, now = Date.now()): Promise<string> {
  const hold = holdFromWaitUrl(query);
  const remaining = hold ? Math.ceil((hold.until - now) / 1000) : 0;
  if (hold === null || remaining <= 0) return renderVoiceReply({ verbs: [{ verb: 'leave' }] });
  return renderVoiceReply({ verbs: [hold.message, { verb: 'pause', length: Math.min(WAIT_PAUSE_SECONDS, remaining) }] });
}

/**
 * POST /api/twilio/status: the call status callback. A terminal status tells the call's workflow,
 * and ends the conversation of an agent the caller was connected to (either side hung up).
 */
export async function handleCallStatus({ params }: TwilioWebhookRequest, deps: TelephonyDeps = defaultDeps()): Promise<string> {
  const callSid = params.CallSid ?? '';
  const status = params.CallStatus ?? '';
  if (callSid !== '' && (TERMINAL_CALL_STATUSES as readonly string[]).includes(status)) {
    await onCallEnded(await deps.db(), callSid);
    const client = await deps.temporal();
    try {
      await client.workflow.getHandle(workflowIds.call(callSid)).signal(signalNames.callStatus, status);
    } catch (error) {
      // Already over, or never started here: nothing to tell.
      if (!isNotFound(error)) throw error;
    }
  }
  return renderMessagingReply();
}
