/** The templates a new flow can start from; shared by the service and the list page (no documents in here). */
export const FLOW_TEMPLATES = ['blank', 'demo-ivr', 'sms-care'] as const;
export type FlowTemplate = (typeof FLOW_TEMPLATES)[number];
