import { twilioRoutes } from '@/server/telephony/webhook-routes';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Status callback of an outbound message (set per message by the Twilio port). */
export const POST = twilioRoutes['/api/twilio/message-status'];
