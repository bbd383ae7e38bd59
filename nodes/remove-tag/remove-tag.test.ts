import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('remove-tag', () => {
  it('removes the tags', async () => {
    const ctx = fakeContext({ customer: { tags: ['vip', 'churn-risk'] } });
    expect(await step.run(definition.configSchema.parse({ tags: ['churn-risk'] }), ctx)).toEqual({ port: 'next' });
    expect(ctx.tagChanges).toEqual([{ remove: ['churn-risk'] }]);
    expect(ctx.customer.tags).toEqual(['vip']);
  });
});
