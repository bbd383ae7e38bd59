import { describe, expect, it } from 'vitest';
import { emotionTrend, serviceLevel, shownAgentState, type AgentFacts } from './supervision';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('service level', () => {
  it('is answered within the threshold ÷ offered, leaving out what has not had its chance yet', () => {
    const entries = [
      { queuedAt: ago(600), acceptedAt: ago(590), closedAt: null }, // 10 s: in time
      { queuedAt: ago(600), acceptedAt: ago(570), closedAt: null }, // 30 s: in time (the threshold itself counts)
      { queuedAt: ago(600), acceptedAt: ago(545), closedAt: null }, // 55 s: late
      { queuedAt: ago(600), acceptedAt: null, closedAt: ago(500) }, // gave up after 100 s: offered, not answered
      { queuedAt: ago(600), acceptedAt: null, closedAt: ago(590) }, // gave up after 10 s: left out
      { queuedAt: ago(45), acceptedAt: null, closedAt: null }, // waiting 45 s: past the threshold, counts
      { queuedAt: ago(5), acceptedAt: null, closedAt: null }, // waiting 5 s: left out
    ];
    expect(serviceLevel(entries, 30, now)).toEqual({ offered: 5, answeredInTime: 2, ratio: 0.4 });
    expect(serviceLevel(entries, 60, now)).toEqual({ offered: 4, answeredInTime: 3, ratio: 0.75 });
  });

  it('has no ratio before anything was offered', () => {
    expect(serviceLevel([], 30, now)).toEqual({ offered: 0, answeredInTime: 0, ratio: null });
    expect(serviceLevel([{ queuedAt: ago(3), acceptedAt: null, closedAt: null }], 30, now).ratio).toBeNull();
  });
});

describe('agent state as shown', () => {
  const base: AgentFacts = { choice: 'available', lastSeenAt: ago(10), missedAt: null, offered: 0, assigned: 0, wrapUp: 0 };
  it('is offline once the heartbeats stop, then shows work in hand, a missed offer, and the choice', () => {
    expect(shownAgentState(base, now)).toBe('available');
    expect(shownAgentState({ ...base, assigned: 1, offered: 1 }, now)).toBe('offering');
    expect(shownAgentState({ ...base, assigned: 1, choice: 'away' }, now)).toBe('on-task');
    expect(shownAgentState({ ...base, wrapUp: 1 }, now)).toBe('wrap-up');
    expect(shownAgentState({ ...base, missedAt: ago(5) }, now)).toBe('missed');
    expect(shownAgentState({ ...base, choice: 'away' }, now)).toBe('away');
    expect(shownAgentState({ ...base, lastSeenAt: ago(44) }, now)).toBe('available');
    expect(shownAgentState({ ...base, lastSeenAt: ago(45), assigned: 1 }, now)).toBe('offline');
    expect(shownAgentState({ ...base, lastSeenAt: null }, now)).toBe('offline');
  });
});

describe('emotion trend', () => {
  it('compares the last score with the first', () => {
    expect(emotionTrend([0.2, -0.6])).toBe('worse');
    expect(emotionTrend([-0.6, 0.1])).toBe('better');
    expect(emotionTrend([-0.5, -0.45])).toBe('steady');
    expect(emotionTrend([-0.5])).toBeNull();
  });
});
