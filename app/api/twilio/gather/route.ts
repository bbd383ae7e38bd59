import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Action URL of <Gather> (?seq=n) and of <Enqueue> (?seq=n&kind=queue). */
export const POST = twilioRoutes['/api/twilio/gather'];
