import { describe, expect, it } from 'vitest';
import { EMPTY_CONTACTS, EMPTY_HANDOFFS } from './kpis';
import { sequentialTest } from './stats';
import { type ArmInput, compareDaily, metricCounts, planExperiment, readExperiment } from './verdict';

/** An arm with the same counts every day. */
function arm(variantId: string, weight: number, days: number, perDay: number, rate: number, guardrail?: { metric: 'abandonment'; rate: number }): ArmInput {
  return {
    variantId,
    weight,
    days: Array.from({ length: days }, (_, i) => ({
      day: `2026-11-${String(i + 1).padStart(2, '0')}T00:00`,
      exposures: perDay,
      metrics: {
        containment: { n: perDay, conversions: Math.round(perDay * rate) },
        ...(guardrail && { abandonment: { n: perDay, conversions: Math.round(perDay * guardrail.rate) } }),
      },
    })),
  };
}

describe('metric counts', () => {
  it('reads each metric from the right numerator and denominator', () => {
    const c = { ...EMPTY_CONTACTS, contacts: 10, contained: 4, firstContactResolved: 6, csatReplies: 5, csatSatisfied: 3, handoffs: 2, escalated: 1 };
    const h = { ...EMPTY_HANDOFFS, offered: 8, abandoned: 2 };
    expect(metricCounts('containment', c, h)).toEqual({ n: 10, conversions: 4 });
    expect(metricCounts('fcr', c, h)).toEqual({ n: 10, conversions: 6 });
    expect(metricCounts('csat', c, h)).toEqual({ n: 5, conversions: 3 });
    expect(metricCounts('handoff', c, h)).toEqual({ n: 10, conversions: 2 });
    expect(metricCounts('reached', c, h, 7)).toEqual({ n: 10, conversions: 7 });
    expect(metricCounts('abandonment', c, h)).toEqual({ n: 8, conversions: 2 });
    expect(metricCounts('escalation', c, h)).toEqual({ n: 10, conversions: 1 });
  });
});

