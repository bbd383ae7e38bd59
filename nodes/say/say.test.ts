import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('say', () => {
  it('renders the template and speaks it with the default voice for the language', async () => {
    const ctx = fakeContext({ customer: { firstName: 'Mei' } });
    const config = definition.configSchema.parse({ text: 'Hello {{customer.firstName}}!', language: 'zh-CN' });
    expect(await step.run(config, ctx)).toEqual({ port: 'next' });
    expect(ctx.says).toEqual([{ text: 'Hello Mei!', options: { voice: 'Polly.Zhiyu', language: 'zh-CN' } }]);
  });

  it('uses an explicit voice and defaults to en-US', async () => {
    const ctx = fakeContext();
    await step.run(definition.configSchema.parse({ text: 'Hi', voice: 'Polly.Matthew' }), ctx);
    expect(ctx.says).toEqual([{ text: 'Hi', options: { voice: 'Polly.Matthew', language: 'en-US' } }]);
  });

  it('sends the text through say on SMS too', async () => {
    const ctx = fakeContext({ channel: 'sms', vars: { code: '42' } });
    await step.run(definition.configSchema.parse({ text: 'Your code is {{vars.code}}' }), ctx);
    expect(ctx.says.map((said) => said.text)).toEqual(['Your code is 42']);
  });

  it('rejects an empty message', () => {
    expect(definition.configSchema.safeParse({ text: '  ' }).success).toBe(false);
  });
});
