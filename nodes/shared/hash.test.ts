import { describe, expect, it } from 'vitest';
import { bucketOf, fnv1a32 } from './hash';

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('spreads keys roughly evenly over buckets', () => {
    const counts = [0, 0];
    for (let i = 0; i < 2000; i++) counts[bucketOf(`customer-${i}:split-1`, 100) < 50 ? 0 : 1]++;
    expect(counts[0]).toBeGreaterThan(850);
    expect(counts[1]).toBeGreaterThan(850);
  });
});
