import { allHandlersFinished, condition, defineQuery, defineSignal, defineUpdate, isCancellation, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { AskSpec, CallerInput, HoldOutcome, HoldSpec, Utterance } from '@/nodes/sdk';
import { replyUrls } from '@/telephony/replies';
import type { SayVerb, Verb, VoiceReply } from '@/telephony/replies';
import {
  type GatheredInput,
  type HandoffAcceptedInput,
  type QueueLeftInput,
  type RunState,
  TERMINAL_CALL_STATUSES,
  type VoiceCallInput,
  queryNames,
  signalNames,
  updateNames,
} from './api';
import { CallerGone, FlowRun, type RunOutcome, type Transport, describeError, local, workflowNow } from './interpreter';

export const callStartedUpdate = defineUpdate<VoiceReply>(updateNames.callStarted);
export const gatheredUpdate = defineUpdate<VoiceReply, [GatheredInput]>(updateNames.gathered);
export const queueLeftUpdate = defineUpdate<VoiceReply, [QueueLeftInput]>(updateNames.queueLeft);
export const callStatusSignal = defineSignal<[string]>(signalNames.callStatus);
export const voiceHandoffAcceptedSignal = defineSignal<[HandoffAcceptedInput?]>(signalNames.handoffAccepted);
export const voiceHandoffAcceptUpdate = defineUpdate<boolean, [HandoffAcceptedInput?]>(updateNames.handoffAccept);
export const stateQuery = defineQuery<RunState>(queryNames.state);

/**
 * Twilio posts a `<Gather>` back within seconds: a call not heard of for this long outside a hold
 * is gone (its status callback was lost). One timer per call watches for it, instead of one per
 * prompt, since every timer is work for Temporal.
 */
const IDLE_MS = 10 * 60 * 1000;
/** After a hold's own timeout, how long to wait for Twilio to report the caller left the queue. */
const HOLD_GRACE_MS = 60_000;
/** Once an agent took the caller, the hold lasts until the caller leaves the agent; past this, the call is taken for over. */
const WITH_AGENT_MS = 4 * 60 * 60 * 1000;
/**
 * After the last reply, when no webhook has taken it yet (Twilio's queue action can come late):
 * how long to wait for it. A last reply already taken ends the workflow at once; the status
 * callback that follows finds it closed, which is fine.
 */
const LINGER = '1 minute';

/** Said when the flow itself fails mid-call (tests look for it: no caller input may cause it). */
export const APOLOGY = "We're sorry, something went wrong. Please call again later. Goodbye.";

/**
 * One phone call (workflow id `call:<CallSid>`). Each webhook is an Update that returns the TwiML
 * reply for its turn: turn 0 answers the call; turn n+1 answers the `<Gather>` or `<Enqueue>`
 * action posted with `seq=n`. A retried webhook carries the same update id (and the same seq), so
 * it gets the same reply and never runs a step twice.
 */
export async function voiceCallWorkflow(input: VoiceCallInput): Promise<RunState> {
  const replies = new Map<number, VoiceReply>();
  const inputs = new Map<number, CallerInput | null>();
  const queueResults = new Map<number, string>();
  let buffer: Verb[] = [];
  let turn = 0;
  let holding = false;
  let callEnded = false;
  let finished = false;
  /** When Twilio last posted for this call; the watchdog's clock. */
  let lastHeard = workflowNow();
  let idle = false;
  let finalReply: VoiceReply = { verbs: [{ verb: 'hangup' }] };
  const state: RunState = { turn: 0, finished: false, status: 'running', interactionId: null };
  let run: FlowRun | null = null;

  /** Turns whose reply a webhook has taken. */
  const taken = new Set<number>();
  const replyFor = async (seq: number): Promise<VoiceReply> => {
    await condition(() => replies.has(seq) || finished);
    taken.add(seq);
    return replies.get(seq) ?? finalReply;
  };

  /**
   * The answer the current turn waits for. A `<Gather>` action for a turn that holds the caller (or
   * an `<Enqueue>` action for one that asks) can never be answered: its reply comes only once the
   * turn ends, so the webhook would wait out its whole budget. Refused at once by the validators
   * below (found by server/telephony/webhooks-fuzz.temporal.test.ts). Validators do not run on
   * replay, so histories recorded without them replay as before.
   */
  let awaiting: { seq: number; kind: 'gather' | 'queue' } | null = null;
  const onlyFor = (kind: 'gather' | 'queue') => ({ seq }: { seq: number }) => {
    if (awaiting !== null && awaiting.seq === seq && awaiting.kind !== kind) {
      throw new Error(`turn ${seq} waits for ${awaiting.kind === 'gather' ? 'a <Gather>' : 'an <Enqueue>'} action, not this one`);
    }
  };

  setHandler(callStartedUpdate, () => replyFor(0));
  setHandler(
    gatheredUpdate,
    async ({ seq, input: answer }) => {
      lastHeard = workflowNow();
      if (seq > turn) return { verbs: [{ verb: 'hangup' }] };
      if (!inputs.has(seq)) inputs.set(seq, answer);
      return replyFor(seq + 1);
    },
    { validator: onlyFor('gather') },
  );
  setHandler(
    queueLeftUpdate,
    async ({ seq, result }) => {
      lastHeard = workflowNow();
      if (seq > turn) return { verbs: [{ verb: 'hangup' }] };
      if (!queueResults.has(seq)) queueResults.set(seq, result);
      return replyFor(seq + 1);
    },
    { validator: onlyFor('queue') },
  );
  setHandler(callStatusSignal, (status) => {
    if ((TERMINAL_CALL_STATUSES as readonly string[]).includes(status)) callEnded = true;
  });
  setHandler(stateQuery, () => ({ ...state, turn }));
  /** Handoffs an agent accepted (signals name them); a signal naming none accepts the current hold's. */
  const acceptedHandoffs = new Set<string>();
  let acceptedUnnamed = false;
  /** The handoff the hold in progress waits on (undefined: no hold, or one without a handoff). */
  let holdingFor: string | undefined;
  const markAccepted = (accepted: HandoffAcceptedInput | undefined) => {
    if (accepted?.handoffId !== undefined) acceptedHandoffs.add(accepted.handoffId);
    else acceptedUnnamed = true;
  };
  setHandler(voiceHandoffAcceptedSignal, markAccepted);
  setHandler(voiceHandoffAcceptUpdate, (accepted) => {
    const waiting = holding && !callEnded && (accepted?.handoffId === undefined || accepted.handoffId === holdingFor);
    if (waiting) markAccepted(accepted);
    return waiting;
  });

  const watch = (ms: number) => {
    void sleep(ms).then(() => {
      if (callEnded || finished) return;
      // A hold has its own deadline; Twilio's wait-music polls never reach the workflow.
      if (holding) return watch(IDLE_MS);
      const quiet = workflowNow() - lastHeard;
      if (quiet >= IDLE_MS) idle = true;
      else watch(IDLE_MS - quiet);
    });
  };
  watch(IDLE_MS);

  /** Publishes the reply for the current turn, after saving the steps that led to it. */
  const reply = async (verbs: Verb[]): Promise<void> => {
    await run?.save();
    replies.set(turn, { verbs: [...buffer, ...verbs] });
    buffer = [];
  };

  const transport: Transport = {
    channel: 'voice',
    get callerGone() {
      return callEnded;
    },
    say(utterance: Utterance) {
      buffer.push(sayVerb(utterance));
    },
    async ask(spec: AskSpec) {
      if (callEnded) throw new CallerGone('caller hung up');
      const seq = turn;
      awaiting = { seq, kind: 'gather' };
      await reply([
        {
          verb: 'gather',
          input: spec.input,
          timeout: spec.timeoutSeconds,
          ...(spec.numDigits !== undefined && { numDigits: spec.numDigits }),
          ...(spec.finishOnKey !== undefined && { finishOnKey: spec.finishOnKey }),
          ...(spec.hints !== undefined && { hints: spec.hints }),
          ...(spec.language !== undefined && { language: spec.language }),
          actionUrl: replyUrls.gather(seq),
          prompt: spec.prompt.map(sayVerb),
        },
      ]);
      await condition(() => inputs.has(seq) || callEnded || idle);
      awaiting = null;
      if (!inputs.has(seq)) throw new CallerGone(callEnded ? 'caller hung up' : 'no answer from the caller');
      turn = seq + 1;
      return inputs.get(seq) ?? null;
    },
    async hold(spec: HoldSpec, handoffId?: string): Promise<HoldOutcome> {
      if (callEnded) return 'hangup';
      const seq = turn;
      acceptedUnnamed = false;
      const withAgent = () => acceptedUnnamed || (handoffId !== undefined && acceptedHandoffs.has(handoffId));
      const message = sayVerb({ text: spec.waitMessage, ...(spec.language && { language: spec.language }) });
      holding = true;
      holdingFor = handoffId;
      awaiting = { seq, kind: 'queue' };
      // The wait URL carries the hold's deadline and message, so the web answers Twilio's polls of it
      // (music, then <Leave> once the deadline has passed) without waking the workflow every few seconds.
      await reply([{ verb: 'enqueue', queue: spec.queue, waitUrl: replyUrls.wait(seq, workflowNow() + spec.timeoutSeconds * 1000, message), actionUrl: replyUrls.queueAction(seq) }]);
      await condition(() => queueResults.has(seq) || callEnded || withAgent(), spec.timeoutSeconds * 1000 + HOLD_GRACE_MS);
      // Accepted: the hold no longer ends by its deadline, only when the caller leaves (the agent's side ends it there).
      if (withAgent() && !queueResults.has(seq) && !callEnded) await condition(() => queueResults.has(seq) || callEnded, WITH_AGENT_MS);
      holding = false;
      holdingFor = undefined;
      awaiting = null;
      lastHeard = workflowNow();
      const result = queueResults.get(seq);
      const accepted = withAgent();
      // The caller hung up or left the bridge: the conversation with the agent is over (wrap-up follows).
      if (accepted && handoffId !== undefined && result !== 'redirected') run?.handoffChanged(handoffId, 'ended');
      if (result === undefined) {
        if (callEnded) return accepted ? 'bridged' : 'hangup';
        // Twilio never reported back; the next reply waits for its (late) queue action.
        queueResults.set(seq, 'timeout');
      }
      turn = seq + 1;
      if (accepted && (result === 'bridged' || result === 'redirected' || result === 'hangup')) return 'bridged';
      if (result === 'bridged') return 'bridged';
      if (result === 'hangup') return 'hangup';
      return 'timeout';
    },
    dial(number: string) {
      buffer.push({ verb: 'dial', number });
    },
    async flush() {},
  };

  let outcome: RunOutcome;
  try {
    const context = await local.loadContext({
      key: workflowInfo().workflowId,
      channel: 'voice',
      externalId: input.callSid,
      flowId: input.flowId,
      flowVersionId: input.flowVersionId,
      fromNumber: input.from,
      toNumber: input.to,
      isTest: input.isTest,
      experimentVariantId: input.experimentVariantId,
    });
    state.interactionId = context.interactionId;
    run = new FlowRun(input.flow, { key: workflowInfo().workflowId, interactionId: context.interactionId, customer: context.customer, flowNumber: input.to }, transport);
    outcome = await run.run();
  } catch (error) {
    if (isCancellation(error)) throw error;
    outcome = { status: 'failed', error: describeError(error) };
  }

  state.status = outcome.status;
  const ending: Verb[] = outcome.status === 'failed' ? [{ verb: 'say', text: APOLOGY, language: 'en-US' }, { verb: 'hangup' }] : [{ verb: 'hangup' }];
  if (run !== null) {
    try {
      await run.save(outcome);
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
  }
  finalReply = { verbs: [...buffer, ...ending] };
  buffer = [];
  if (!callEnded) replies.set(turn, finalReply);
  finished = true;
  state.finished = true;

  await condition(() => callEnded || taken.has(turn), LINGER);
  await condition(allHandlersFinished);
  return { ...state, turn };
}

function sayVerb(utterance: Utterance): SayVerb {
  return {
    verb: 'say',
    text: utterance.text,
    ...(utterance.voice !== undefined && { voice: utterance.voice }),
    ...(utterance.language !== undefined && { language: utterance.language }),
    ...(utterance.pauseAfter !== undefined && { pauseAfter: utterance.pauseAfter }),
  };
}
