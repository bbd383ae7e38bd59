import { authenticatedRoute } from '@/server/auth/route-handler';
import { readOutbox } from '@/server/telephony/outbox';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Outbound messages the sandbox telephony stored (sandbox mode only): `?to=+1555…&limit=50`.
 * Needs a session or API key allowed to use the simulator; numbers are masked as for any response.
 */
export const GET = authenticatedRoute('simulator.use', async (request, { viewer, db }) => {
  const query = new URL(request.url).searchParams;
  const limit = Number(query.get('limit') ?? 100);
  const messages = await readOutbox(db, viewer, { to: query.get('to') ?? undefined, limit: Number.isFinite(limit) ? limit : 100 });
  if (!messages) return Response.json({ error: 'The outbox exists only in sandbox telephony mode.' }, { status: 404 });
  return Response.json({ messages });
});
