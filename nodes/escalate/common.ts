/** Values the definition and the (zod-free) step share. */

export const ESCALATION_QUEUE = 'escalation';
/** How long an escalated caller may wait in the queue; escalation never gives up sooner. */
export const ESCALATION_HOLD_SECONDS = 3600;
