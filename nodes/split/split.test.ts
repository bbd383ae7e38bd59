import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { branchFor, step } from './step';

const config = definition.configSchema.parse({
  branches: [
    { id: 'control', label: 'Control', percent: 70 },
    { id: 'variant', label: 'Variant', percent: 30 },
  ],
});

describe('split', () => {
  it('has one port per branch', () => {
    expect(definition.ports(config)).toEqual([
      { id: 'branch-control', label: 'Control (70%)', required: true },
      { id: 'branch-variant', label: 'Variant (30%)', required: true },
    ]);
  });

  it('gives a customer the same branch every time, without ctx.random', async () => {
    const run = () => {
      const ctx = fakeContext({ customer: { id: 'cust-42' }, node: { id: 'split-1', type: 'split' } });
      ctx.random = () => {
        throw new Error('split must not use ctx.random');
      };
      return step.run(config, ctx);
    };
    const first = await run();
    expect(await run()).toEqual(first);
  });

  it('sends roughly the configured share down each branch', async () => {
    let control = 0;
    for (let i = 0; i < 1000; i++) {
      const result = await step.run(config, fakeContext({ customer: { id: `cust-${i}` }, node: { id: 'split-1', type: 'split' } }));
      if ('port' in result && result.port === 'branch-control') control++;
    }
    expect(control).toBeGreaterThan(640);
    expect(control).toBeLessThan(760);
  });

  it('assigns buckets to branches in order', () => {
    expect(branchFor(config.branches, 0).id).toBe('control');
    expect(branchFor(config.branches, 69).id).toBe('control');
    expect(branchFor(config.branches, 70).id).toBe('variant');
    expect(branchFor(config.branches, 99).id).toBe('variant');
  });

  it('requires percentages adding up to 100 and unique ids, naming the field', () => {
    const sum = definition.configSchema.safeParse({ branches: [{ id: 'a', label: 'A', percent: 50 }, { id: 'b', label: 'B', percent: 40 }] });
    expect(sum.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[['branches'], 'percentages add up to 90, not 100']]);
    const ids = definition.configSchema.safeParse({ branches: [{ id: 'a', label: 'A', percent: 50 }, { id: 'a', label: 'B', percent: 50 }] });
    expect(ids.error?.issues.map((issue) => issue.path)).toEqual([['branches', 1, 'id']]);
  });
});
