import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { buildSummary } from '@/nodes/shared/summary';
import { voiceFor } from '@/nodes/shared/voice';
import { ESCALATION_HOLD_SECONDS, ESCALATION_QUEUE } from './common';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const { target } = config;
  const message = ctx.render(config.message);
  if (ctx.channel === 'voice' && target.kind === 'dial') {
    // The call goes to that number, not to an agent: nothing waits in the inbox for it.
    ctx.say(message, { voice: voiceFor(config.voice, config.language), language: config.language });
    ctx.dial(target.number);
    return { end: 'escalated' };
  }
  await ctx.createHandoff({
    skill: target.kind === 'queue' ? target.queue : ESCALATION_QUEUE,
    priority: 100,
    urgent: true,
    reason: ctx.render(config.reason),
    summary: buildSummary(ctx),
  });

  if (ctx.channel === 'sms' || target.kind === 'dial') {
    ctx.say(message, { language: config.language });
    return { end: 'escalated' };
  }
  // The message doubles as the hold message; however the wait ends, the case is with a human now.
  await ctx.hold({ queue: target.queue, waitMessage: message, timeoutSeconds: ESCALATION_HOLD_SECONDS, language: config.language });
  return { end: 'escalated' };
});
