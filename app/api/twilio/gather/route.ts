import { handleGather } from '@/server/telephony/voice';
import { twilioWebhook } from '@/server/telephony/webhook';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Action URL of <Gather> (?seq=n) and of <Enqueue> (?seq=n&kind=queue). */
export function POST(request: Request) {
  return twilioWebhook(request, 'voice', (input) => handleGather(input));
}
