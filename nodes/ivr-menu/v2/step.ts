import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { yesOrNo } from '@/nodes/shared/match';
import { runMenu } from '../common';
import type { definition } from './definition';

const CONFIRM_HINTS = ['yes', 'no', '是', '不是', '对', '不对'];

export const step = defineStep<ConfigOf<typeof definition>>((config, ctx) =>
  runMenu(config, ctx, async (digit, voice) => {
    const question = config.options.find((option) => option.digit === digit)?.confirm ?? '';
    if (question === '') return true;
    const answer = await ctx.ask(voice.ask(voice.speak(ctx.render(question)), CONFIRM_HINTS));
    return answer !== null && yesOrNo(answer) === 'yes';
  }),
);
