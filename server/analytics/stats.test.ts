import { describe, expect, it } from 'vitest';
import {
  type ArmCounts,
  chiSquareSurvival,
  fixedHorizonPValue,
  MIN_CONTACTS_PER_ARM,
  normalCdf,
  normalQuantile,
  readiness,
  sampleRatioMismatch,
  sampleSizePerArm,
  sequentialTest,
} from './stats';

/** A seeded generator (mulberry32): the simulations give the same figures on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function binomial(next: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i += 1) if (next() < p) k += 1;
  return k;
}

/** One experiment looked at daily: the day each test first called it (or null), and B's sign then. */
function experiment(next: () => number, rates: [number, number], days: number, perArmPerDay: number) {
  const a: ArmCounts = { n: 0, conversions: 0 };
  const b: ArmCounts = { n: 0, conversions: 0 };
  let sequentialDay: number | null = null;
  let sequentialSign = 0;
  let naiveDay: number | null = null;
  let pValue = 1;
  for (let day = 1; day <= days; day += 1) {
    a.n += perArmPerDay;
    a.conversions += binomial(next, perArmPerDay, rates[0]);
    b.n += perArmPerDay;
    b.conversions += binomial(next, perArmPerDay, rates[1]);
    const look = sequentialTest(a, b, { previousPValue: pValue, tau: 0.05 });
    pValue = look.pValue;
    if (sequentialDay === null && look.significant) {
      sequentialDay = day;
      sequentialSign = Math.sign(look.difference);
    }
    if (naiveDay === null && fixedHorizonPValue(a, b) < 0.05) naiveDay = day;
  }
  return { sequentialDay, sequentialSign, naiveDay };
}

describe('sample ratio mismatch', () => {
  it('gives chi-square tail probabilities of the tables', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(10.827566, 1)).toBeCloseTo(0.001, 7);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(13.815511, 2)).toBeCloseTo(0.001, 7);
    expect(chiSquareSurvival(7.814728, 3)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(16.266236, 3)).toBeCloseTo(0.001, 7);
    expect(chiSquareSurvival(1, 1)).toBeCloseTo(0.3173105, 6);
    expect(chiSquareSurvival(0, 2)).toBe(1);
  });

  it('flags a broken 50/50 split at p < 0.001 and trusts a fair one', () => {
    // 5,000 vs 5,200: chi-square 3.92, p 0.048 — unlucky, not broken.
    const fair = sampleRatioMismatch([5000, 5200], [50, 50]);
    expect(fair.chiSquare).toBeCloseTo(3.921569, 5);
    expect(fair.pValue).toBeCloseTo(0.04767, 4);
    expect(fair.mismatch).toBe(false);
    // 5,000 vs 5,400: chi-square 15.38, p 0.0000877 — the split is broken.
    const broken = sampleRatioMismatch([5000, 5400], [1, 1]);
    expect(broken.chiSquare).toBeCloseTo(15.384615, 5);
    expect(broken.pValue).toBeCloseTo(8.77e-5, 6);
    expect(broken.mismatch).toBe(true);
  });

  it('checks an uneven allocation against its own weights, for up to four arms', () => {
    // Planned 20/80: 2,000 and 8,000 is exactly right.
    expect(sampleRatioMismatch([2000, 8000], [20, 80])).toMatchObject({ chiSquare: 0, pValue: 1, mismatch: false });
    // Three arms planned equal: 1,000 / 1,000 / 1,150 → chi-square 14.29 on 2 df.
    const three = sampleRatioMismatch([1000, 1000, 1150], [1, 1, 1]);
    expect(three.degreesOfFreedom).toBe(2);
    expect(three.chiSquare).toBeCloseTo(14.285714, 5);
    expect(three.pValue).toBeCloseTo(Math.exp(-14.285714 / 2), 8);
    expect(three.mismatch).toBe(true);
    expect(sampleRatioMismatch([0, 0], [1, 1])).toMatchObject({ pValue: 1, mismatch: false });
    expect(() => sampleRatioMismatch([10], [1])).toThrow('at least two arms');
    expect(() => sampleRatioMismatch([10, 10], [1, 0])).toThrow('positive weight');
  });
});

