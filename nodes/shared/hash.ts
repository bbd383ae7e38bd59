/** 32-bit FNV-1a over the UTF-16 code units of `text`. Pure and stable, so safe in workflow code. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A stable bucket 0 ≤ b < buckets for a key. */
export function bucketOf(key: string, buckets: number): number {
  return fnv1a32(key) % buckets;
}
