import { handleIncomingSms } from '@/server/telephony/sms';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** An incoming message (Twilio number → Messaging → "A message comes in"). */
export function POST(request: Request) {
  return twilioWebhook(request, 'sms', (input) => handleIncomingSms(input));
}
