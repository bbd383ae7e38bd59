import type { AskSpec, StepContext, StepResult, Utterance } from '@/nodes/sdk';
import { matchOption } from '@/nodes/shared/match';
import { voiceFor } from '@/nodes/shared/voice';

/** What every version of the menu shares on the workflow side: zod-free, deterministic. */

export const INPUT_MODES = ['dtmf', 'speech', 'both'] as const;
export type InputMode = (typeof INPUT_MODES)[number];

export function optionPort(digit: string): string {
  return `option-${digit}`;
}

/** Seconds of silence after each sentence for callers tagged to hear a slower menu. */
const SLOW_PAUSE_SECONDS = 1;

/** The part of a menu config the shared loop reads (every version's config has it). */
export interface MenuConfig {
  prompt: string;
  options: readonly { digit: string; label: string; keywords: readonly string[] }[];
  input: InputMode;
  timeoutSeconds: number;
  retries: number;
  rePrompt: string;
  language: 'en-US' | 'zh-CN';
  voice?: string | undefined;
  tagOverrides: readonly { tag: string; prompt?: string | undefined; slow: boolean; skipToDigit?: string | undefined }[];
}

/** How a version reads a prompt to the caller (slowly for some) and asks with the menu's settings. */
export interface MenuVoice {
  speak(text: string): Utterance[];
  /** The menu's ask settings; `hints` replaces the options' words as speech hints. */
  ask(prompt: Utterance[], hints?: string[]): AskSpec;
}

/**
 * Reads the menu, retries on silence or an unknown answer, and leaves by the chosen option.
 * `confirm` (v2) may send the caller back to the menu after they picked an option; that costs an
 * attempt like any other failed one.
 */
export async function runMenu(config: MenuConfig, ctx: StepContext, confirm?: (digit: string, voice: MenuVoice) => Promise<boolean>): Promise<StepResult> {
  const override = config.tagOverrides.find((candidate) => ctx.customer.tags.includes(candidate.tag));
  const skip = override?.skipToDigit;
  if (skip !== undefined && config.options.some((option) => option.digit === skip)) return { port: optionPort(skip) };

  const voiceName = voiceFor(config.voice, config.language);
  const slow = override?.slow ?? false;
  const speak = (text: string): Utterance[] =>
    slow
      ? sentences(text).map((sentence) => ({ text: sentence, voice: voiceName, language: config.language, pauseAfter: SLOW_PAUSE_SECONDS }))
      : [{ text, voice: voiceName, language: config.language }];

  const prompt = ctx.render(override?.prompt !== undefined && override.prompt !== '' ? override.prompt : config.prompt);
  const usesKeypad = config.input !== 'speech';
  const usesSpeech = config.input !== 'dtmf';
  const hints = usesSpeech ? config.options.flatMap((option) => [option.label, ...option.keywords]) : undefined;
  const voice: MenuVoice = {
    speak,
    ask: (utterances, askHints = hints) => ({
      prompt: utterances,
      input: askInput(config.input),
      timeoutSeconds: config.timeoutSeconds,
      language: config.language,
      // One key is a whole answer, and '#' may be an option rather than a terminator.
      ...(usesKeypad ? { numDigits: 1, finishOnKey: '' } : {}),
      ...(usesSpeech && askHints !== undefined ? { hints: askHints } : {}),
    }),
  };

  let failure: 'timeout' | 'invalid' = 'timeout';
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    const answer = await ctx.ask(voice.ask(attempt === 0 ? speak(prompt) : [...speak(ctx.render(config.rePrompt)), ...speak(prompt)]));
    if (answer === null || answer.text.trim() === '') {
      failure = 'timeout';
      continue;
    }
    const digit = matchOption(answer, config.options);
    if (digit === null) {
      failure = 'invalid';
      continue;
    }
    if (confirm === undefined || (await confirm(digit, voice))) return { port: optionPort(digit) };
    failure = 'invalid';
  }
  return { port: failure };
}

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
