import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const to = config.to === 'caller' ? ctx.customer.phone : config.to;
  const body = ctx.render(config.body).trim();
  if (to === '' || body === '') return { port: 'failed' };
  const result = await ctx.sendSms({ to, body });
  return { port: result.ok ? 'sent' : 'failed' };
});
