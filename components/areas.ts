/** The app's main areas, in navigation order. */
export const AREAS = ['flows', 'simulator', 'inbox', 'customers', 'experiments', 'settings'] as const;
export type Area = (typeof AREAS)[number];