describe('the normal distribution and the sample size', () => {
  it('matches the tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(() => normalQuantile(1)).toThrow();
  });

  it('gives the contacts per arm of the two-proportion formula', () => {
    // 10 % → 12 %, two-sided 5 %, power 80 %: 3,841 per arm (pooled-variance formula).
    expect(sampleSizePerArm({ baseline: 0.1, minimumEffect: 0.02 })).toBe(3841);
    // Containment 60 % → 65 %: 1,471 per arm (1,470.49 rounded up).
    expect(sampleSizePerArm({ baseline: 0.6, minimumEffect: 0.05 })).toBe(1471);
    // A larger effect or less power needs fewer contacts.
    expect(sampleSizePerArm({ baseline: 0.1, minimumEffect: 0.04 })).toBeLessThan(1200);
    expect(sampleSizePerArm({ baseline: 0.1, minimumEffect: 0.02, power: 0.5 })).toBeLessThan(3841);
    expect(() => sampleSizePerArm({ baseline: 0.99, minimumEffect: 0.02 })).toThrow();
  });
});

describe('the sequential test, looked at every day', () => {
  it('keeps the false-positive rate at or under α on 1,000 A/A experiments, where a daily fixed-horizon test does not', () => {
    const next = random(12345);
    let sequential = 0;
    let naive = 0;
    for (let i = 0; i < 1000; i += 1) {
      const run = experiment(next, [0.3, 0.3], 30, 100);
      if (run.sequentialDay !== null) sequential += 1;
      if (run.naiveDay !== null) naive += 1;
    }
    const sequentialRate = sequential / 1000;
    const naiveRate = naive / 1000;
    expect(sequentialRate).toBeLessThanOrEqual(0.05);
    // Thirty peeks at a test meant for one: several times the promised 5 %.
    expect(naiveRate).toBeGreaterThan(0.1);
    expect(naiveRate).toBeGreaterThan(2 * sequentialRate);
  });

  it('finds a real difference, and names the better variant', () => {
    const next = random(678);
    let found = 0;
    let right = 0;
    const days: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const run = experiment(next, [0.3, 0.36], 30, 100);
      if (run.sequentialDay === null) continue;
      found += 1;
      days.push(run.sequentialDay);
      if (run.sequentialSign > 0) right += 1;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.9);
    expect(right).toBe(found);
    days.sort((x, y) => x - y);
    // Well before the end of the 30 days, most of the time.
    expect(days[Math.floor(days.length / 2)]).toBeLessThan(20);
  });

  it('never raises its p-value: a look that says less keeps the earlier evidence', () => {
    const strong = sequentialTest({ n: 2000, conversions: 600 }, { n: 2000, conversions: 760 });
    expect(strong.significant).toBe(true);
    const later = sequentialTest({ n: 2100, conversions: 640 }, { n: 2100, conversions: 650 }, { previousPValue: strong.pValue });
    expect(later.pValue).toBe(strong.pValue);
    expect(sequentialTest({ n: 0, conversions: 0 }, { n: 10, conversions: 5 })).toMatchObject({ pValue: 1, significant: false });
  });
});

describe('readiness for a verdict', () => {
  it('waits for 150 contacts per arm and 7 days, and says how much more is needed', () => {
    expect(MIN_CONTACTS_PER_ARM).toBe(150);
    expect(readiness({ perArm: [100, 90], days: 3, contactsPerDay: 60 })).toEqual({ ready: false, moreContacts: 120, moreDays: 4 });
    expect(readiness({ perArm: [160, 155], days: 5, contactsPerDay: 60 })).toEqual({ ready: false, moreContacts: 0, moreDays: 2 });
    expect(readiness({ perArm: [160, 155], days: 8, contactsPerDay: 60 })).toEqual({ ready: true });
    // A planned sample larger than the minimum counts, at the traffic there is.
    expect(readiness({ perArm: [500, 480], days: 10, contactsPerDay: 100, required: 1471 })).toEqual({ ready: false, moreContacts: 1982, moreDays: 20 });
    expect(readiness({ perArm: [0, 0], days: 0, contactsPerDay: 0 })).toEqual({ ready: false, moreContacts: 300, moreDays: Number.POSITIVE_INFINITY });
  });
});
