import 'server-only';
import type { Workflow } from '@temporalio/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { liveFlowForNumber } from '@/server/flows/service';
import { routeInboundSms } from '@/server/routing/conversation';
import { draftRunFacts, testFlowIdFrom } from '@/server/simulator/test-runs';
import { withTimeout } from '@/temporal/client';
import { workflowIds } from '@/temporal/constants';
import { type InboundSms, type RunFacts, type SmsAck, type SmsConversationInput, updateNames, workflowTypes } from '@/temporal/workflows/api';
import { recordMessageStatus } from '@/telephony/twilio-port';
import { renderMessagingReply } from '@/telephony/twiml';
import { defaultDeps, type TelephonyDeps } from './runtime';
import type { TwilioWebhookRequest } from './webhook';

export const smsUpdateId = (messageSid: string) => `sms:${messageSid}`;

/** Test conversations (simulator drafts) never join the live conversation of the same customer. */
export function conversationId(facts: RunFacts, customerNumber: string): string {
  const flowKey = facts.flowId ?? 'draft';
  // Keep in step with workflowIdOf in ./handoffs.
  return workflowIds.conversation(facts.isTest ? `test-${flowKey}` : flowKey, customerNumber);
}

/**
 * Hands one inbound message to the customer's conversation, starting it if needed, and resolves
 * once the flow has answered it. Replies go out through the telephony port, not in the TwiML.
 */
export async function deliverSms(facts: RunFacts, message: { sid: string; from: string; to: string; body: string }, deps: TelephonyDeps = defaultDeps()): Promise<SmsAck> {
  const client = await deps.temporal();
  const workflowId = conversationId(facts, message.from);
  const input: SmsConversationInput = { ...facts, from: message.from, to: message.to, firstMessageSid: message.sid };
  const inbound: InboundSms = { sid: message.sid, body: message.body };
  const send = () =>
    client.workflow.executeUpdateWithStart<Workflow, SmsAck, [InboundSms]>(updateNames.smsReceived, {
      updateId: smsUpdateId(message.sid),
      args: [inbound],
      startWorkflowOperation: new WithStartWorkflowOperation(workflowTypes.sms, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  const ack = await send();
  if (ack.accepted) return ack;
  // The conversation was just ending: let it close, then this message starts the next one.
  await withTimeout(client.workflow.getHandle(workflowId).result(), 3000).catch(() => undefined);
  return send();
}

/** POST /api/twilio/sms: an incoming text message. The number texted picks the live SMS flow. */
export async function handleIncomingSms({ params, url }: TwilioWebhookRequest, deps: TelephonyDeps = defaultDeps()): Promise<string> {
  const sid = params.MessageSid ?? params.SmsMessageSid ?? '';
  const from = params.From ?? '';
  const to = params.To ?? '';
  if (sid === '' || from === '' || to === '') return renderMessagingReply();
  const db = await deps.db();
  // Twilio retried a message its conversation already took (and may have finished since): a second
  // delivery must not start the conversation over.
  if (await alreadyReceived(db, sid)) return renderMessagingReply();

  const testFlowId = testFlowIdFrom(url);
  // An agent holds this customer's conversation, or this answers a survey: not the flow's to run.
  if ((await routeInboundSms(db, { sid, from, to, body: params.Body ?? '', isTest: testFlowId !== null })) !== null) return renderMessagingReply();
  let facts: RunFacts;
  if (testFlowId !== null) {
    const draft = await draftRunFacts(db, testFlowId, 'sms');
    if (!draft.ok) return renderMessagingReply(draft.message);
    facts = draft.facts;
  } else {
    const live = await liveFlowForNumber(db, to, 'sms', from);
    // Nobody answers texts here: say nothing rather than spend a message.
    if (!live) return renderMessagingReply();
    facts = { flow: live.compiled, flowId: live.flowId, flowVersionId: live.versionId, ...(live.experimentVariantId && { experimentVariantId: live.experimentVariantId }) };
  }
  await deliverSms(facts, { sid, from, to, body: params.Body ?? '' }, deps);
  return renderMessagingReply();
}

async function alreadyReceived(db: Db, messageSid: string): Promise<boolean> {
  const [row] = await db.select({ id: messages.id }).from(messages).where(and(eq(messages.externalSid, messageSid), eq(messages.direction, 'inbound'))).limit(1);
  return row !== undefined;
}

/** POST /api/twilio/message-status?key=…: Twilio's status callback for a message we sent. */
export async function handleMessageStatus({ params, query }: TwilioWebhookRequest, deps: TelephonyDeps = defaultDeps()): Promise<string> {
  const sid = params.MessageSid ?? params.SmsSid ?? '';
  const status = params.MessageStatus ?? params.SmsStatus ?? '';
  if (sid !== '' && status !== '') {
    await recordMessageStatus(await deps.db(), { key: query.get('key'), sid, status, ...(params.ErrorCode && { errorCode: params.ErrorCode }) });
  }
  return renderMessagingReply();
}
