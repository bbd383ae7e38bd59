'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatKpiValue, type Kpi, type KpiId, type KpiSettings } from '@/server/analytics/kpis';

export type Bucket = 'hour' | 'day';

/** A bucket's start as the server keys it ('YYYY-MM-DDTHH:MM', wall time in the viewer's zone). */
const wallKey = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const wallOf = (date: Date, bucket: Bucket | 'minute') =>
  Date.UTC(date.getFullYear(), date.getMonth(), date.getDate(), bucket === 'day' ? 0 : date.getHours(), bucket === 'minute' ? date.getMinutes() : 0);

/** Every bucket from `from` up to `to` (at most `limit`), so a quiet hour or day shows as one. */
export function bucketKeys(from: Date, to: Date, bucket: Bucket, limit = 2000): string[] {
  const step = bucket === 'day' ? 86_400_000 : 3_600_000;
  const keys: string[] = [];
  for (let t = wallOf(from, bucket), end = wallOf(to, 'minute'); t < end && keys.length < limit; t += step) keys.push(wallKey(t));
  return keys;
}

const LINES = [
  { id: 'containment', color: '#2f6fed', labelAt: 'insideTopRight' },
  { id: 'serviceLevel', color: '#1f8a4c', labelAt: 'insideTopLeft' },
  { id: 'fcr', color: '#b7791f', labelAt: 'insideBottomRight' },
] as const satisfies readonly { id: KpiId; color: string; labelAt: string }[];

type Row = { key: string; label: string; contacts: number } & Partial<Record<KpiId, number | null>>;

export interface PerformanceChartProps {
  series: readonly { key: string; kpis: readonly Kpi[] }[];
  settings: KpiSettings;
  from: Date;
  to: Date;
  bucket: Bucket;
}

/** Contacts per bucket as bars; containment, service level and FCR as percent lines; CSAT; each with its target. */
export function PerformanceChart({ series, settings, from, to, bucket }: PerformanceChartProps) {
  const t = useTranslations('performance');
  const locale = useLocale();
  const rows = useMemo(() => {
    const byKey = new Map(series.map((s) => [s.key, s.kpis]));
    const keys = [...new Set([...bucketKeys(from, to, bucket), ...byKey.keys()])].sort();
    const label = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric', ...(bucket === 'hour' && { hour: '2-digit', minute: '2-digit' }) });
    return keys.map((key): Row => {
      const kpis = new Map((byKey.get(key) ?? []).map((k) => [k.id, k]));
      const rate = (id: KpiId) => (kpis.get(id)?.value == null ? null : Number((kpis.get(id)!.value! * 100).toFixed(2)));
      return {
        key,
        label: label.format(new Date(`${key}:00Z`)),
        contacts: kpis.get('contacts')?.value ?? 0,
        containment: rate('containment'),
        serviceLevel: rate('serviceLevel'),
        fcr: rate('fcr'),
        csat: kpis.get('csat')?.value ?? null,
      };
    });
  }, [series, from, to, bucket, locale]);

  const percent = (value: unknown) => (typeof value === 'number' ? `${value.toLocaleString(locale, { maximumFractionDigits: 1 })} %` : '—');
  const score = (value: unknown) => (typeof value === 'number' ? formatKpiValue({ unit: 'score', value }, locale) : '—');
  const targets: Record<(typeof LINES)[number]['id'], number> = { containment: settings.containmentTarget, serviceLevel: settings.serviceLevelTarget, fcr: settings.fcrTarget };
  const xAxis = <XAxis dataKey="label" minTickGap={24} tick={{ fontSize: 11 }} label={{ value: t(`chart.axis.${bucket}`), position: 'insideBottom', offset: -14, fontSize: 12 }} />;
  const margin = { top: 10, right: 20, bottom: 26, left: 10 };

  return (
    <section className="perf-section" data-testid="performance-chart" aria-labelledby="perf-chart-title">
      <h2 id="perf-chart-title">{t('chart.title')}</h2>
      <div className="perf-charts">
        <figure className="perf-figure">
          <figcaption>{t(`chart.contacts.${bucket}`)}</figcaption>
          <ResponsiveContainer width="100%" height={230}>
            <BarChart data={rows} margin={margin}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              {xAxis}
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} label={{ value: t('chart.axis.contacts'), angle: -90, position: 'insideLeft', fontSize: 12 }} />
              <Tooltip />
              <Bar dataKey="contacts" name={t('kpi.contacts')} fill="#6d8fd6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <figure className="perf-figure">
          <figcaption>{t('chart.rates')}</figcaption>
          <ResponsiveContainer width="100%" height={230}>
            <LineChart data={rows} margin={margin}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              {xAxis}
              <YAxis domain={[0, 100]} unit=" %" tick={{ fontSize: 11 }} label={{ value: t('chart.axis.percent'), angle: -90, position: 'insideLeft', fontSize: 12 }} />
              <Tooltip formatter={percent} />
              <Legend verticalAlign="top" height={28} iconSize={10} wrapperStyle={{ fontSize: 11 }} />
              {LINES.map((line) => (
                <Line key={line.id} type="linear" dataKey={line.id} name={t(`kpi.${line.id}`)} stroke={line.color} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
              ))}
              {LINES.map((line) => (
                <ReferenceLine
                  key={line.id}
                  y={targets[line.id] * 100}
                  stroke={line.color}
                  strokeDasharray="5 4"
                  label={{ value: t('chart.target', { name: t(`kpi.${line.id}`) }), position: line.labelAt, fontSize: 10, fill: line.color }}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </figure>
        <figure className="perf-figure">
          <figcaption>{t('chart.csat')}</figcaption>
          <ResponsiveContainer width="100%" height={230}>
            <LineChart data={rows} margin={margin}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              {xAxis}
              <YAxis domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} tick={{ fontSize: 11 }} label={{ value: t('chart.axis.score'), angle: -90, position: 'insideLeft', fontSize: 12 }} />
              <Tooltip formatter={score} />
              <Line type="linear" dataKey="csat" name={t('kpi.csat')} stroke="#8a4fd1" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
              <ReferenceLine y={settings.csatTarget} stroke="#8a4fd1" strokeDasharray="5 4" label={{ value: t('chart.target', { name: t('kpi.csat') }), position: 'insideTopRight', fontSize: 10, fill: '#8a4fd1' }} />
            </LineChart>
          </ResponsiveContainer>
        </figure>
      </div>
      <details className="perf-table-alt">
        <summary>{t('chart.asTable')}</summary>
        <table className="perf-table" data-testid="performance-chart-table">
          <caption className="perf-sr-only">{t('chart.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`chart.axis.${bucket}`)}</th>
              <th scope="col">{t('kpi.contacts')}</th>
              {LINES.map((line) => (
                <th key={line.id} scope="col">
                  {t(`kpi.${line.id}`)}
                </th>
              ))}
              <th scope="col">{t('kpi.csat')}</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((row) => row.contacts > 0)
              .map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td>{row.contacts.toLocaleString(locale)}</td>
                  {LINES.map((line) => (
                    <td key={line.id}>{percent(row[line.id])}</td>
                  ))}
                  <td>{score(row.csat)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
