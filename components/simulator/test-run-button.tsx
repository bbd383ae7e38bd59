'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';

/**
 * "Test" on the canvas: opens the simulator on this flow's current draft, which runs as a test run
 * (not published, kept out of performance figures). Save the draft first: the run compiles what is
 * stored, so `beforeOpen` may save and resolve false to stay on the canvas.
 */
export function TestRunButton({ flowId, disabled, className = 'button', beforeOpen }: { flowId: string; disabled?: boolean; className?: string; beforeOpen?: () => Promise<boolean> | boolean }) {
  const t = useTranslations('simulator');
  const router = useRouter();
  const href = `/simulator?flow=${encodeURIComponent(flowId)}`;
  if (disabled) {
    return (
      <button type="button" className={className} disabled title={t('testRunHint')}>
        {t('testRun')}
      </button>
    );
  }
  return (
    <Link
      href={href}
      className={className}
      title={t('testRunHint')}
      data-testid="test-run"
      onClick={async (event) => {
        if (!beforeOpen) return;
        event.preventDefault();
        if (await beforeOpen()) router.push(href);
      }}
    >
      {t('testRun')}
    </Link>
  );
}
