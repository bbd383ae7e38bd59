import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('incoming-call', () => {
  it('is the voice trigger and leaves by next without touching the call', async () => {
    expect(definition.trigger).toBe('voice');
    expect(definition.ports({}).map((port) => port.id)).toEqual(['next']);
    const ctx = fakeContext();
    expect(await step.run(definition.configSchema.parse({}), ctx)).toEqual({ port: 'next' });
    expect(ctx.says).toEqual([]);
  });
});
