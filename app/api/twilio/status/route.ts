import { handleCallStatus } from '@/server/telephony/voice';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Call status callback (Twilio number → Voice → "Call status changes"). */
export function POST(request: Request) {
  return twilioWebhook(request, 'status', (input) => handleCallStatus(input));
}
