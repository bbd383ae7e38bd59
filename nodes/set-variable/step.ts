import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  // Always text, even when it looks like a number: "007" stays "007".
  ctx.setVar(config.name, ctx.render(config.value));
  return { port: 'next' };
});
