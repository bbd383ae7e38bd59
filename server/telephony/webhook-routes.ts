import 'server-only';
import { handleIncomingSms, handleMessageStatus } from './sms';
import { handleCallStatus, handleGather, handleIncomingCall, handleQueueWait } from './voice';
import { twilioWebhook } from './webhook';

/**
 * The Twilio webhooks by path. The route files under `app/api/twilio/` export these handlers and
 * tests post to them in-process, so both run the same code.
 */
export const twilioRoutes = {
  '/api/twilio/voice': (request: Request) => twilioWebhook(request, 'voice', (input) => handleIncomingCall(input)),
  '/api/twilio/gather': (request: Request) => twilioWebhook(request, 'voice', (input) => handleGather(input)),
  '/api/twilio/wait': (request: Request) => twilioWebhook(request, 'voice', (input) => handleQueueWait(input)),
  '/api/twilio/status': (request: Request) => twilioWebhook(request, 'status', (input) => handleCallStatus(input)),
  '/api/twilio/sms': (request: Request) => twilioWebhook(request, 'sms', (input) => handleIncomingSms(input)),
  '/api/twilio/message-status': (request: Request) => twilioWebhook(request, 'status', (input) => handleMessageStatus(input)),
} satisfies Record<string, (request: Request) => Promise<Response>>;
