import type { StepContext } from '@/nodes/sdk';

/**
 * A deliberately breaking change to the send-sms step, for `replay.test.ts`: it sends the message
 * twice. A call recorded with the real step must fail to replay against it.
 */
export const step = {
  run: async (config: { to: 'caller' | 'number'; number?: string; body: string }, ctx: StepContext) => {
    const to = config.to === 'number' && config.number ? config.number : ctx.customer.phone;
    await ctx.sendSms({ to, body: ctx.render(config.body) });
    const result = await ctx.sendSms({ to, body: ctx.render(config.body) });
    return { port: result.ok ? 'sent' : 'failed' };
  },
};
