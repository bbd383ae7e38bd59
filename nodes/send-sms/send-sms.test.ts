import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('send-sms', () => {
  it('texts the caller with the rendered body', async () => {
    const ctx = fakeContext();
    expect(await step.run(definition.configSchema.parse({ body: 'Hi {{customer.firstName}}' }), ctx)).toEqual({ port: 'sent' });
    expect(ctx.sms).toEqual([{ to: '+15550001111', body: 'Hi Ada' }]);
  });

  it('texts a fixed number', async () => {
    const ctx = fakeContext();
    await step.run(definition.configSchema.parse({ to: '+4915112345678', body: 'Callback for {{customer.phone}}' }), ctx);
    expect(ctx.sms).toEqual([{ to: '+4915112345678', body: 'Callback for +15550001111' }]);
  });

  it('leaves by failed when sending fails or the body renders empty', async () => {
    expect(await step.run(definition.configSchema.parse({ body: 'x' }), fakeContext({ smsResult: { ok: false, error: 'blocked' } }))).toEqual({ port: 'failed' });
    const empty = fakeContext();
    expect(await step.run(definition.configSchema.parse({ body: '{{vars.missing}}' }), empty)).toEqual({ port: 'failed' });
    expect(empty.sms).toEqual([]);
  });

  it('accepts only "caller" or an E.164 number', () => {
    expect(definition.configSchema.safeParse({ to: '0151 1234', body: 'x' }).success).toBe(false);
  });
});
