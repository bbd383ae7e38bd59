import { defineStep } from '@/nodes/sdk';
import { definition } from './definition';

export const step = defineStep(definition, async (config, ctx) => {
  await ctx.setTags({ remove: config.tags });
  return { port: 'next' };
});
