'use client';

import { useTranslations } from 'next-intl';
import type { MetricId, Reading } from '@/server/analytics/verdict';
import { points, pValue } from './shared';

export interface VerdictPanelProps {
  reading: Pick<Reading, 'verdict' | 'srm' | 'primary'>;
  /** In declared order; the first is the control. */
  variants: { id: string; name: string; version: number }[];
  metric: MetricId;
  /** Finished experiments show their final verdict. */
  finished?: boolean;
}

/** What may be said about the experiment now: broken split, not yet, a winner, the control, or no difference. */
export function VerdictPanel({ reading, variants, metric, finished = false }: VerdictPanelProps) {
  const t = useTranslations('experiments.verdict');
  const tm = useTranslations('experiments.metrics');
  const { verdict } = reading;
  const control = variants[0];
  const named = (id: string) => variants.find((v) => v.id === id);
  const metricName = tm(metric);

  let tone = 'info';
  let title: string;
  let body: string | null = null;
  switch (verdict.kind) {
    case 'srm':
      tone = 'bad';
      title = t('srmTitle');
      body = t('srmBody', { p: pValue(reading.srm.pValue), chiSquare: reading.srm.chiSquare.toFixed(2) });
      break;
    case 'not-ready': {
      tone = 'muted';
      const days = Number.isFinite(verdict.moreDays) ? verdict.moreDays : null;
      title = days === null ? t('notReadyNoTraffic', { contacts: verdict.moreContacts }) : t('notReady', { contacts: verdict.moreContacts, days });
      body = t('notReadyBody');
      break;
    }
    case 'winner': {
      tone = 'ok';
      const winner = named(verdict.variantId);
      const comparison = reading.primary.find((c) => c.variantId === verdict.variantId);
      title = t('winner', { name: winner?.name ?? '?', version: winner?.version ?? 0 });
      body = comparison ? t('winnerBody', { metric: metricName, difference: points(comparison.difference), control: control?.name ?? 'A', p: pValue(comparison.pValue) }) : null;
      break;
    }
    case 'control-wins':
      tone = 'warn';
      title = t('controlWins', { name: control?.name ?? 'A', version: control?.version ?? 0 });
      body = t('controlWinsBody', { metric: metricName });
      break;
    case 'no-difference':
      title = t('noDifference');
      body = t('noDifferenceBody', { metric: metricName, control: control?.name ?? 'A' });
      break;
  }

  return (
    <section className={`card exp-verdict tone-${tone}`} data-testid="experiment-verdict" data-kind={verdict.kind}>
      <h2>{finished ? t('finalHeading') : t('heading')}</h2>
      <p className="exp-verdict-title">{title}</p>
      {body && <p>{body}</p>}
      <p className="muted">{t('statsNote')}</p>
    </section>
  );
}
