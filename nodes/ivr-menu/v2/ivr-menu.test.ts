import { describe, expect, it } from 'vitest';
import { upgradeFor } from '@/nodes/registry';
import { fakeContext, input } from '@/nodes/testing/fake-context';
import { definition as v1 } from '../v1/definition';
import { definition } from './definition';
import { step } from './step';

const base = {
  prompt: 'For billing press 1. For support press 2.',
  options: [
    { digit: '1', label: 'Billing', keywords: ['billing'], confirm: 'You chose billing. Press 1 if that is right, or 2 to choose again.' },
    { digit: '2', label: 'Support', keywords: ['support'] },
  ],
};
const parse = (extra: Record<string, unknown> = {}) => definition.configSchema.parse({ ...base, ...extra });

describe('ivr-menu v2', () => {
  it('asks an option its confirmation and leaves by it on a yes', async () => {
    const ctx = fakeContext({ answers: [input('1', 'digits'), input('1', 'digits')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-1' });
    expect(ctx.asks.map((ask) => ask.prompt.map((utterance) => utterance.text).join(' '))).toEqual([
      'For billing press 1. For support press 2.',
      'You chose billing. Press 1 if that is right, or 2 to choose again.',
    ]);
    expect(ctx.asks[1]).toMatchObject({ numDigits: 1, hints: ['yes', 'no', '是', '不是', '对', '不对'] });
  });

  it('reads the menu again after a no, and that costs an attempt', async () => {
    const ctx = fakeContext({ answers: [input('billing'), input('no, wrong one'), input('support')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-2' });
    expect(ctx.asks).toHaveLength(3);
    expect(ctx.asks[2]?.prompt[0]?.text).toBe("Sorry, I didn't get that.");

    const stubborn = fakeContext({ answers: [input('1', 'digits'), input('2', 'digits')] });
    expect(await step.run(parse({ retries: 0 }), stubborn)).toEqual({ port: 'invalid' });
  });

  it('treats silence or an unclear answer to the confirmation as not confirmed', async () => {
    const ctx = fakeContext({ answers: [input('1', 'digits'), null, input('1', 'digits'), input('是的')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-1' });
    expect(ctx.asks).toHaveLength(4);
  });

  it('asks nothing more for an option without a confirmation, like v1', async () => {
    const ctx = fakeContext({ answers: [input('2', 'digits')] });
    expect(await step.run(parse(), ctx)).toEqual({ port: 'option-2' });
    expect(ctx.asks).toHaveLength(1);
  });

  it('upgrades a v1 node: same options and settings, nothing to confirm', () => {
    const saved = { ...base, options: base.options.map(({ digit, label, keywords }) => ({ digit, label, keywords })), retries: 1, tagOverrides: [{ tag: 'vip', skipToDigit: '2' }] };
    const offer = upgradeFor('ivr-menu', 1);
    expect(offer?.to).toBe(definition);
    const migrated = definition.configSchema.parse(offer?.migrate(saved));
    expect(migrated.options).toEqual([
      { digit: '1', label: 'Billing', keywords: ['billing'], confirm: '' },
      { digit: '2', label: 'Support', keywords: ['support'], confirm: '' },
    ]);
    expect(migrated.retries).toBe(1);
    expect(migrated.tagOverrides).toEqual([{ tag: 'vip', skipToDigit: '2', slow: false }]);
    expect(definition.ports(migrated)).toEqual(v1.ports(v1.configSchema.parse(saved)));
    expect(upgradeFor('ivr-menu', 2)).toBeUndefined();
    expect(() => offer?.migrate({ options: [] })).toThrow();
  });
});
