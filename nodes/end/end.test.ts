import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('end', () => {
  it('says goodbye and ends with the outcome', async () => {
    const ctx = fakeContext();
    const config = definition.configSchema.parse({ message: 'Bye {{customer.firstName}}', outcome: 'hangup', language: 'zh-CN' });
    expect(await step.run(config, ctx)).toEqual({ end: 'hangup' });
    expect(ctx.says).toEqual([{ text: 'Bye Ada', options: { voice: 'Polly.Zhiyu', language: 'zh-CN' } }]);
  });

  it('ends silently without a message', async () => {
    const ctx = fakeContext({ channel: 'sms' });
    expect(await step.run(definition.configSchema.parse({}), ctx)).toEqual({ end: 'completed' });
    expect(ctx.says).toEqual([]);
  });
});
