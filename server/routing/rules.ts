/**
 * Routing rules: pure functions and constants, no database. server/routing/assign.ts turns them
 * into atomic SQL; tests pin them against known values.
 */
import type { RequirementStep } from '@/db/schema/routing';

/** How fast a waiting handoff's priority grows: nobody starves behind higher-priority work. */
export const AGEING_POINTS_PER_MINUTE = 6;

/** How long an agent has to accept an offer before it goes to the next agent. */
export const OFFER_TIMEOUT_SECONDS = 20;

/** An agent whose last inbox tab has not sent a heartbeat for this long is offline. */
export const OFFLINE_AFTER_MS = 45_000;

/** How often a waiting handoff looks for an agent again on its own (a safety net: drains and relax times wake it sooner). */
export const RECHECK_MS = 60_000;

export type RoutingChannel = 'voice' | 'sms';

/**
 * The handoff's place in the queue as a time: its queue entry moved back by its priority's worth
 * of ageing. Aged priority at time t is `priority + rate·(t − queuedAt)`, which orders exactly like
 * `−virtualStart`, so "highest aged priority first" is "earliest virtualStart first" — an index.
 */
export function virtualStartFor(queuedAt: Date, priority: number): Date {
  return new Date(queuedAt.getTime() - (priority / AGEING_POINTS_PER_MINUTE) * 60_000);
}

/** Priority plus ageing at `now`; what `virtualStart` orders by. */
export function agedPriority(priority: number, queuedAt: Date, now: Date): number {
  return priority + (AGEING_POINTS_PER_MINUTE * (now.getTime() - queuedAt.getTime())) / 60_000;
}

/** The steps a handoff's requirement relaxes through; one step for the skill when the node set none. */
export function requirementsFor(skill: string, steps: readonly RequirementStep[] | undefined): RequirementStep[] {
  const ordered = [...(steps ?? [])].sort((a, b) => a.afterSeconds - b.afterSeconds);
  if (ordered.length === 0 || (ordered[0]?.afterSeconds ?? 0) > 0) ordered.unshift({ afterSeconds: 0, skill, minLevel: 1 });
  return ordered;
}

/** The requirement in force after waiting `waitedSeconds` (steps as `requirementsFor` orders them). */
export function requirementAt(steps: readonly RequirementStep[], waitedSeconds: number): RequirementStep | undefined {
  let current: RequirementStep | undefined;
  for (const step of steps) if (step.afterSeconds <= waitedSeconds || current === undefined) current = step;
  return current;
}

/** When the requirement relaxes next for a handoff queued at `queuedAt`, or null when it never will again. */
export function nextRelaxAt(steps: readonly RequirementStep[], queuedAt: Date, now: Date): Date | null {
  const waited = (now.getTime() - queuedAt.getTime()) / 1000;
  const next = steps.find((step) => step.afterSeconds > waited);
  return next ? new Date(queuedAt.getTime() + next.afterSeconds * 1000) : null;
}

/**
 * A transfer to one agent waits in a queue of its own: `reqSkill` names the agent, so the waiting
 * index finds it when that agent asks for work, and no skill is needed to take it.
 */
export function agentQueue(agentId: string): string {
  return `agent:${agentId}`;
}

export interface Occupancy {
  offered: number;
  assigned: number;
  wrapUp: number;
}

export type Load = Record<RoutingChannel, Occupancy>;

export const NO_LOAD: Load = { voice: { offered: 0, assigned: 0, wrapUp: 0 }, sms: { offered: 0, assigned: 0, wrapUp: 0 } };

/** What a channel slot holds: offers and wrap-up count, so nobody is offered more than they can take. */
export function occupied(o: Occupancy): number {
  return o.offered + o.assigned + o.wrapUp;
}

export interface AgentFacts {
  id: string;
  senior: boolean;
  choice: 'available' | 'away';
  lastSeenAt: Date | null;
  missedAt: Date | null;
  idleSince: Date;
  voiceCapacity: number;
  smsCapacity: number;
  /** Skill id → level 1 … 5. */
  skills: Readonly<Record<string, number>>;
}

/** Voice is one call at a time (0 for an agent who takes none); SMS as the agent row says. */
export function capacityFor(agent: Pick<AgentFacts, 'voiceCapacity' | 'smsCapacity'>, channel: RoutingChannel): number {
  return channel === 'voice' ? Math.max(0, Math.min(agent.voiceCapacity, 1)) : Math.max(0, agent.smsCapacity);
}

