import { getDb } from '@/db/client';
import { env } from '@/env';
import { listOutbox } from '@/server/telephony/outbox';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Outbound messages the sandbox telephony stored (sandbox mode only): `?to=+1555…&limit=50`. */
export async function GET(request: Request) {
  if (env.TELEPHONY !== 'sandbox') return Response.json({ error: 'The outbox exists only in sandbox telephony mode.' }, { status: 404 });
  const query = new URL(request.url).searchParams;
  const limit = Number(query.get('limit') ?? 100);
  const messages = await listOutbox(await getDb(), { to: query.get('to') ?? undefined, limit: Number.isFinite(limit) ? limit : 100 });
  return Response.json({ messages });
}
