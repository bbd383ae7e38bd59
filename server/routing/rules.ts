/**
 * Routing rules: pure functions and constants, no database. server/routing/assign.ts turns them
 * into atomic SQL; tests pin them against known values.
 */
import type { RequirementStep } from '@/db/schema/routing';

/** How fast a waiting handoff's priority grows: nobody starves behind higher-priority work. */
export const AGEING_POINTS_PER_MINUTE = 6;

/**
 * The handoff's place in the queue as a time: its queue entry moved back by its priority's worth
 * of ageing. Aged priority at time t is `priority + rate·(t − queuedAt)`, which orders exactly like
 * `−virtualStart`, so "highest aged priority first" is "earliest virtualStart first" — an index.
 */
export function virtualStartFor(queuedAt: Date, priority: number): Date {
  return new Date(queuedAt.getTime() - (priority / AGEING_POINTS_PER_MINUTE) * 60_000);
}

/** The steps a handoff's requirement relaxes through; one step for the skill when the node set none. */
export function requirementsFor(skill: string, steps: readonly RequirementStep[] | undefined): RequirementStep[] {
  const ordered = [...(steps ?? [])].sort((a, b) => a.afterSeconds - b.afterSeconds);
  if (ordered.length === 0 || (ordered[0]?.afterSeconds ?? 0) > 0) ordered.unshift({ afterSeconds: 0, skill, minLevel: 1 });
  return ordered;
}
