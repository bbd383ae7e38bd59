import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { buildSummary } from '@/nodes/shared/summary';
import type { definition } from './definition';
import { computePriority } from './priority';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const reason = ctx.render(config.reason);
  // Flows compiled before requirement steps existed carry none.
  const requirements = (config as Partial<typeof config>).requirements ?? [];
  await ctx.createHandoff({
    skill: config.skill,
    ...(requirements.length > 0 && { requirements }),
    priority: computePriority(ctx.customer, ctx.emotion, config.weights),
    urgent: false,
    reason: reason !== '' ? reason : `Asked for skill “${config.skill}”`,
    summary: buildSummary(ctx),
  });
  const outcome = await ctx.hold({
    queue: config.skill,
    waitMessage: ctx.render(config.waitMessage),
    timeoutSeconds: config.timeoutSeconds,
    language: config.language,
  });
  switch (outcome) {
    case 'timeout':
      return { port: 'timeout' };
    case 'bridged':
      return { end: 'completed' };
    case 'hangup':
      return { end: 'hangup' };
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown hold outcome ${String(unknown)}`);
    }
  }
});
