import { getDb } from '@/db/client';
import { env } from '@/env';
import { getAuth } from '@/server/auth/auth';
import { can } from '@/server/auth/permissions';
import { resolveViewer } from '@/server/auth/viewer';
import { protectForViewer } from '@/server/privacy/protect';
import { listOutbox } from '@/server/telephony/outbox';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Outbound messages the sandbox telephony stored (sandbox mode only): `?to=+1555…&limit=50`.
 * Needs a session or API key allowed to use the simulator; numbers are masked as for any response.
 */
export async function GET(request: Request) {
  if (env.TELEPHONY !== 'sandbox') return Response.json({ error: 'The outbox exists only in sandbox telephony mode.' }, { status: 404 });
  const db = await getDb();
  const viewer = await resolveViewer(db, await getAuth(), request.headers);
  if (!viewer) return Response.json({ error: 'Sign in or send an API key first.' }, { status: 401 });
  if (!can(viewer.role, 'simulator.use')) return Response.json({ error: `Your role (${viewer.role}) may not read the outbox.` }, { status: 403 });
  const query = new URL(request.url).searchParams;
  const limit = Number(query.get('limit') ?? 100);
  const messages = await listOutbox(db, { to: query.get('to') ?? undefined, limit: Number.isFinite(limit) ? limit : 100 });
  return Response.json({ messages: protectForViewer(viewer, messages) });
}
