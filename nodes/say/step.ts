import { defineStep } from '@/nodes/sdk';
import { voiceFor } from '@/nodes/shared/voice';
import { definition } from './definition';

export const step = defineStep(definition, async (config, ctx) => {
  ctx.say(ctx.render(config.text), { voice: voiceFor(config.voice, config.language), language: config.language });
  return { port: 'next' };
});
