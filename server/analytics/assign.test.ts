import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from './stats';
import { assignmentPoint, pickVariant } from './assign';

describe('sticky assignment', () => {
  it('puts the same caller in the same arm every time, and arms differ between experiments', () => {
    const variants = [
      { name: 'A', weight: 50 },
      { name: 'B', weight: 50 },
    ];
    const first = pickVariant('exp-1', '+15550001111', variants).name;
    for (let i = 0; i < 20; i++) expect(pickVariant('exp-1', '+15550001111', variants).name).toBe(first);
    const differs = Array.from({ length: 200 }, (_, i) => `+1555000${String(i).padStart(4, '0')}`).some(
      (caller) => pickVariant('exp-1', caller, variants).name !== pickVariant('exp-2', caller, variants).name,
    );
    expect(differs).toBe(true);
  });

  it('splits consecutive numbers by the weights, without a sample ratio mismatch', () => {
    const variants = [
      { name: 'A', weight: 70 },
      { name: 'B', weight: 20 },
      { name: 'C', weight: 10 },
    ];
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const arm = pickVariant('3f1c', `+86138${String(i).padStart(8, '0')}`, variants).name;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    const observed = variants.map((v) => counts.get(v.name) ?? 0);
    expect(observed[0]! / 20_000).toBeCloseTo(0.7, 1);
    expect(sampleRatioMismatch(observed, [70, 20, 10]).mismatch).toBe(false);
  });

  it('keeps points in [0, 1) and refuses empty or weightless arms', () => {
    for (let i = 0; i < 1000; i++) {
      const p = assignmentPoint('x', String(i));
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(1);
    }
    expect(() => pickVariant('x', '1', [])).toThrow(/at least one/);
    expect(() => pickVariant('x', '1', [{ weight: 0 }])).toThrow(/positive/);
  });
});
