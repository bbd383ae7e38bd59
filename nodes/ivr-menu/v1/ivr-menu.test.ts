import { describe, expect, it } from 'vitest';
import { fakeContext, input } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

const base = {
  prompt: 'Hi {{customer.firstName}}. For billing press 1. For support press 2.',
  options: [
    { digit: '1', label: 'Billing', keywords: ['billing', 'bill', '账单'] },
    { digit: '2', label: 'Support', keywords: ['support', '客服'] },
  ],
};
const parse = (extra: Record<string, unknown> = {}) => definition.configSchema.parse({ ...base, ...extra });

describe('ivr-menu definition', () => {
  it('has one port per option plus timeout and invalid', () => {
    expect(definition.ports(parse())).toEqual([
      { id: 'option-1', label: 'Billing', required: true },
      { id: 'option-2', label: 'Support', required: true },
      { id: 'timeout', label: 'No answer', required: false },
      { id: 'invalid', label: 'Not understood', required: false },
    ]);
  });

  it('rejects duplicate keys and skips to keys no option uses, naming the field', () => {
    const duplicate = definition.configSchema.safeParse({ ...base, options: [...base.options, { digit: '1', label: 'Again' }] });
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues.map((issue) => issue.path)).toEqual([['options', 2, 'digit']]);

    const badSkip = definition.configSchema.safeParse({ ...base, tagOverrides: [{ tag: 'vip', skipToDigit: '9' }] });
    expect(badSkip.error?.issues.map((issue) => issue.path)).toEqual([['tagOverrides', 0, 'skipToDigit']]);

    expect(definition.configSchema.safeParse({ ...base, options: [] }).success).toBe(false);
    expect(definition.configSchema.safeParse({ ...base, options: [{ digit: '10', label: 'X' }] }).success).toBe(false);
  });
});

describe('ivr-menu step', () => {
  it('asks once and leaves by the pressed option', async () => {
    const ctx = fakeContext({ answers: [input('2', 'digits')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-2' });
    expect(ctx.asks).toHaveLength(1);
    expect(ctx.asks[0]).toMatchObject({
      prompt: [{ text: 'Hi Ada. For billing press 1. For support press 2.', voice: 'Polly.Joanna', language: 'en-US' }],
      input: 'dtmf speech',
      timeoutSeconds: 5,
      numDigits: 1,
      finishOnKey: '',
    });
    expect(ctx.asks[0]?.hints).toEqual(['Billing', 'billing', 'bill', '账单', 'Support', 'support', '客服']);
  });

  it('matches spoken keywords in English and Chinese, and spoken digits', async () => {
    expect(await step.run(parse(), fakeContext({ answers: [input('I have a question about my BILL')] }))).toEqual({ port: 'option-1' });
    expect(await step.run(parse({ language: 'zh-CN' }), fakeContext({ answers: [input('我要找客服')] }))).toEqual({ port: 'option-2' });
    expect(await step.run(parse(), fakeContext({ answers: [input('two')] }))).toEqual({ port: 'option-2' });
    expect(await step.run(parse(), fakeContext({ answers: [input('一')] }))).toEqual({ port: 'option-1' });
  });

  it('re-prompts after silence, then leaves by timeout when retries run out', async () => {
    const ctx = fakeContext({ answers: [null, null, null] });
    expect(await step.run(parse({ retries: 2, rePrompt: 'Sorry?' }), ctx)).toEqual({ port: 'timeout' });
    expect(ctx.asks).toHaveLength(3);
    expect(ctx.asks[1]?.prompt.map((utterance) => utterance.text)).toEqual(['Sorry?', 'Hi Ada. For billing press 1. For support press 2.']);
  });

  it('leaves by invalid when the last answer was not understood', async () => {
    const ctx = fakeContext({ answers: [null, input('9', 'digits')] });
    expect(await step.run(parse({ retries: 1 }), ctx)).toEqual({ port: 'invalid' });
    expect(ctx.asks).toHaveLength(2);
  });

  it('recovers on a retry', async () => {
    const ctx = fakeContext({ answers: [input('weather'), input('support')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-2' });
    expect(ctx.asks).toHaveLength(2);
  });

  it('asks only for keys in dtmf mode and only for speech in speech mode', async () => {
    const dtmf = fakeContext({ answers: [input('1', 'digits')] });
    await step.run(parse({ input: 'dtmf' }), dtmf);
    expect(dtmf.asks[0]?.input).toBe('dtmf');
    expect(dtmf.asks[0]?.hints).toBeUndefined();

    const speech = fakeContext({ answers: [input('billing')] });
    await step.run(parse({ input: 'speech' }), speech);
    expect(speech.asks[0]?.input).toBe('speech');
    expect(speech.asks[0]?.numDigits).toBeUndefined();
  });

  it('sends VIPs straight to an option without asking', async () => {
    const ctx = fakeContext({ customer: { tags: ['vip'] } });
    const config = parse({ tagOverrides: [{ tag: 'vip', skipToDigit: '2' }] });
    expect(await step.run(config, ctx)).toEqual({ port: 'option-2' });
    expect(ctx.asks).toEqual([]);
  });

  it('applies the first matching override: its prompt, spoken slowly with pauses', async () => {
    const ctx = fakeContext({ customer: { tags: ['elderly', 'vip'] }, answers: [input('1', 'digits')] });
    const config = parse({
      tagOverrides: [
        { tag: 'elderly', prompt: 'Press 1 for bills. Press 2 for help.', slow: true },
        { tag: 'vip', skipToDigit: '2' },
      ],
    });
    expect(await step.run(config, ctx)).toEqual({ port: 'option-1' });
    expect(ctx.asks[0]?.prompt).toEqual([
      { text: 'Press 1 for bills.', voice: 'Polly.Joanna', language: 'en-US', pauseAfter: 1 },
      { text: 'Press 2 for help.', voice: 'Polly.Joanna', language: 'en-US', pauseAfter: 1 },
    ]);
  });

  it('ignores overrides for tags the customer lacks', async () => {
    const ctx = fakeContext({ answers: [input('1', 'digits')] });
    await step.run(parse({ tagOverrides: [{ tag: 'vip', skipToDigit: '2', prompt: 'VIP menu' }] }), ctx);
    expect(ctx.asks[0]?.prompt[0]?.text).toBe('Hi Ada. For billing press 1. For support press 2.');
  });

  it('matches an SMS reply body the same way', async () => {
    const ctx = fakeContext({ channel: 'sms', answers: ['2'] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-2' });
    const keyword = fakeContext({ channel: 'sms', answers: ['账单有问题'] });
    expect(await step.run(parse(), keyword)).toEqual({ port: 'option-1' });
  });
});
