import 'server-only';

/**
 * Pure figures for the inbox and the supervisor view: an agent's state as shown, and a queue's
 * service level. Tested against known values. (If server/routing/rules.ts gains its own agentState
 * or service-level function, these give way to it.)
 */

/** After this long without a heartbeat (tabs send one every 15 s) an agent counts as offline. */
export const OFFLINE_AFTER_MS = 45_000;

export const SHOWN_AGENT_STATES = ['available', 'offering', 'on-task', 'wrap-up', 'missed', 'away', 'offline'] as const;
export type ShownAgentState = (typeof SHOWN_AGENT_STATES)[number];

export interface AgentFacts {
  choice: 'available' | 'away';
  lastSeenAt: Date | null;
  missedAt: Date | null;
  /** Handoffs offered to the agent now, assigned to them, and in wrap-up with them. */
  offered: number;
  assigned: number;
  wrapUp: number;
}

/**
 * What the agent is doing: offline once their tabs are gone, then work in hand (an agent who chose
 * away mid-call still shows on a task), then a missed offer, then their own choice.
 */
export function shownAgentState(facts: AgentFacts, now: Date): ShownAgentState {
  const seen = facts.lastSeenAt?.getTime();
  if (seen === undefined || now.getTime() - seen >= OFFLINE_AFTER_MS) return 'offline';
  if (facts.offered > 0) return 'offering';
  if (facts.assigned > 0) return 'on-task';
  if (facts.wrapUp > 0) return 'wrap-up';
  if (facts.missedAt) return 'missed';
  return facts.choice;
}

export interface QueueEntry {
  /** When the handoff entered the queue (its first `queued` event). */
  queuedAt: Date;
  /** Its first `accepted` event, if any. */
  acceptedAt: Date | null;
  /** Abandoned or timed out in the queue (or resolved without an answer), if so. */
  closedAt: Date | null;
}

export interface ServiceLevel {
  /** Handoffs whose outcome is known: answered, given up, or waiting past the threshold. */
  offered: number;
  answeredInTime: number;
  /** answeredInTime ÷ offered; null when nothing was offered yet. */
  ratio: number | null;
}

/**
 * Service level: answered within the threshold ÷ offered. A handoff still waiting (or given up)
 * before the threshold has not had its chance yet and is left out; one answered late, given up
 * after the threshold or still waiting past it counts as offered and not answered in time.
 */
export function serviceLevel(entries: readonly QueueEntry[], thresholdSeconds: number, now: Date): ServiceLevel {
  const threshold = thresholdSeconds * 1000;
  let offered = 0;
  let answeredInTime = 0;
  for (const entry of entries) {
    const start = entry.queuedAt.getTime();
    if (entry.acceptedAt) {
      offered += 1;
      if (entry.acceptedAt.getTime() - start <= threshold) answeredInTime += 1;
      continue;
    }
    const end = entry.closedAt?.getTime() ?? now.getTime();
    if (end - start > threshold) offered += 1;
  }
  return { offered, answeredInTime, ratio: offered === 0 ? null : answeredInTime / offered };
}

/** How the emotion moved over the contact: its last score against its first. */
export function emotionTrend(scores: readonly number[]): 'worse' | 'better' | 'steady' | null {
  const first = scores[0];
  const last = scores.at(-1);
  if (first === undefined || last === undefined || scores.length < 2) return null;
  if (last < first - 0.1) return 'worse';
  if (last > first + 0.1) return 'better';
  return 'steady';
}
