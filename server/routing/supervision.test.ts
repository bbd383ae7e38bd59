import { describe, expect, it } from 'vitest';
import { emotionTrend, shownAgentState, type AgentFacts } from './supervision';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

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
