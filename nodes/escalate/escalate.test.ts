import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

const upsetCaller = {
  emotion: { score: -0.8, label: 'upset', language: 'en-US' } as const,
  customer: { tags: ['gold'] },
  path: [
    { nodeId: 'n1', type: 'incoming-call', typeLabel: 'Incoming call', port: 'next' },
    { nodeId: 'n2', type: 'collect-input', typeLabel: 'Collect input', port: 'collected', input: 'my router is broken again' },
  ],
};

describe('escalate', () => {
  it('queues an urgent top-priority handoff with a written summary and holds the caller', async () => {
    const ctx = fakeContext({ ...upsetCaller, holdOutcomes: ['timeout'] });
    const config = definition.configSchema.parse({ reason: 'Caller is {{emotion.label}}', message: 'Connecting you now.' });
    expect(await step.run(config, ctx)).toEqual({ end: 'escalated' });
    expect(ctx.handoffs).toHaveLength(1);
    expect(ctx.handoffs[0]).toMatchObject({ skill: 'escalation', priority: 100, urgent: true, reason: 'Caller is upset' });
    expect(ctx.handoffs[0]?.summary).toContain('Emotion: upset (-0.80)');
    expect(ctx.handoffs[0]?.summary).toContain('Collect input: "my router is broken again"');
    expect(ctx.holds).toEqual([{ queue: 'escalation', waitMessage: 'Connecting you now.', timeoutSeconds: 3600, language: 'en-US' }]);
    expect(ctx.dials).toEqual([]);
  });

  it('dials a number after telling the caller', async () => {
    const ctx = fakeContext(upsetCaller);
    const config = definition.configSchema.parse({ ...definition.defaults, target: { kind: 'dial', number: '+14155550100' }, message: 'One moment.' });
    expect(await step.run(config, ctx)).toEqual({ end: 'escalated' });
    expect(ctx.says.map((said) => said.text)).toEqual(['One moment.']);
    expect(ctx.dials).toEqual(['+14155550100']);
    expect(ctx.holds).toEqual([]);
    // Connected to a number, not queued for the inbox: no agent is offered a call that is gone.
    expect(ctx.handoffs).toEqual([]);
  });

  it('on SMS with a number to dial, queues the conversation for the senior agents instead', async () => {
    const ctx = fakeContext({ ...upsetCaller, channel: 'sms' });
    const config = definition.configSchema.parse({ ...definition.defaults, target: { kind: 'dial', number: '+14155550100' }, message: 'One moment.' });
    expect(await step.run(config, ctx)).toEqual({ end: 'escalated' });
    expect(ctx.dials).toEqual([]);
    expect(ctx.handoffs).toHaveLength(1);
    expect(ctx.handoffs[0]).toMatchObject({ skill: 'escalation', urgent: true });
  });

  it('on SMS texts the message and ends without holding or dialling', async () => {
    const ctx = fakeContext({ ...upsetCaller, channel: 'sms' });
    expect(await step.run(definition.configSchema.parse(definition.defaults), ctx)).toEqual({ end: 'escalated' });
    expect(ctx.says.map((said) => said.text)).toEqual(["I'm sorry for the trouble. I'm connecting you to a senior agent now."]);
    expect(ctx.holds).toEqual([]);
    expect(ctx.dials).toEqual([]);
    expect(ctx.handoffs).toHaveLength(1);
  });

  it('rejects a dial target that is not E.164', () => {
    const result = definition.configSchema.safeParse({ ...definition.defaults, target: { kind: 'dial', number: '555-0100' } });
    expect(result.success).toBe(false);
  });

  it('has no output ports', () => {
    expect(definition.ports(definition.configSchema.parse(definition.defaults))).toEqual([]);
  });
});
