import { handleIncomingCall } from '@/server/telephony/voice';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** An incoming call (Twilio number → Voice → "A call comes in"). */
export function POST(request: Request) {
  return twilioWebhook(request, 'voice', (input) => handleIncomingCall(input));
}
