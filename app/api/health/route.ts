import { databaseHealth } from '@/server/routers/system';
import { temporalHealth } from '@/temporal/client';

export const dynamic = 'force-dynamic';

export async function GET() {
  const [database, temporal] = await Promise.all([databaseHealth(), temporalHealth()]);
  const ok = database.ok && temporal.ok;
  return Response.json({ ok, database, temporal }, { status: ok ? 200 : 503 });
}
