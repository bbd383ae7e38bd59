import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** An incoming call (Twilio number → Voice → "A call comes in"). */
export const POST = twilioRoutes['/api/twilio/voice'];
