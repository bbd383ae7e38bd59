import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('set-tag', () => {
  it('adds the tags', async () => {
    const ctx = fakeContext({ customer: { tags: ['vip'] } });
    expect(await step.run(definition.configSchema.parse({ tags: ['complained', 'callback'] }), ctx)).toEqual({ port: 'next' });
    expect(ctx.tagChanges).toEqual([{ add: ['complained', 'callback'] }]);
    expect(ctx.customer.tags).toEqual(['vip', 'complained', 'callback']);
  });

  it('needs a non-empty tag', () => {
    expect(definition.configSchema.safeParse({ tags: [] }).success).toBe(false);
    expect(definition.configSchema.safeParse({ tags: [' '] }).success).toBe(false);
  });
});
