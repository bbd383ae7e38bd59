'use client';

import { useTranslations } from 'next-intl';
import type { MetricId } from '@/server/analytics/verdict';
import type { PlanData } from './shared';

/** Before the start: the metric's current rate, and the sample and time the experiment needs. */
export function PlanSummary({ plan, metric, minimumEffect, alpha, loading = false }: { plan: PlanData | undefined; metric: MetricId; minimumEffect: number; alpha: number; loading?: boolean }) {
  const t = useTranslations('experiments.plan');
  const tm = useTranslations('experiments.metrics');
  if (!plan) return <div className="card exp-plan muted" data-testid="experiment-plan">{loading ? t('loading') : t('choose')}</div>;
  const mde = (minimumEffect * 100).toFixed(1);
  return (
    <div className="card exp-plan" data-testid="experiment-plan" aria-live="polite">
      <h3>{t('heading')}</h3>
      <p data-testid="plan-baseline">
        {plan.baseline === null
          ? t('noBaselineData', { days: plan.days })
          : t('baseline', { metric: tm(metric), rate: (plan.baseline * 100).toFixed(1), n: plan.baselineContacts, days: plan.days })}
      </p>
      {plan.plan.ok ? (
        <p data-testid="plan-sample">
          {t('sample', { mde, alpha: String(alpha), perArm: plan.plan.perArm, total: plan.plan.total })}{' '}
          {plan.plan.days === null ? t('noTraffic', { days: plan.days }) : t('duration', { days: plan.plan.days, perDay: plan.contactsPerDay.toFixed(1) })}
        </p>
      ) : (
        <p className="exp-plan-problem" data-testid="plan-sample">
          {plan.plan.reason === 'no-baseline' ? t('cannotNoBaseline') : t('cannotOutOfRange', { mde })}
        </p>
      )}
      <p className="muted">{t('note')}</p>
    </div>
  );
}
