import { defineStep } from '@/nodes/sdk';
import { definition } from './definition';

export const step = defineStep(definition, async (config, ctx) => {
  // Always text, even when it looks like a number: "007" stays "007".
  ctx.setVar(config.name, ctx.render(config.value));
  return { port: 'next' };
});
