import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Call status callback (Twilio number → Voice → "Call status changes"). */
export const POST = twilioRoutes['/api/twilio/status'];
