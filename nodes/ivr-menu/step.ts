import type { AskSpec, Utterance } from '@/nodes/sdk';
import { defineStep } from '@/nodes/sdk';
import { matchOption } from '@/nodes/shared/match';
import { voiceFor } from '@/nodes/shared/voice';
import type { InputMode } from './definition';
import { definition, optionPort } from './definition';

/** Seconds of silence after each sentence for callers tagged to hear a slower menu. */
const SLOW_PAUSE_SECONDS = 1;

export const step = defineStep(definition, async (config, ctx) => {
  const override = config.tagOverrides.find((candidate) => ctx.customer.tags.includes(candidate.tag));
  const skip = override?.skipToDigit;
  if (skip !== undefined && config.options.some((option) => option.digit === skip)) return { port: optionPort(skip) };

  const voice = voiceFor(config.voice, config.language);
  const slow = override?.slow ?? false;
  const speak = (text: string): Utterance[] =>
    slow
      ? sentences(text).map((sentence) => ({ text: sentence, voice, language: config.language, pauseAfter: SLOW_PAUSE_SECONDS }))
      : [{ text, voice, language: config.language }];

  const prompt = ctx.render(override?.prompt !== undefined && override.prompt !== '' ? override.prompt : config.prompt);
  const usesKeypad = config.input !== 'speech';
  const usesSpeech = config.input !== 'dtmf';
  const hints = usesSpeech ? config.options.flatMap((option) => [option.label, ...option.keywords]) : undefined;

  let failure: 'timeout' | 'invalid' = 'timeout';
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    const spec: AskSpec = {
      prompt: attempt === 0 ? speak(prompt) : [...speak(ctx.render(config.rePrompt)), ...speak(prompt)],
      input: askInput(config.input),
      timeoutSeconds: config.timeoutSeconds,
      language: config.language,
      // One key is a whole answer, and '#' may be an option rather than a terminator.
      ...(usesKeypad ? { numDigits: 1, finishOnKey: '' } : {}),
      ...(hints !== undefined ? { hints } : {}),
    };
    const answer = await ctx.ask(spec);
    if (answer === null || answer.text.trim() === '') {
      failure = 'timeout';
      continue;
    }
    const digit = matchOption(answer, config.options);
    if (digit !== null) return { port: optionPort(digit) };
    failure = 'invalid';
  }
  return { port: failure };
});

function askInput(mode: InputMode): AskSpec['input'] {
  switch (mode) {
    case 'dtmf':
      return 'dtmf';
    case 'speech':
      return 'speech';
    case 'both':
      return 'dtmf speech';
    default: {
      const unknown: never = mode;
      throw new Error(`unknown input mode ${String(unknown)}`);
    }
  }
}

/** Splits text after sentence-ending punctuation (English and Chinese), keeping the punctuation. */
function sentences(text: string): string[] {
  const parts = text.match(/[^.!?。！？；;]+[.!?。！？；;]*/g) ?? [];
  const trimmed = parts.map((part) => part.trim()).filter((part) => part !== '');
  return trimmed.length > 0 ? trimmed : [text];
}
