import { describe, expect, it } from 'vitest';
import type { EmotionResult } from '@/nodes/sdk';
import { fakeContext, input } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

const fixed = (score: number) => (): EmotionResult => ({ score, label: 'neutral', language: 'en-US' });
const defaults = definition.configSchema.parse({});

describe('emotion-check', () => {
  it('scores the latest input and branches on the node thresholds', async () => {
    const upset = fakeContext({ lastInput: input('this is ridiculous'), scoreEmotion: fixed(-0.5) });
    expect(await step.run(defaults, upset)).toEqual({ port: 'upset' });
    expect(upset.scored).toEqual(['this is ridiculous']);

    expect(await step.run(defaults, fakeContext({ lastInput: input('ok'), scoreEmotion: fixed(0) }))).toEqual({ port: 'neutral' });
    expect(await step.run(defaults, fakeContext({ lastInput: input('great'), scoreEmotion: fixed(0.6) }))).toEqual({ port: 'positive' });

    const strict = definition.configSchema.parse({ upsetBelow: -0.7, positiveAbove: 0.9 });
    expect(await step.run(strict, fakeContext({ lastInput: input('meh'), scoreEmotion: fixed(-0.5) }))).toEqual({ port: 'neutral' });
  });

  it('is neutral without scoring when the caller has said nothing', async () => {
    const ctx = fakeContext({ lastInput: null });
    expect(await step.run(defaults, ctx)).toEqual({ port: 'neutral' });
    expect(ctx.scored).toEqual([]);
  });

  it('works end to end with the built-in scorer', async () => {
    const ctx = fakeContext({ lastInput: input('你们的服务太差了，我非常生气，我要投诉！', 'speech') });
    expect(await step.run(defaults, ctx)).toEqual({ port: 'upset' });
  });

  it('requires upsetBelow < positiveAbove', () => {
    const result = definition.configSchema.safeParse({ upsetBelow: 0.5, positiveAbove: 0.2 });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['positiveAbove']]);
  });
});
