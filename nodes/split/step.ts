import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { bucketOf } from '@/nodes/shared/hash';
import { branchPort } from './common';
import type { definition } from './definition';

/**
 * The branch for a bucket 0 … 99: branches own consecutive ranges of buckets in list order.
 * Zero-percent branches own none.
 */
export function branchFor<B extends { id: string; percent: number }>(branches: readonly B[], bucket: number): B {
  let upTo = 0;
  for (const branch of branches) {
    upTo += branch.percent;
    if (bucket < upTo) return branch;
  }
  // Unreachable for a config that parsed (percentages add up to 100); the last branch is a safe home.
  const last = branches.at(-1);
  // A parsed config has at least two branches; this is what a step failure would have said anyway.
  if (last === undefined) throw new Error('split has no branches');
  return last;
}

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  // Hashing, not ctx.random(): the same customer lands in the same branch on every call.
  const who = ctx.customer.id !== '' ? ctx.customer.id : ctx.customer.phone;
  const bucket = bucketOf(`${who}:${ctx.node.id}`, 100);
  return { port: branchPort(branchFor(config.branches, bucket).id) };
});
