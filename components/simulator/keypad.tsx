'use client';

import { useTranslations } from 'next-intl';

export const KEYPAD_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const LETTERS: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

/** A phone keypad; the simulator also takes the same keys from the keyboard. */
export function Keypad({ onPress, disabled, highlight }: { onPress: (key: string) => void; disabled: boolean; highlight: boolean }) {
  const t = useTranslations('simulator');
  return (
    <div className={`sim-keypad ${highlight ? 'listening' : ''}`} role="group" aria-label={t('keypad')}>
      {KEYPAD_KEYS.map((key) => (
        <button key={key} type="button" onClick={() => onPress(key)} disabled={disabled} aria-label={t('key', { key })} data-testid={`sim-key-${key}`}>
          <span className="sim-key-digit">{key}</span>
          <span className="sim-key-letters">{LETTERS[key] ?? '\u00a0'}</span>
        </button>
      ))}
    </div>
  );
}
