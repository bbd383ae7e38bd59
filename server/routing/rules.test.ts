import { describe, expect, it } from 'vitest';
import {
  agedPriority,
  agentState,
  type AgentFacts,
  canTakeWork,
  capacityFor,
  chooseAgent,
  isEligible,
  type Load,
  matches,
  NO_LOAD,
  nextRelaxAt,
  OFFLINE_AFTER_MS,
  rankAgents,
  requirementAt,
  requirementsFor,
  serviceLevel,
  virtualStartFor,
} from './rules';

const now = new Date('2026-03-01T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

function agent(overrides: Partial<AgentFacts> = {}): AgentFacts {
  return {
    id: 'a',
    senior: false,
    choice: 'available',
    lastSeenAt: ago(5_000),
    missedAt: null,
    idleSince: ago(60_000),
    voiceCapacity: 1,
    smsCapacity: 3,
    skills: { billing: 4, general: 2 },
    ...overrides,
  };
}

function load(channel: 'voice' | 'sms', offered = 0, assigned = 0, wrapUp = 0): Load {
  return { ...NO_LOAD, [channel]: { offered, assigned, wrapUp } };
}

const needs = { channel: 'voice' as const, urgent: false, reqSkill: 'billing', reqMinLevel: 1, reqSeniorOnly: false, targetAgentId: null };

describe('ageing', () => {
  it('moves the virtual start back by the priority at 6 points a minute', () => {
    expect(virtualStartFor(now, 60).toISOString()).toBe('2026-03-01T09:50:00.000Z');
    expect(virtualStartFor(now, 0).getTime()).toBe(now.getTime());
  });

  it('orders like aged priority: a low priority that waited long enough overtakes a new high one', () => {
    const old = { priority: 10, queuedAt: ago(10 * 60_000) };
    const fresh = { priority: 60, queuedAt: now };
    expect(agedPriority(old.priority, old.queuedAt, now)).toBe(70);
    expect(agedPriority(fresh.priority, fresh.queuedAt, now)).toBe(60);
    expect(virtualStartFor(old.queuedAt, old.priority) < virtualStartFor(fresh.queuedAt, fresh.priority)).toBe(true);
  });
});

describe('requirement steps', () => {
  const steps = requirementsFor('billing', [
    { afterSeconds: 60, skill: 'escalation', minLevel: 1 },
    { afterSeconds: 0, skill: 'billing', minLevel: 4 },
    { afterSeconds: 30, skill: 'billing', minLevel: 1 },
  ]);

  it('orders the steps and adds a first one for the skill when the node starts later', () => {
    expect(steps.map((s) => s.afterSeconds)).toEqual([0, 30, 60]);
    expect(requirementsFor('general', [{ afterSeconds: 20, skill: 'general', minLevel: 1 }])).toEqual([
      { afterSeconds: 0, skill: 'general', minLevel: 1 },
      { afterSeconds: 20, skill: 'general', minLevel: 1 },
    ]);
    expect(requirementsFor('general', undefined)).toEqual([{ afterSeconds: 0, skill: 'general', minLevel: 1 }]);
  });

  it('picks the step in force at a wait', () => {
    expect(requirementAt(steps, 0)).toMatchObject({ skill: 'billing', minLevel: 4 });
    expect(requirementAt(steps, 29.9)).toMatchObject({ skill: 'billing', minLevel: 4 });
    expect(requirementAt(steps, 30)).toMatchObject({ skill: 'billing', minLevel: 1 });
    expect(requirementAt(steps, 3600)).toMatchObject({ skill: 'escalation' });
  });

  it('tells when the requirement relaxes next, and null after the last step', () => {
    const queuedAt = ago(10_000);
    expect(nextRelaxAt(steps, queuedAt, now)?.getTime()).toBe(queuedAt.getTime() + 30_000);
    expect(nextRelaxAt(steps, ago(45_000), now)?.getTime()).toBe(ago(45_000).getTime() + 60_000);
    expect(nextRelaxAt(steps, ago(61_000), now)).toBeNull();
  });
});

describe('agent state', () => {
  it('is offline when the last heartbeat is older than the limit, whatever the choice', () => {
    expect(agentState(agent({ lastSeenAt: ago(OFFLINE_AFTER_MS) }), NO_LOAD, now)).toBe('offline');
    expect(agentState(agent({ lastSeenAt: null }), NO_LOAD, now)).toBe('offline');
    expect(agentState(agent({ lastSeenAt: ago(OFFLINE_AFTER_MS - 1) }), NO_LOAD, now)).toBe('available');
  });

  it('shows work in hand before the choice, and missed until the agent chooses again', () => {
    expect(agentState(agent({ choice: 'away' }), NO_LOAD, now)).toBe('away');
    expect(agentState(agent({ choice: 'away' }), load('sms', 0, 1), now)).toBe('on-task');
    expect(agentState(agent(), load('voice', 1), now)).toBe('offering');
    expect(agentState(agent(), load('voice', 0, 0, 1), now)).toBe('wrap-up');
    expect(agentState(agent({ missedAt: ago(1000) }), NO_LOAD, now)).toBe('missed');
  });
});

describe('capacity and eligibility', () => {
  it('voice holds one call, SMS what the row says; offers and wrap-up take a slot', () => {
    expect(capacityFor(agent({ voiceCapacity: 4 }), 'voice')).toBe(1);
    expect(capacityFor(agent({ voiceCapacity: 0 }), 'voice')).toBe(0);
    expect(capacityFor(agent({ smsCapacity: 5 }), 'sms')).toBe(5);
    expect(canTakeWork(agent(), load('sms', 1, 1), 'sms', now)).toBe(true);
    expect(canTakeWork(agent(), load('sms', 1, 1, 1), 'sms', now)).toBe(false);
    expect(canTakeWork(agent(), load('voice', 1), 'voice', now)).toBe(false);
    // A full SMS slot does not block a call.
    expect(canTakeWork(agent(), load('sms', 0, 3), 'voice', now)).toBe(true);
  });

  it('never offers to away, offline, missed or full agents', () => {
    expect(isEligible(agent(), NO_LOAD, needs, now)).toBe(true);
    expect(isEligible(agent({ choice: 'away' }), NO_LOAD, needs, now)).toBe(false);
    expect(isEligible(agent({ lastSeenAt: ago(60_000) }), NO_LOAD, needs, now)).toBe(false);
    expect(isEligible(agent({ missedAt: ago(1) }), NO_LOAD, needs, now)).toBe(false);
    expect(isEligible(agent(), load('voice', 0, 1), needs, now)).toBe(false);
  });

  it('needs the skill at the level of the step in force, senior when it says so, or to be the target', () => {
    expect(matches(agent(), { ...needs, reqMinLevel: 4 })).toBe(true);
    expect(matches(agent(), { ...needs, reqMinLevel: 5 })).toBe(false);
    expect(matches(agent(), { ...needs, reqSkill: 'tech-support' })).toBe(false);
    expect(matches(agent(), { ...needs, reqSeniorOnly: true })).toBe(false);
    expect(matches(agent({ senior: true }), { ...needs, reqSeniorOnly: true })).toBe(true);
    expect(matches(agent({ id: 'x', skills: {} }), { ...needs, targetAgentId: 'x' })).toBe(true);
    expect(matches(agent({ id: 'y' }), { ...needs, targetAgentId: 'x' })).toBe(false);
  });
});

describe('ranking', () => {
  const idle = (id: string, idleMs: number, extra: Partial<AgentFacts> = {}) => agent({ id, idleSince: ago(idleMs), ...extra });

  it('least occupied first, then longest idle', () => {
    const ranked = rankAgents(
      [
        { agent: idle('busy', 900_000), load: load('sms', 0, 2) },
        { agent: idle('recent', 10_000), load: NO_LOAD },
        { agent: idle('longest', 500_000), load: NO_LOAD },
        { agent: idle('half', 800_000, { smsCapacity: 4 }), load: load('sms', 1, 1) },
      ],
      { channel: 'sms', urgent: false },
    );
    expect(ranked.map((c) => c.agent.id)).toEqual(['longest', 'recent', 'half', 'busy']);
  });

  it('senior agents first for urgent work, but not for ordinary work', () => {
    const candidates = [
      { agent: idle('junior', 900_000), load: NO_LOAD },
      { agent: idle('senior', 1_000, { senior: true }), load: NO_LOAD },
    ];
    expect(rankAgents(candidates, { channel: 'voice', urgent: true }).map((c) => c.agent.id)).toEqual(['senior', 'junior']);
    expect(rankAgents(candidates, { channel: 'voice', urgent: false }).map((c) => c.agent.id)).toEqual(['junior', 'senior']);
  });

  it('chooses the best eligible agent, skipping ineligible ones however idle', () => {
    const chosen = chooseAgent(
      [
        { agent: idle('away', 9_000_000, { choice: 'away' }), load: NO_LOAD },
        { agent: idle('low-level', 9_000_000, { skills: { billing: 1 } }), load: NO_LOAD },
        { agent: idle('ok', 1_000), load: NO_LOAD },
      ],
      { ...needs, reqMinLevel: 3 },
      now,
    );
    expect(chosen?.id).toBe('ok');
    expect(chooseAgent([{ agent: idle('away', 1, { choice: 'away' }), load: NO_LOAD }], needs, now)).toBeUndefined();
  });
});

describe('service level', () => {
  const secondsAgo = (seconds: number) => ago(seconds * 1000);
  it('is answered within the threshold ÷ offered, leaving out what has not had its chance yet', () => {
    const entries = [
      { queuedAt: secondsAgo(600), acceptedAt: secondsAgo(590), closedAt: null }, // 10 s: in time
      { queuedAt: secondsAgo(600), acceptedAt: secondsAgo(570), closedAt: null }, // 30 s: in time (the threshold itself counts)
      { queuedAt: secondsAgo(600), acceptedAt: secondsAgo(545), closedAt: null }, // 55 s: late
      { queuedAt: secondsAgo(600), acceptedAt: null, closedAt: secondsAgo(500) }, // gave up after 100 s: offered, not answered
      { queuedAt: secondsAgo(600), acceptedAt: null, closedAt: secondsAgo(590) }, // gave up after 10 s: left out
      { queuedAt: secondsAgo(45), acceptedAt: null, closedAt: null }, // waiting 45 s: past the threshold, counts
      { queuedAt: secondsAgo(5), acceptedAt: null, closedAt: null }, // waiting 5 s: left out
    ];
    expect(serviceLevel(entries, 30, now)).toEqual({ offered: 5, answeredInTime: 2, ratio: 0.4 });
    expect(serviceLevel(entries, 60, now)).toEqual({ offered: 4, answeredInTime: 3, ratio: 0.75 });
  });

  it('has no ratio before anything was offered', () => {
    expect(serviceLevel([], 30, now)).toEqual({ offered: 0, answeredInTime: 0, ratio: null });
    expect(serviceLevel([{ queuedAt: secondsAgo(3), acceptedAt: null, closedAt: null }], 30, now).ratio).toBeNull();
  });
});
