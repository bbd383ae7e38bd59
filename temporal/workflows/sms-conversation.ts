import { allHandlersFinished, condition, defineQuery, defineSignal, defineUpdate, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import type { AskSpec, CallerInput, HoldOutcome, HoldSpec, Utterance } from '@/nodes/sdk';
import { type HandoffAcceptedInput, type InboundSms, type RunState, type SmsAck, type SmsConversationInput, queryNames, signalNames, updateNames } from './api';
import { FlowRun, type RunOutcome, type Transport, describeError, local, outbound } from './interpreter';

export const smsReceivedUpdate = defineUpdate<SmsAck, [InboundSms]>(updateNames.smsReceived);
export const handoffAcceptedSignal = defineSignal<[HandoffAcceptedInput?]>(signalNames.handoffAccepted);
export const handoffAcceptUpdate = defineUpdate<boolean, [HandoffAcceptedInput?]>(updateNames.handoffAccept);
export const smsStateQuery = defineQuery<RunState>(queryNames.state);

/** How long a question waits for the customer's reply before the flow treats it as no answer. */
const REPLY_TIMEOUT = '24 hours';

/**
 * One SMS conversation (workflow id `sms:<flowId>:<customer number>`). Every inbound message is an
 * Update (id `sms:<MessageSid>`, so a retried webhook is the same update); it returns once the flow
 * has answered it, i.e. when the run waits for the customer again or ends. Outbound text goes
 * through the telephony port with idempotency keys derived from the run, never twice.
 */
export async function smsConversationWorkflow(input: SmsConversationInput): Promise<RunState> {
  const inbox: InboundSms[] = [];
  const seen = new Set<string>();
  let consumed = 0;
  /** How many inbound messages had been consumed the last time the run waited for the customer. */
  let blockedAfter = -1;
  let finished = false;
  let handoffAccepted = false;
  /** While on hold the customer's texts are for the agent: they are stored, not answered by the flow. */
  let holding = false;
  let interactionId: string | null = null;
  let customerId: string | null = null;
  let buffer: string[] = [];
  const state: RunState = { turn: 0, finished: false, status: 'running', interactionId: null };
  let run: FlowRun | null = null;
  const key = `${workflowInfo().workflowId}:${input.firstMessageSid}`;

  setHandler(smsReceivedUpdate, async (message) => {
    if (finished) return { accepted: false };
    if (!seen.has(message.sid)) {
      seen.add(message.sid);
      inbox.push(message);
    }
    const index = inbox.findIndex((candidate) => candidate.sid === message.sid);
    await condition(() => interactionId !== null || finished);
    if (interactionId !== null) {
      await local.recordInboundSms({ interactionId, customerId, sid: message.sid, from: input.from, to: input.to, body: message.body });
    }
    await condition(() => finished || holding || blockedAfter > index);
    return { accepted: true };
  });
  /** The handoff the current hold waits on; a signal for another one (an earlier hold's) is not this hold's answer. */
  let holdHandoff: string | undefined;
  const isThisHold = (accepted: HandoffAcceptedInput | undefined) => accepted?.handoffId === undefined || holdHandoff === undefined || accepted.handoffId === holdHandoff;
  setHandler(handoffAcceptedSignal, (accepted) => {
    if (isThisHold(accepted)) handoffAccepted = true;
  });
  setHandler(handoffAcceptUpdate, (accepted) => {
    const waiting = holding && isThisHold(accepted);
    if (waiting) handoffAccepted = true;
    return waiting;
  });
  setHandler(smsStateQuery, () => ({ ...state, turn: consumed }));

  const send = async (text: string) => {
    if (text.trim() === '' || run === null) return;
    await outbound.sendSms({
      to: input.from,
      from: input.to,
      body: text,
      idempotencyKey: run.nextKey('sms'),
      interactionId,
      customerId,
    });
  };
  const flush = async (extra: string[] = []) => {
    const text = [...buffer, ...extra].join('\n');
    buffer = [];
    await send(text);
  };
  const waitForCustomer = async (until: () => boolean, timeout: string | number): Promise<boolean> => {
    await run?.save();
    blockedAfter = consumed;
    return condition(until, timeout);
  };

  const transport: Transport = {
    channel: 'sms',
    callerGone: false,
    say(utterance: Utterance) {
      buffer.push(utterance.text);
    },
    async ask(spec: AskSpec): Promise<CallerInput | null> {
      await flush([spec.prompt.map((part) => part.text).join(' ')]);
      const replied = await waitForCustomer(() => inbox.length > consumed, REPLY_TIMEOUT);
      if (!replied) return null;
      const message = inbox[consumed];
      // The condition above just held (inbox.length > consumed); the same failure as before if not.
      if (message === undefined) throw new Error(`no inbound message at ${consumed} after the reply wait`);
      consumed += 1;
      return { kind: 'sms', text: message.body };
    },
    async hold(spec: HoldSpec, handoffId?: string): Promise<HoldOutcome> {
      await flush([spec.waitMessage]);
      holdHandoff = handoffId;
      handoffAccepted = false;
      holding = true;
      const accepted = await waitForCustomer(() => handoffAccepted, spec.timeoutSeconds * 1000);
      holding = false;
      consumed = inbox.length;
      return accepted ? 'bridged' : 'timeout';
    },
    dial() {
      // Not a thing on SMS; the compiler keeps dialing nodes out of SMS flows.
    },
    flush: () => flush(),
  };

  let outcome: RunOutcome;
  try {
    // The first message arrives with the start (Update-with-Start): it is what the trigger saw.
    await condition(() => inbox.length > 0, REPLY_TIMEOUT);
    const first = inbox[0] ?? { sid: input.firstMessageSid, body: '' };
    consumed = inbox.length > 0 ? 1 : 0;
    const context = await local.loadContext({
      key,
      channel: 'sms',
      externalId: input.firstMessageSid,
      flowId: input.flowId,
      flowVersionId: input.flowVersionId,
      fromNumber: input.from,
      toNumber: input.to,
      isTest: input.isTest,
      experimentVariantId: input.experimentVariantId,
    });
    interactionId = context.interactionId;
    customerId = context.customer.id;
    state.interactionId = interactionId;
    run = new FlowRun(input.flow, { key, interactionId, customer: context.customer, flowNumber: input.to }, transport, { kind: 'sms', text: first.body });
    outcome = await run.run();
    await flush();
  } catch (error) {
    if (isCancellation(error)) throw error;
    outcome = { status: 'failed', error: describeError(error) };
  }

  state.status = outcome.status;
  if (run !== null) {
    try {
      await run.save(outcome);
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
  }
  finished = true;
  state.finished = true;
  await condition(allHandlersFinished);
  return { ...state, turn: consumed };
}
