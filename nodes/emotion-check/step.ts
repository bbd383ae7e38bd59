import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { classifyEmotion } from '@/nodes/shared/emotion';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const text = ctx.lastInput?.text.trim() ?? '';
  // Nothing said yet: nothing to be upset about.
  if (text === '') return { port: 'neutral' };
  const result = await ctx.scoreEmotion(text);
  return { port: classifyEmotion(result.score, config) };
});
