import { describe, expect, it } from 'vitest';
import { defaultVoice, voiceFor } from './voice';

describe('voices', () => {
  it('picks a default voice per language and keeps an explicit one', () => {
    expect(defaultVoice('en-US')).toBe('Polly.Joanna');
    expect(defaultVoice('zh-CN')).toBe('Polly.Zhiyu');
    expect(voiceFor(undefined, 'zh-CN')).toBe('Polly.Zhiyu');
    expect(voiceFor('  ', 'en-US')).toBe('Polly.Joanna');
    expect(voiceFor('Polly.Matthew', 'en-US')).toBe('Polly.Matthew');
  });
});
