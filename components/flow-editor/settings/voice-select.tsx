'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { Language } from '@/nodes/sdk';
import { LANGUAGES } from '@/nodes/shared/fields';
import { defaultVoice, VOICES } from '@/nodes/shared/voice';

// The choice that reveals the text box; never a voice name (those have no spaces).
const OTHER = 'other voice';

/**
 * A text-to-speech voice: empty for the language's default, one of the voices known for the
 * language, or any other voice typed in (kept and shown as typed, even when the language changes).
 */
export function VoiceSelect({ value, onChange, language, id }: { value: string; onChange(value: string | undefined): void; language: Language | undefined; id?: string }) {
  const t = useTranslations('editor');
  const known: readonly string[] = language ? VOICES[language] : LANGUAGES.flatMap((l) => VOICES[l]);
  const [typing, setTyping] = useState(false);
  const other = typing || (value !== '' && !known.includes(value));
  return (
    <div className="voice-select">
      <select
        id={id}
        value={other ? OTHER : value}
        onChange={(e) => {
          const choice = e.target.value;
          setTyping(choice === OTHER);
          if (choice !== OTHER) onChange(choice === '' ? undefined : choice);
        }}
      >
        <option value="">{language ? t('defaultVoice', { voice: defaultVoice(language) }) : t('defaultVoiceOfLanguage')}</option>
        {known.map((voice) => (
          <option key={voice} value={voice}>
            {voice}
          </option>
        ))}
        <option value={OTHER}>{t('otherVoice')}</option>
      </select>
      {other && (
        <input
          type="text"
          aria-label={t('voiceName')}
          placeholder="Polly.Amy"
          maxLength={64}
          value={value}
          onChange={(e) => {
            // Emptying the box keeps it open: the designer is typing a voice, not picking the default.
            setTyping(true);
            onChange(e.target.value === '' ? undefined : e.target.value);
          }}
        />
      )}
    </div>
  );
}
