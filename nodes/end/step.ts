import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { voiceFor } from '@/nodes/shared/voice';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const message = ctx.render(config.message).trim();
  if (message !== '') ctx.say(message, { voice: voiceFor(config.voice, config.language), language: config.language });
  return { end: config.outcome };
});
