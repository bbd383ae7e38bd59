'use client';

import { useLocale, useTranslations } from 'next-intl';
import { formatKpiValue, type Kpi, type KpiSettings } from '@/server/analytics/kpis';
import { formatTarget, formulaValues } from './kpi-format';
import './performance.css';

/** One KPI: its value, what it divides, its target and status, and how it is counted. */
export function KpiCard({ kpi, settings }: { kpi: Kpi; settings: KpiSettings }) {
  const t = useTranslations('performance');
  const locale = useLocale();
  const number = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  const ratio = kpi.unit === 'rate' ? 'rate' : kpi.unit === 'seconds' ? 'seconds' : 'score';
  return (
    <article className={`kpi-card kpi-${kpi.status}`} data-testid={`kpi-${kpi.id}`} data-status={kpi.status} aria-labelledby={`kpi-title-${kpi.id}`}>
      <h3 id={`kpi-title-${kpi.id}`}>{t(`kpi.${kpi.id}`)}</h3>
      <p className="kpi-value">{formatKpiValue(kpi, locale)}</p>
      {kpi.unit !== 'count' && <p className="kpi-ratio">{t(`ratio.${ratio}`, { numerator: number(kpi.numerator), denominator: number(kpi.denominator) })}</p>}
      {(kpi.target !== null || kpi.status !== 'none') && (
        <p className="kpi-target">
          {kpi.target !== null && kpi.better !== null && <span>{t(`target.${kpi.better}`, { target: formatTarget(kpi, locale) })}</span>}
          {kpi.status !== 'none' && (
            <span className={`kpi-status kpi-status-${kpi.status}`} data-testid={`kpi-status-${kpi.id}`}>
              <span aria-hidden>{kpi.status === 'good' ? '✓' : '✗'}</span> {t(`status.${kpi.status}`)}
            </span>
          )}
        </p>
      )}
      <p className="kpi-formula" data-testid={`kpi-formula-${kpi.id}`}>
        {t(`formula.${kpi.id}`, formulaValues(settings))}
      </p>
    </article>
  );
}

export function KpiCards({ kpis, settings }: { kpis: readonly Kpi[]; settings: KpiSettings }) {
  return (
    <div className="kpi-cards" data-testid="kpi-cards">
      {kpis.map((kpi) => (
        <KpiCard key={kpi.id} kpi={kpi} settings={settings} />
      ))}
    </div>
  );
}
