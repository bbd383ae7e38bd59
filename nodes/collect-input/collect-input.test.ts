import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('collect-input', () => {
  it('asks for digits and stores the answer as text', async () => {
    const ctx = fakeContext({ answers: ['0012'] });
    const config = definition.configSchema.parse({ prompt: 'Enter your PIN', numDigits: 4, variable: 'pin' });
    expect(await step.run(config, ctx)).toEqual({ port: 'collected' });
    expect(ctx.vars).toEqual({ pin: '0012' });
    expect(ctx.asks).toEqual([
      {
        prompt: [{ text: 'Enter your PIN', voice: 'Polly.Joanna', language: 'en-US' }],
        input: 'dtmf',
        timeoutSeconds: 5,
        language: 'en-US',
        finishOnKey: '#',
        numDigits: 4,
      },
    ]);
  });

  it('asks for speech without keypad settings', async () => {
    const ctx = fakeContext({ answers: ['my order is late'] });
    await step.run(definition.configSchema.parse({ prompt: 'How can I help?', mode: 'speech', variable: 'reason', numDigits: 3 }), ctx);
    expect(ctx.asks[0]?.input).toBe('speech');
    expect(ctx.asks[0]?.numDigits).toBeUndefined();
    expect(ctx.asks[0]?.finishOnKey).toBeUndefined();
    expect(ctx.vars.reason).toBe('my order is late');
  });

  it('leaves by timeout and sets nothing when the caller is silent', async () => {
    const ctx = fakeContext({ answers: [null] });
    expect(await step.run(definition.configSchema.parse(definition.defaults), ctx)).toEqual({ port: 'timeout' });
    expect(ctx.vars).toEqual({});
  });

  it('rejects variable names that are not identifiers', () => {
    expect(definition.configSchema.safeParse({ prompt: 'x', variable: '1st' }).success).toBe(false);
    expect(definition.configSchema.safeParse({ prompt: 'x', variable: 'account-number' }).success).toBe(false);
  });
});
