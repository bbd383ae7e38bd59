import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  await ctx.setTags({ remove: config.tags });
  return { port: 'next' };
});
