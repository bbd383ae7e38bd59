import 'server-only';
import { agentState, type AgentState, NO_LOAD } from './rules';

/** Figures for the inbox and the supervisor view built on the routing rules (./rules.ts). */

export const SHOWN_AGENT_STATES = ['available', 'offering', 'on-task', 'wrap-up', 'missed', 'away', 'offline'] as const satisfies readonly AgentState[];
export type ShownAgentState = AgentState;

export interface AgentFacts {
  choice: 'available' | 'away';
  lastSeenAt: Date | null;
  missedAt: Date | null;
  /** Handoffs offered to the agent now, assigned to them, and in wrap-up with them (all channels). */
  offered: number;
  assigned: number;
  wrapUp: number;
}

/** The agent's state from their counts of work in hand (rules.ts agentState, channels summed). */
export function shownAgentState(facts: AgentFacts, now: Date): ShownAgentState {
  return agentState(facts, { ...NO_LOAD, voice: { offered: facts.offered, assigned: facts.assigned, wrapUp: facts.wrapUp } }, now);
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
