import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** An incoming message (Twilio number → Messaging → "A message comes in"). */
export const POST = twilioRoutes['/api/twilio/sms'];
