'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { formatKpiValue, type Kpi, type KpiId } from '@/server/analytics/kpis';
import { kpiDifference } from './kpi-format';

export interface GroupRow {
  key: string;
  kpis: readonly Kpi[];
}

/** The columns of a breakdown: the KPIs a manager compares across groups. */
const COLUMNS: readonly KpiId[] = ['contacts', 'containment', 'handoffRate', 'serviceLevel', 'abandonment', 'asa', 'fcr', 'csat'];

/** A figure in a table cell: its value, and ✓ / ✗ against the target (as text, not colour alone). */
export function KpiCell({ kpi }: { kpi: Kpi | undefined }) {
  const t = useTranslations('performance');
  const locale = useLocale();
  if (!kpi) return <td>—</td>;
  return (
    <td className={`kpi-cell kpi-${kpi.status}`} title={kpi.unit === 'count' ? undefined : `${kpi.numerator.toLocaleString(locale, { maximumFractionDigits: 1 })} ÷ ${kpi.denominator.toLocaleString(locale)}`}>
      {formatKpiValue(kpi, locale)}
      {kpi.status !== 'none' && (
        <span className="kpi-mark" aria-label={t(`status.${kpi.status}`)} title={t(`status.${kpi.status}`)}>
          {kpi.status === 'good' ? ' ✓' : ' ✗'}
        </span>
      )}
    </td>
  );
}

export function BreakdownTable({
  title,
  rows,
  label,
  testId,
  note,
  state,
}: {
  title: string;
  rows: readonly GroupRow[];
  label: (key: string) => string;
  testId: string;
  note?: string;
  /** For a table asked for apart from the page: still counting, or why it could not. */
  state?: { loading: boolean; error?: string };
}) {
  const t = useTranslations('performance');
  return (
    <div className="perf-breakdown">
      <table className="perf-table" data-testid={testId} aria-busy={state?.loading}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('breakdown.group')}</th>
            {COLUMNS.map((id) => (
              <th key={id} scope="col">
                {t(`kpi.${id}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(rows.length === 0 || state?.error) && (
            <tr>
              <td colSpan={COLUMNS.length + 1} className={state?.error ? 'error' : 'muted'} role={state?.loading || state?.error ? 'status' : undefined}>
                {state?.error ? t('loadFailed', { message: state.error }) : state?.loading ? t('loading') : t('breakdown.none')}
              </td>
            </tr>
          )}
          {rows.map((row) => {
            const byId = new Map(row.kpis.map((k) => [k.id, k]));
            return (
              <tr key={row.key}>
                <th scope="row">{label(row.key)}</th>
                {COLUMNS.map((id) => (
                  <KpiCell key={id} kpi={byId.get(id)} />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {note && <p className="muted">{note}</p>}
    </div>
  );
}

/** Two versions' KPIs side by side, with B − A marked better or worse. */
export function CompareVersions({ rows, label }: { rows: readonly GroupRow[]; label: (key: string) => string }) {
  const t = useTranslations('performance');
  const locale = useLocale();
  const keys = rows.map((r) => r.key);
  const [pickedA, setA] = useState<string>();
  const [pickedB, setB] = useState<string>();
  // Defaults: the newest version against the one before it (rows come newest first).
  const a = pickedA !== undefined && keys.includes(pickedA) ? pickedA : (keys[1] ?? keys[0]);
  const b = pickedB !== undefined && keys.includes(pickedB) ? pickedB : keys[0];
  const rowA = rows.find((r) => r.key === a);
  const rowB = rows.find((r) => r.key === b);
  const select = (id: string, text: string, value: string | undefined, onChange: (v: string) => void, testId: string) => (
    <label>
      <span>{text}</span>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {keys.map((key) => (
          <option key={key} value={key}>
            {label(key)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="perf-section" aria-labelledby="perf-compare-title" data-testid="performance-compare">
      <h2 id="perf-compare-title">{t('compare.title')}</h2>
      {keys.length < 2 ? (
        <p className="muted">{t('compare.needTwo')}</p>
      ) : (
        <>
          <form className="perf-controls" method="post" onSubmit={(e) => e.preventDefault()} aria-label={t('compare.title')}>
            {select('compare-a', t('compare.a'), a, setA, 'compare-a')}
            {select('compare-b', t('compare.b'), b, setB, 'compare-b')}
          </form>
          <table className="perf-table">
            <thead>
              <tr>
                <th scope="col">{t('compare.kpi')}</th>
                <th scope="col">{a !== undefined && label(a)}</th>
                <th scope="col">{b !== undefined && label(b)}</th>
                <th scope="col">{t('compare.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {rowA?.kpis.map((kpiA) => {
                const kpiB = rowB?.kpis.find((k) => k.id === kpiA.id);
                const diff = kpiB ? kpiDifference(kpiA, kpiB, locale) : { text: '—', change: null };
                return (
                  <tr key={kpiA.id} data-testid={`compare-${kpiA.id}`}>
                    <th scope="row">{t(`kpi.${kpiA.id}`)}</th>
                    <KpiCell kpi={kpiA} />
                    <KpiCell kpi={kpiB} />
                    <td className={`kpi-diff ${diff.change ? `kpi-diff-${diff.change}` : ''}`}>
                      {diff.text}
                      {diff.change && diff.change !== 'same' && <span className="kpi-diff-word"> · {t(`compare.${diff.change}`)}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