describe('reading an experiment', () => {
  const base = { metric: 'containment' as const, guardrails: [] as [], alpha: 0.05, minimumEffect: 0.05 };

  it('gives no verdict under 150 contacts per arm or 7 days, and says how much more is needed', () => {
    const reading = readExperiment({ ...base, arms: [arm('a', 50, 3, 33, 0.3), arm('b', 50, 3, 33, 0.5)], daysRunning: 3 });
    // 99 per arm: 51 more each (102 in all) at 66 a day is 2 days, but 7 days must pass: 4 more.
    expect(reading.verdict).toEqual({ kind: 'not-ready', moreContacts: 102, moreDays: 4 });
  });

  it('estimates the days from the first hours of traffic too', () => {
    // 20 contacts in 6 hours: 80 a day; 280 more at that rate is 4 days, but 7 must pass.
    const reading = readExperiment({ ...base, arms: [arm('a', 50, 1, 10, 0.3), arm('b', 50, 1, 10, 0.3)], daysRunning: 0, elapsedDays: 0.25 });
    expect(reading.verdict).toEqual({ kind: 'not-ready', moreContacts: 280, moreDays: 7 });
  });

  it('stops trusting a split that is off (SRM) before anything else', () => {
    const reading = readExperiment({ ...base, arms: [arm('a', 50, 10, 100, 0.3), arm('b', 50, 10, 80, 0.4)], daysRunning: 10 });
    expect(reading.srm.mismatch).toBe(true);
    expect(reading.srm.pValue).toBeLessThan(0.001);
    expect(reading.verdict).toEqual({ kind: 'srm' });
    // The same contacts from evenly split callers (B's callers simply call back less): no mismatch.
    const byCallers = readExperiment({ ...base, arms: [arm('a', 50, 10, 100, 0.3), arm('b', 50, 10, 80, 0.4)], daysRunning: 10, callers: [700, 690] });
    expect(byCallers.srm.mismatch).toBe(false);
    expect(byCallers.verdict.kind).not.toBe('srm');
  });

  it('names a real winner, and the control when every variant is worse', () => {
    const win = readExperiment({ ...base, arms: [arm('a', 50, 10, 200, 0.3), arm('b', 50, 10, 200, 0.36)], daysRunning: 10 });
    expect(win.primary[0]).toMatchObject({ variantId: 'b', better: true, significant: true });
    expect(win.primary[0]!.difference).toBeCloseTo(0.06, 6);
    expect(win.verdict).toEqual({ kind: 'winner', variantId: 'b' });
    const lose = readExperiment({ ...base, arms: [arm('a', 50, 10, 200, 0.36), arm('b', 50, 10, 200, 0.3)], daysRunning: 10 });
    expect(lose.verdict).toEqual({ kind: 'control-wins', variantId: 'a' });
    const same = readExperiment({ ...base, arms: [arm('a', 50, 10, 200, 0.3), arm('b', 50, 10, 200, 0.305)], daysRunning: 10 });
    expect(same.verdict).toEqual({ kind: 'no-difference' });
  });

  it('flags a guardrail the variant is significantly worse on', () => {
    const reading = readExperiment({
      ...base,
      guardrails: ['abandonment'],
      arms: [arm('a', 50, 10, 200, 0.3, { metric: 'abandonment', rate: 0.05 }), arm('b', 50, 10, 200, 0.3, { metric: 'abandonment', rate: 0.12 })],
      daysRunning: 10,
    });
    expect(reading.breaches).toEqual([expect.objectContaining({ variantId: 'b', metric: 'abandonment', worse: true })]);
  });

  it('keeps the smallest p-value over the daily looks (anytime-valid), never the last one alone', () => {
    // A big early difference that fades: the final cumulative look alone is weaker.
    const a: ArmInput = { variantId: 'a', weight: 50, days: [] };
    const b: ArmInput = { variantId: 'b', weight: 50, days: [] };
    for (let i = 0; i < 10; i++) {
      const day = `d${i}`;
      a.days.push({ day, exposures: 100, metrics: { containment: { n: 100, conversions: 30 } } });
      b.days.push({ day, exposures: 100, metrics: { containment: { n: 100, conversions: i < 3 ? 45 : 28 } } });
    }
    const daily = compareDaily(a, b, 'containment', 0.05, 0.05);
    const once = sequentialTest({ n: 1000, conversions: 300 }, { n: 1000, conversions: 331 }, { tau: 0.05 });
    expect(daily.arm).toEqual({ n: 1000, conversions: 331 });
    expect(daily.pValue).toBeLessThan(once.pValue);
  });
});

describe('planning', () => {
  it('gives the sample per arm and the days at the current traffic (at least 7)', () => {
    expect(planExperiment({ baseline: 0.1, minimumEffect: 0.02, alpha: 0.05, arms: 2, contactsPerDay: 500 })).toEqual({ ok: true, perArm: 3841, total: 7682, days: 16 });
    expect(planExperiment({ baseline: 0.1, minimumEffect: 0.2, alpha: 0.05, arms: 2, contactsPerDay: 1000 })).toMatchObject({ ok: true, perArm: 150, days: 7 });
    expect(planExperiment({ baseline: null, minimumEffect: 0.02, alpha: 0.05, arms: 2, contactsPerDay: 10 })).toEqual({ ok: false, reason: 'no-baseline' });
    expect(planExperiment({ baseline: 0.99, minimumEffect: 0.05, alpha: 0.05, arms: 2, contactsPerDay: 10 })).toEqual({ ok: false, reason: 'out-of-range' });
    expect(planExperiment({ baseline: 0.1, minimumEffect: 0.02, alpha: 0.05, arms: 3, contactsPerDay: 0 })).toMatchObject({ ok: true, days: null });
  });
});
