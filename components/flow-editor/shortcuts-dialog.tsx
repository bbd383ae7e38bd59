'use client';

import { useTranslations } from 'next-intl';
import { useSyncExternalStore } from 'react';
import { Modal } from './modal';
import { displayKeys, SHORTCUTS } from './shortcuts';

const subscribe = () => () => {};
const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** The cheat sheet (press ?). */
export function ShortcutsList() {
  const t = useTranslations('editor');
  const mac = useSyncExternalStore(subscribe, isMac, () => false);
  return (
    <table className="shortcuts" data-testid="shortcuts">
      <tbody>
        {SHORTCUTS.map((s) => (
          <tr key={s.action}>
            <td>{t(`shortcut.${s.action}`)}</td>
            <td>
              {s.keys.map((k) => (
                <kbd key={k}>{displayKeys(k, mac)}</kbd>
              ))}
            </td>
          </tr>
        ))}
        <tr>
          <td>{t('shortcut.multiSelect')}</td>
          <td>
            <kbd>Shift</kbd> + {t('shortcut.dragOrClick')}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const t = useTranslations('editor');
  return (
    <Modal title={t('shortcutsTitle')} onClose={onClose} testId="shortcuts-dialog">
      <ShortcutsList />
    </Modal>
  );
}
