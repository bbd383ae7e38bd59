import { describe, expect, it } from 'vitest';
import { bucketOf, fnv1a32 } from './hash';

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('spreads keys roughly evenly over buckets', () => {
    let low = 0;
    for (let i = 0; i < 2000; i++) if (bucketOf(`customer-${i}:split-1`, 100) < 50) low++;
    expect(low).toBeGreaterThan(850);
    expect(2000 - low).toBeGreaterThan(850);
  });
});
