import { defineStep } from '@/nodes/sdk';
import { voiceFor } from '@/nodes/shared/voice';
import { definition } from './definition';

export const step = defineStep(definition, async (config, ctx) => {
  const message = ctx.render(config.message).trim();
  if (message !== '') ctx.say(message, { voice: voiceFor(config.voice, config.language), language: config.language });
  return { end: config.outcome };
});
