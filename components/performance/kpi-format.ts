import { formatKpiValue, type Kpi, type KpiSettings } from '@/server/analytics/kpis';

/** The settings a formula message names, as its ICU values. */
export function formulaValues(settings: KpiSettings) {
  return { sl: settings.defaultServiceLevelSeconds, short: settings.shortAbandonSeconds, hours: settings.containmentRepeatHours, days: settings.fcrRepeatDays };
}

/** The target in the KPI's own unit (30.0 %, 0:30, 4.50). */
export function formatTarget(kpi: Pick<Kpi, 'unit' | 'target'>, locale: string): string {
  return formatKpiValue({ unit: kpi.unit, value: kpi.target }, locale);
}

export type Change = 'better' | 'worse' | 'same';

/** B − A in the KPI's unit (percentage points for rates), and whether that is better. */
export function kpiDifference(a: Kpi, b: Kpi, locale: string): { text: string; change: Change | null } {
  if (a.value === null || b.value === null) return { text: '—', change: null };
  const diff = b.value - a.value;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const size = Math.abs(diff);
  const number = (n: number, digits: number) => n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const text =
    a.unit === 'rate'
      ? `${sign}${number(size * 100, 1)} pp`
      : a.unit === 'seconds'
        ? `${sign}${formatKpiValue({ unit: 'seconds', value: size })}`
        : a.unit === 'count'
          ? `${sign}${number(size, 0)}`
          : `${sign}${number(size, 2)}`;
  const change: Change | null = a.better === null ? null : diff === 0 ? 'same' : (a.better === 'higher') === diff > 0 ? 'better' : 'worse';
  return { text, change };
}
