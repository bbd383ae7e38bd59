import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { computePriority } from './priority';
import { step } from './step';

describe('computePriority', () => {
  const weights = { value: 0.5, behaviour: 0.3, emotion: 0.2 };

  it('weights value, behaviour and upset-ness into 0 … 100', () => {
    expect(computePriority({ value: 1, behaviour: 1 }, { score: -1 }, weights)).toBe(100);
    expect(computePriority({ value: 0, behaviour: 0 }, { score: 1 }, weights)).toBe(0);
    // 0.5·0.8 + 0.3·0.2 + 0.2·(1 − (−0.6))/2 = 0.4 + 0.06 + 0.16
    expect(computePriority({ value: 0.8, behaviour: 0.2 }, { score: -0.6 }, weights)).toBe(62);
  });

  it('treats an unscored caller as half upset', () => {
    expect(computePriority({ value: 0, behaviour: 0 }, null, weights)).toBe(10);
    expect(computePriority({ value: 0, behaviour: 0 }, { score: 0 }, weights)).toBe(10);
  });

  it('an upset caller outranks a calm one of the same value', () => {
    const customer = { value: 0.5, behaviour: 0.5 };
    expect(computePriority(customer, { score: -0.9 }, weights)).toBeGreaterThan(computePriority(customer, { score: 0.9 }, weights));
  });

  it('normalises weights that do not add up to 1 and clamps inputs', () => {
    expect(computePriority({ value: 1, behaviour: 0 }, null, { value: 1, behaviour: 0, emotion: 0 })).toBe(100);
    expect(computePriority({ value: 0.6, behaviour: 0.6 }, null, { value: 1, behaviour: 1, emotion: 0 })).toBe(60);
    expect(computePriority({ value: 7, behaviour: -3 }, null, { value: 1, behaviour: 1, emotion: 0 })).toBe(50);
    expect(computePriority({ value: 1, behaviour: 1 }, null, { value: 0, behaviour: 0, emotion: 0 })).toBe(0);
  });
});

describe('route-to-skill', () => {
  const config = definition.configSchema.parse({ skill: 'billing', waitMessage: 'Please hold, {{customer.firstName}}.', timeoutSeconds: 90 });

  it('creates a prioritised handoff with a summary, then holds in the skill queue', async () => {
    const ctx = fakeContext({
      customer: { value: 0.8, behaviour: 0.2, tags: ['vip'] },
      emotion: { score: -0.6, label: 'upset', language: 'en-US' },
      holdOutcomes: ['bridged'],
      path: [{ nodeId: 'n1', type: 'incoming-call', typeLabel: 'Incoming call', port: 'next' }],
    });
    expect(await step.run(config, ctx)).toEqual({ end: 'completed' });
    expect(ctx.handoffs).toHaveLength(1);
    expect(ctx.handoffs[0]).toMatchObject({ skill: 'billing', priority: 62, urgent: false, reason: 'Asked for skill “billing”' });
    expect(ctx.handoffs[0]?.summary).toContain('Tags: vip');
    expect(ctx.handoffs[0]?.summary).toContain('Path: Incoming call [next]');
    expect(ctx.holds).toEqual([{ queue: 'billing', waitMessage: 'Please hold, Ada.', timeoutSeconds: 90, language: 'en-US' }]);
  });

  it('maps hold outcomes to the timeout port or the end of the run', async () => {
    expect(await step.run(config, fakeContext({ holdOutcomes: ['timeout'] }))).toEqual({ port: 'timeout' });
    expect(await step.run(config, fakeContext({ holdOutcomes: ['hangup'] }))).toEqual({ end: 'hangup' });
  });

  it('uses the rendered reason when given', async () => {
    const ctx = fakeContext({ holdOutcomes: ['bridged'], vars: { intent: 'refund' } });
    await step.run(definition.configSchema.parse({ ...definition.defaults, reason: 'Wants a {{vars.intent}}' }), ctx);
    expect(ctx.handoffs[0]?.reason).toBe('Wants a refund');
  });

  it('passes the requirement steps with the handoff, and none when the node sets none', async () => {
    const steps = [
      { afterSeconds: 0, skill: 'billing', minLevel: 4 },
      { afterSeconds: 30, skill: 'billing', minLevel: 1 },
      { afterSeconds: 90, skill: 'escalation', minLevel: 1, seniorOnly: true },
    ];
    const ctx = fakeContext({ holdOutcomes: ['bridged'] });
    await step.run(definition.configSchema.parse({ ...definition.defaults, skill: 'billing', requirements: steps }), ctx);
    expect(ctx.handoffs[0]?.requirements).toEqual([
      { afterSeconds: 0, skill: 'billing', minLevel: 4, seniorOnly: false },
      { afterSeconds: 30, skill: 'billing', minLevel: 1, seniorOnly: false },
      { afterSeconds: 90, skill: 'escalation', minLevel: 1, seniorOnly: true },
    ]);
    const plain = fakeContext({ holdOutcomes: ['bridged'] });
    await step.run(config, plain);
    expect(plain.handoffs[0]).not.toHaveProperty('requirements');
    // A config compiled before the field existed.
    const { requirements: _none, ...old } = config;
    const before = fakeContext({ holdOutcomes: ['bridged'] });
    await step.run(old as typeof config, before);
    expect(before.handoffs[0]).not.toHaveProperty('requirements');
  });

  it('rejects requirement steps with a level outside 1 … 5', () => {
    expect(definition.configSchema.safeParse({ skill: 's', waitMessage: 'w', requirements: [{ afterSeconds: 0, skill: 's', minLevel: 6 }] }).success).toBe(false);
    expect(definition.configSchema.parse({ skill: 's', waitMessage: 'w' }).requirements).toEqual([]);
  });

  it('rejects weights outside 0 … 1', () => {
    expect(definition.configSchema.safeParse({ skill: 's', waitMessage: 'w', weights: { value: 2, behaviour: 0, emotion: 0 } }).success).toBe(false);
  });
});
