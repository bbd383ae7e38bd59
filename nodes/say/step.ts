import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { voiceFor } from '@/nodes/shared/voice';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  ctx.say(ctx.render(config.text), { voice: voiceFor(config.voice, config.language), language: config.language });
  return { port: 'next' };
});
