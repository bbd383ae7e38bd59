import 'server-only';
import { and, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { AUDIT_ACTIONS, auditLog } from '@/db/schema';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export { AUDIT_ACTIONS };

/** Whoever acted: a viewer from the tRPC context, or undefined for the system itself. */
export interface AuditActor {
  userId: string;
  email: string;
  role: string;
  via?: 'session' | 'apiKey';
}

export interface AuditEntry {
  action: AuditAction;
  actor: AuditActor | undefined;
  target?: { type: string; id: string };
  /** What changed, e.g. `{ version: 3 }` or `{ from: 'agent', to: 'manager' }`; never contact data. */
  details?: Record<string, unknown>;
}

/**
 * Appends one audit row. Call it inside the same transaction as the change when there is one
 * (pass `tx`), so an audited change and its row commit together.
 */
export async function recordAudit(db: Pick<Db, 'insert'>, entry: AuditEntry) {
  const inserted = await db
    .insert(auditLog)
    .values({
      action: entry.action,
      actorId: entry.actor?.userId ?? null,
      actorEmail: entry.actor?.email ?? null,
      actorRole: entry.actor?.role ?? null,
      via: entry.actor ? (entry.actor.via ?? 'session') : 'system',
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      details: entry.details ?? {},
    })
    .returning();
  return firstRow(inserted, 'insert into audit_log');
}

export interface AuditFilter {
  action?: AuditAction;
  /** Matches the actor's email (substring) or id (exact). */
  actor?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit?: number;
  /** Rows older than this timestamp (for paging). */
  before?: Date;
}

export async function listAudit(db: Db, filter: AuditFilter = {}) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actor) where.push(or(eq(auditLog.actorId, filter.actor), ilike(auditLog.actorEmail, `%${filter.actor.replace(/[%_\\]/g, '\\$&')}%`))!);
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  if (filter.before) where.push(lt(auditLog.at, filter.before));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(Math.min(filter.limit ?? 100, 500));
}
