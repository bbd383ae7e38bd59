/** Who may do what. One table; the tRPC middleware and the UI both read it. */
export const ROLES = ['admin', 'designer', 'developer', 'agent', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'flows.read',
  'flows.write',
  'flows.publish',
  'simulator.use',
  'customers.read',
  'customers.unmask',
  'customers.export',
  'customers.erase',
  /** Upsert customers and orders and post events (the data-in API for a CRM, ERP or order system). */
  'customers.write',
  /** Merge duplicate customer profiles and undo merges (server/customers/merge.ts). */
  'customers.merge',
  'inbox.work',
  'analytics.read',
  /** Create, start, stop experiments and promote their winners (which re-points a live flow). */
  'experiments.manage',
  'users.manage',
  'audit.read',
  'apikeys.manage',
  'settings.manage',
  /** Queues, agents' states and QA hits: the supervisor's view. */
  'routing.supervise',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_TABLE: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  designer: ['flows.read', 'flows.write', 'flows.publish', 'simulator.use', 'customers.read', 'analytics.read'],
  developer: ['flows.read', 'flows.write', 'simulator.use', 'apikeys.manage', 'analytics.read', 'customers.write'],
  agent: ['customers.read', 'customers.unmask', 'inbox.work'],
  manager: ['flows.read', 'customers.read', 'customers.merge', 'analytics.read', 'experiments.manage', 'audit.read', 'simulator.use', 'routing.supervise'],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && PERMISSION_TABLE[role].includes(permission);
}
