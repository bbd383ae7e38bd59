'use client';

import { useTranslations } from 'next-intl';

/** The shortcut keys, by what they do; `?` opens this. */
export const SHORTCUTS = [
  ['A / Enter', 'accept'],
  ['D / Esc', 'decline'],
  ['J / K', 'next'],
  ['R', 'reply'],
  ['Ctrl/⌘ + Enter', 'send'],
  ['Alt + 1…9', 'script'],
  ['N', 'note'],
  ['T', 'transfer'],
  ['W', 'resolve'],
  ['P', 'presence'],
  ['?', 'help'],
] as const;

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const t = useTranslations('inbox.help');
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="inbox-help-title" data-testid="inbox-help" onClick={(e) => e.stopPropagation()}>
        <header>
          <h2 id="inbox-help-title">{t('title')}</h2>
          <button type="button" onClick={onClose} aria-label={t('close')}>
            ×
          </button>
        </header>
        <div className="modal-body">
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={what}>
                  <td>
                    {keys.split(' / ').map((k) => (
                      <kbd key={k}>{k}</kbd>
                    ))}
                  </td>
                  <td>{t(what)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
