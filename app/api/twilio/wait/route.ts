import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Wait URL of <Enqueue> (?seq=n): hold message, or <Leave/> once the hold timed out. */
export const POST = twilioRoutes['/api/twilio/wait'];