export function isOnline(lastSeenAt: Date | null, now: Date): boolean {
  return lastSeenAt !== null && now.getTime() - lastSeenAt.getTime() < OFFLINE_AFTER_MS;
}

export type AgentState = 'offline' | 'away' | 'missed' | 'offering' | 'on-task' | 'wrap-up' | 'available';

/**
 * What an agent is doing, for the inbox and the supervisor view. The agent's own choice is never
 * overwritten: the system states (offering, on a task, wrap-up, missed, offline) are read from
 * the heartbeat, the missed mark and their handoffs. Work in hand shows before the choice, so an
 * agent who chose away mid-call still shows on a task.
 */
export function agentState(agent: Pick<AgentFacts, 'choice' | 'lastSeenAt' | 'missedAt'>, load: Load, now: Date): AgentState {
  if (!isOnline(agent.lastSeenAt, now)) return 'offline';
  const total = (key: keyof Occupancy) => load.voice[key] + load.sms[key];
  if (total('offered') > 0) return 'offering';
  if (total('assigned') > 0) return 'on-task';
  if (total('wrapUp') > 0) return 'wrap-up';
  if (agent.missedAt !== null) return 'missed';
  return agent.choice;
}

/** Whether new work may be offered to the agent on this channel at all: available, online, not missed, not full. */
export function canTakeWork(agent: AgentFacts, load: Load, channel: RoutingChannel, now: Date): boolean {
  return agent.choice === 'available' && agent.missedAt === null && isOnline(agent.lastSeenAt, now) && occupied(load[channel]) < capacityFor(agent, channel);
}

/** The part of a handoff that decides who may take it. */
export interface HandoffNeeds {
  channel: RoutingChannel;
  urgent: boolean;
  reqSkill: string;
  reqMinLevel: number;
  reqSeniorOnly: boolean;
  targetAgentId: string | null;
}

/** Skill and level of the step in force (senior only when it says so); a transfer to one agent needs that agent. */
export function matches(agent: Pick<AgentFacts, 'id' | 'senior' | 'skills'>, needs: Omit<HandoffNeeds, 'channel' | 'urgent'>): boolean {
  if (needs.targetAgentId !== null) return agent.id === needs.targetAgentId;
  const level = Object.hasOwn(agent.skills, needs.reqSkill) ? agent.skills[needs.reqSkill] : undefined;
  return level !== undefined && level >= needs.reqMinLevel && (!needs.reqSeniorOnly || agent.senior);
}

export function isEligible(agent: AgentFacts, load: Load, needs: HandoffNeeds, now: Date): boolean {
  return canTakeWork(agent, load, needs.channel, now) && matches(agent, needs);
}

/** Share of the channel's capacity in use: 0 … 1 (a full agent is not eligible anyway). */
export function loadRatio(agent: Pick<AgentFacts, 'voiceCapacity' | 'smsCapacity'>, load: Load, channel: RoutingChannel): number {
  const capacity = capacityFor(agent, channel);
  return capacity === 0 ? 1 : occupied(load[channel]) / capacity;
}

/**
 * Best first among eligible agents: for urgent work (escalations) senior agents first; then the
 * least occupied on the channel; then the longest idle; the id breaks ties so the order is total.
 */
export function rankAgents<T extends { agent: AgentFacts; load: Load }>(candidates: readonly T[], needs: Pick<HandoffNeeds, 'channel' | 'urgent'>): T[] {
  const seniorFirst = (c: T) => (needs.urgent && c.agent.senior ? 0 : 1);
  return [...candidates].sort(
    (a, b) =>
      seniorFirst(a) - seniorFirst(b) ||
      loadRatio(a.agent, a.load, needs.channel) - loadRatio(b.agent, b.load, needs.channel) ||
      a.agent.idleSince.getTime() - b.agent.idleSince.getTime() ||
      (a.agent.id < b.agent.id ? -1 : a.agent.id > b.agent.id ? 1 : 0),
  );
}

/** The eligible agent to offer the handoff to, or undefined when nobody is. */
export function chooseAgent(candidates: readonly { agent: AgentFacts; load: Load }[], needs: HandoffNeeds, now: Date): AgentFacts | undefined {
  return rankAgents(
    candidates.filter((c) => isEligible(c.agent, c.load, needs, now)),
    needs,
  )[0]?.agent;
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
