/** The flows list's status filter; shared by the service and the list page (no server code in here). */
export const FLOW_STATUS_FILTERS = ['all', 'draft', 'published', 'archived'] as const;
export type FlowStatusFilter = (typeof FLOW_STATUS_FILTERS)[number];
