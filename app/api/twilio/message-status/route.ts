import { handleMessageStatus } from '@/server/telephony/sms';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Status callback of an outbound message (set per message by the Twilio port). */
export function POST(request: Request) {
  return twilioWebhook(request, 'status', (input) => handleMessageStatus(input));
}
