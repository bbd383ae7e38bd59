import { handleQueueWait } from '@/server/telephony/voice';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Wait URL of <Enqueue> (?seq=n): hold message, or <Leave/> once the hold timed out. */
export function POST(request: Request) {
  return twilioWebhook(request, 'voice', (input) => handleQueueWait(input));
}
