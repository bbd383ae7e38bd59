import { env } from '@/env';
import type { Language } from '@/nodes/sdk';

export interface OutboundSms {
  to: string;
  from: string;
  body: string;
  /** The same key never sends twice, however often the caller retries. */
  idempotencyKey: string;
  interactionId?: string | null;
  customerId?: string | null;
  /** The agent who wrote it, for a reply from the inbox. */
  agentId?: string | null;
}

/** The `messages` row both ports write for an outbound message, before any port-specific fields. */
export function outboundRow(message: OutboundSms) {
  return {
    interactionId: message.interactionId ?? null,
    customerId: message.customerId ?? null,
    direction: 'outbound' as const,
    fromNumber: message.from,
    toNumber: message.to,
    body: message.body,
    idempotencyKey: message.idempotencyKey,
    agentId: message.agentId ?? null,
  };
}

export type SendSmsResult = { ok: true; sid: string } | { ok: false; error: string };

export type CallControlResult = { ok: true } | { ok: false; error: string };

/** Who a caller is connected to: Twilio dials `phone`; the simulator shows `name`. */
export interface CallAgent {
  id: string;
  name: string;
  phone: string;
}

/** A transferred caller's wait: the queue, what they hear first and while waiting, and until when at most. */
export interface CallHold {
  queue: string;
  language: Language;
  /** Epoch ms; after it the caller hears the goodbye and the call ends. */
  until: number;
}

/** Outbound telephony: Twilio's REST API in production, the sandbox locally and in tests. */
export interface TelephonyPort {
  readonly kind: 'twilio' | 'sandbox';
  sendSms(message: OutboundSms): Promise<SendSmsResult>;
  /** Takes a held call out of its queue and connects it to the agent. */
  connectCall(callSid: string, agent: CallAgent): Promise<CallControlResult>;
  /** Ends a live call (the agent ended the conversation). */
  hangupCall(callSid: string): Promise<CallControlResult>;
  /** Takes a connected call from its agent back into a queue, with hold music, until the next agent takes it (a transfer). */
  holdCall(callSid: string, hold: CallHold): Promise<CallControlResult>;
}

export async function telephonyPort(): Promise<TelephonyPort> {
  if (env.TELEPHONY === 'twilio') {
    const { twilioPort } = await import('./twilio-port');
    return twilioPort();
  }
  const { sandboxPort } = await import('./sandbox-port');
  return sandboxPort;
}
