import type { Language } from '@/nodes/sdk';

/**
 * The text-to-speech voices Twilio's `<Say>` offers per language (Amazon Polly and Google), the
 * language's default first. The settings form offers these; a node may still name any other voice.
 */
export const VOICES = {
  'en-US': ['Polly.Joanna', 'Polly.Joanna-Neural', 'Polly.Matthew', 'Polly.Matthew-Neural', 'Polly.Salli', 'Polly.Kendra', 'Polly.Kimberly', 'Polly.Joey', 'Polly.Ivy', 'Polly.Justin'],
  'zh-CN': ['Polly.Zhiyu', 'Polly.Zhiyu-Neural', 'Google.cmn-CN-Standard-A', 'Google.cmn-CN-Standard-B', 'Google.cmn-CN-Standard-C', 'Google.cmn-CN-Standard-D'],
} as const satisfies Record<Language, readonly [string, ...string[]]>;

/** The voice used when a node leaves its voice empty. */
export function defaultVoice(language: Language): string {
  return VOICES[language][0];
}

export function voiceFor(voice: string | undefined, language: Language): string {
  return voice !== undefined && voice.trim() !== '' ? voice.trim() : defaultVoice(language);
}
