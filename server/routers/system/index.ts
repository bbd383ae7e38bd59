import 'server-only';
import { sql } from 'drizzle-orm';
import { dbHandle, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';
import { env } from '@/env';
import { temporalHealth } from '@/temporal/client';
import { publicProcedure, router } from '@/server/trpc';

export interface DatabaseHealth {
  ok: boolean;
  kind?: string;
  location?: string;
  serverVersion?: string;
  error?: string;
}

export async function databaseHealth(): Promise<DatabaseHealth> {
  try {
    const handle = await dbHandle();
    const row = firstRow(await queryRows<{ version: string }>(handle.db, sql`select current_setting('server_version') as version`), 'select current_setting(server_version)');
    return { ok: true, kind: handle.kind, location: handle.location, serverVersion: row.version };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export const systemRouter = router({
  health: publicProcedure.query(async () => {
    const [database, temporal] = await Promise.all([databaseHealth(), temporalHealth()]);
    return {
      ok: database.ok && temporal.ok,
      database,
      temporal: { ...temporal, uiUrl: env.TEMPORAL_EMBEDDED ? `http://localhost:${env.TEMPORAL_UI_PORT}` : undefined },
      telephony: env.TELEPHONY,
      checkedAt: new Date(),
    };
  }),
});
