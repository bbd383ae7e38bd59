import type { CallerInput } from '@/nodes/sdk';
import type { VoiceReply } from '@/telephony/replies';
import type { CompiledFlow } from '@/workflows/compiled';

/**
 * What route handlers and services send to the interpreter workflows: workflow type names, update
 * and signal names, and their payloads. Plain types and strings, so the client side does not pull
 * workflow code into its bundle.
 */
export const workflowTypes = { voice: 'voiceCallWorkflow', sms: 'smsConversationWorkflow', handoff: 'handoffWorkflow', experimentGuard: 'experimentGuardWorkflow', tagRulesPass: 'tagRulesPassWorkflow' } as const;

export const updateNames = {
  /** The incoming-call webhook: returns the first reply. */
  callStarted: 'callStarted',
  /** A `<Gather>` result (or its timeout): returns the next reply. */
  gathered: 'gathered',
  /** The `<Enqueue>` action: the caller left the queue. Returns the next reply. */
  queueLeft: 'queueLeft',
  /** An inbound SMS: returns once the conversation has answered it. */
  smsReceived: 'smsReceived',
  /**
   * An agent took the customer's handoff (payload: HandoffAcceptedInput). Returns whether the
   * customer still waits for it: false once the hold has ended (its deadline won the race), and
   * then nobody connects them. Runs started before it existed take the `handoffAccepted` signal.
   */
  handoffAccept: 'handoffAccept',
} as const;

export const signalNames = {
  /** Twilio's call status callback (terminal statuses end the call). */
  callStatus: 'callStatus',
  /** An agent took the customer's handoff (ends an SMS hold; a call's hold then waits for the caller to leave the agent). Payload: HandoffAcceptedInput. */
  handoffAccepted: 'handoffAccepted',
  /** To a handoff's own workflow: something changed (offered from the backlog, accepted, declined, closed, transferred); look again. */
  handoffChanged: 'handoffChanged',
} as const;

/** Which handoff an agent took; absent (older senders) means the one the conversation holds for. */
export interface HandoffAcceptedInput {
  handoffId?: string;
}

/** A handoff's own workflow (id `handoff:<uuid>`): the waiting for an agent. */
export interface HandoffWorkflowInput {
  handoffId: string;
}

export const queryNames = { state: 'state' } as const;

/** Statuses after which the call is gone. */
export const TERMINAL_CALL_STATUSES = ['completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;

export interface RunFacts {
  /** Pinned at start: later edits and publishes never reach a running call. */
  flow: CompiledFlow;
  flowId: string | null;
  flowVersionId: string | null;
  /** Draft runs from the simulator; kept out of performance figures. */
  isTest?: boolean;
  /** The experiment arm the webhook assigned this contact to, when the number runs an experiment. */
  experimentVariantId?: string;
}

export interface VoiceCallInput extends RunFacts {
  callSid: string;
  /** The caller. */
  from: string;
  /** The number they called (the flow's number). */
  to: string;
}

export interface SmsConversationInput extends RunFacts {
  /** The customer. */
  from: string;
  /** The flow's number. */
  to: string;
  /** The message that started the conversation; part of the interaction's key. */
  firstMessageSid: string;
}

export interface GatheredInput {
  seq: number;
  /** Null when the caller said and pressed nothing before the timeout. */
  input: CallerInput | null;
}

export interface QueueLeftInput {
  seq: number;
  /** Twilio's QueueResult: bridged, leave, hangup, queue-full, redirected, error, system-error. */
  result: string;
}

export interface InboundSms {
  sid: string;
  body: string;
}

export interface SmsAck {
  accepted: boolean;
}

export interface RunState {
  turn: number;
  finished: boolean;
  status: 'running' | 'completed' | 'escalated' | 'abandoned' | 'failed';
  interactionId: string | null;
}

export type { VoiceReply };
