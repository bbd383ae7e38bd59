import type { Language } from '@/nodes/sdk';

/** The voice used when a node leaves its voice empty. */
export function defaultVoice(language: Language): string {
  switch (language) {
    case 'en-US':
      return 'Polly.Joanna';
    case 'zh-CN':
      return 'Polly.Zhiyu';
    default: {
      const unknown: never = language;
      throw new Error(`no default voice for ${String(unknown)}`);
    }
  }
}

export function voiceFor(voice: string | undefined, language: Language): string {
  return voice !== undefined && voice.trim() !== '' ? voice.trim() : defaultVoice(language);
}
