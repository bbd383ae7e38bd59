'use client';

import { useTranslations } from 'next-intl';

const TONE: Record<string, string> = { running: 'run', completed: 'ok', escalated: 'warn', abandoned: 'muted', failed: 'bad' };

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('executions');
  return <span className={`exec-badge tone-${TONE[status] ?? 'muted'}`}>{t(`statusLabel.${status as 'running'}`)}</span>;
}

/** 850 ms, 12.3 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
