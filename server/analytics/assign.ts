/**
 * Sticky assignment of callers to experiment arms: the same caller always lands in the same arm of
 * an experiment (and independently across experiments), without storing anything per caller.
 * Pure and browser-safe.
 */

/** 32-bit FNV-1a of a string (UTF-16 code units). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3's fmix32): FNV alone keeps similar numbers' low bits close.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The caller's point in [0, 1) for this experiment. */
export function assignmentPoint(experimentId: string, caller: string): number {
  return fnv1a(`${experimentId}:${caller}`) / 2 ** 32;
}

/** The arm whose share of [0, 1) holds the caller's point; weights are relative (percent by convention). */
export function pickVariant<V extends { weight: number }>(experimentId: string, caller: string, variants: readonly V[]): V {
  if (variants.length === 0) throw new Error('an experiment needs at least one variant');
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (!(total > 0)) throw new Error('the variants need a positive total weight');
  const point = assignmentPoint(experimentId, caller) * total;
  let upTo = 0;
  for (const variant of variants) {
    upTo += Math.max(0, variant.weight);
    if (point < upTo) return variant;
  }
  return variants[variants.length - 1]!;
}
