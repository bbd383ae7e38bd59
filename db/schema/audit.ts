import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const AUDIT_ACTIONS = [
  'flow.publish',
  'flow.rollback',
  'user.invite',
  'user.role',
  'user.deactivate',
  'user.reactivate',
  'customer.export',
  'customer.erase',
  'customer.unmask',
  /** Two duplicate profiles merged into one (server/customers/merge.ts), and a merge undone; counts only. */
  'customer.merge',
  'customer.unmerge',
  /** A CSV import of customers or orders (not a dry run), with its counts. */
  'customer.import',
  'apikey.create',
  'apikey.revoke',
  'settings.create',
  'settings.update',
  'settings.delete',
  'experiment.create',
  'experiment.start',
  'experiment.pause',
  'experiment.resume',
  'experiment.stop',
  'experiment.promote',
] as const;

/**
 * Who did what to what, and when. Rows are only ever inserted. Actor fields are copied, not
 * referenced, so the trail survives the user being renamed or deleted; `details` never holds
 * customer contact data.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action', { enum: AUDIT_ACTIONS }).notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    /** How the actor was authenticated: a browser session, an API key, or the system itself. */
    via: text('via', { enum: ['session', 'apiKey', 'system'] }).notNull().default('session'),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_action_at').on(t.action, t.at), index('audit_log_actor').on(t.actorId)],
);
