import { describe, expect, it } from 'vitest';
import { fakeContext, input } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('set-variable', () => {
  it('stores the rendered value as text', async () => {
    const ctx = fakeContext({ lastInput: input('007'), vars: { other: 'x' } });
    expect(await step.run(definition.configSchema.parse({ name: 'agentCode', value: '{{input}}' }), ctx)).toEqual({ port: 'next' });
    expect(ctx.vars).toEqual({ other: 'x', agentCode: '007' });
  });

  it('needs an identifier as the name', () => {
    expect(definition.configSchema.safeParse({ name: 'my var', value: '' }).success).toBe(false);
    expect(definition.configSchema.safeParse({ name: '_ok1', value: '' }).success).toBe(true);
  });
});
