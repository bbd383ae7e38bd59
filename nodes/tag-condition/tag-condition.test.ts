import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

const run = async (mode: 'any' | 'all' | 'none', tags: string[], has: string[]) =>
  step.run(definition.configSchema.parse({ mode, tags }), fakeContext({ customer: { tags: has } }));

describe('tag-condition', () => {
  it('any: one shared tag is enough', async () => {
    expect(await run('any', ['vip', 'gold'], ['gold'])).toEqual({ port: 'matched' });
    expect(await run('any', ['vip', 'gold'], ['new'])).toEqual({ port: 'noMatch' });
  });

  it('all: every tag is needed', async () => {
    expect(await run('all', ['vip', 'gold'], ['gold', 'vip', 'x'])).toEqual({ port: 'matched' });
    expect(await run('all', ['vip', 'gold'], ['gold'])).toEqual({ port: 'noMatch' });
  });

  it('none: no tag may be present', async () => {
    expect(await run('none', ['churned'], ['vip'])).toEqual({ port: 'matched' });
    expect(await run('none', ['churned'], ['churned'])).toEqual({ port: 'noMatch' });
  });

  it('needs at least one tag', () => {
    expect(definition.configSchema.safeParse({ mode: 'any', tags: [] }).success).toBe(false);
  });
});
