import type { AskSpec } from '@/nodes/sdk';
import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { voiceFor } from '@/nodes/shared/voice';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const digits = config.mode === 'digits';
  const spec: AskSpec = {
    prompt: [{ text: ctx.render(config.prompt), voice: voiceFor(config.voice, config.language), language: config.language }],
    input: digits ? 'dtmf' : 'speech',
    timeoutSeconds: config.timeoutSeconds,
    language: config.language,
    ...(digits ? { finishOnKey: config.finishOnKey } : {}),
    ...(digits && config.numDigits !== undefined ? { numDigits: config.numDigits } : {}),
  };
  const answer = await ctx.ask(spec);
  const text = answer?.text.trim() ?? '';
  if (text === '') return { port: 'timeout' };
  // Kept as text: account numbers and PINs keep their leading zeros.
  ctx.setVar(config.variable, text);
  return { port: 'collected' };
});
