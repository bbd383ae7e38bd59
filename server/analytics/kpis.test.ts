import { describe, expect, it } from 'vitest';
import { computeKpi, computeKpis, DEFAULT_KPI_SETTINGS, EMPTY_CONTACTS, EMPTY_HANDOFFS, formatKpiValue, KPI_IDS, kpiCsv, kpiSettingsFrom } from './kpis';

const contacts = { ...EMPTY_CONTACTS, contacts: 200, contained: 70, firstContactResolved: 168, csatReplies: 40, csatSum: 172, csatSatisfied: 33, emotionScored: 10, emotionSum: -2.5 };
const handoffs = { ...EMPTY_HANDOFFS, offered: 100, answered: 95, answeredInThreshold: 88, answerSecondsSum: 95 * 24, abandoned: 5, handled: 90, handleSecondsSum: 90 * 300 };

describe('KPIs', () => {
  it('divides by the stated denominators and judges against the targets', () => {
    const kpi = Object.fromEntries(computeKpis(contacts, handoffs, DEFAULT_KPI_SETTINGS).map((k) => [k.id, k]));
    expect(kpi.containment).toMatchObject({ value: 0.35, status: 'good', target: 0.3 });
    expect(kpi.serviceLevel).toMatchObject({ value: 0.88, status: 'bad', target: 0.9 });
    expect(kpi.asa).toMatchObject({ value: 24, status: 'good' });
    // 5 of 100 is exactly the 5 % ceiling: at the target is good.
    expect(kpi.abandonment).toMatchObject({ value: 0.05, status: 'good' });
    expect(kpi.fcr).toMatchObject({ value: 0.84, status: 'bad' });
    expect(kpi.csat).toMatchObject({ value: 4.3, status: 'bad', target: 4.5 });
    expect(kpi.emotion).toMatchObject({ value: -0.25, status: 'none' });
    expect(kpi.aht).toMatchObject({ value: 300, status: 'none' });
  });

  it('has no value (not zero) when there is nothing to divide by', () => {
    expect(computeKpi('serviceLevel', EMPTY_CONTACTS, EMPTY_HANDOFFS, DEFAULT_KPI_SETTINGS)).toMatchObject({ value: null, status: 'none' });
    expect(computeKpi('contacts', EMPTY_CONTACTS, EMPTY_HANDOFFS, DEFAULT_KPI_SETTINGS)).toMatchObject({ value: 0 });
  });

  it('uses the settings as stored, within bounds, and the defaults for the rest', () => {
    expect(kpiSettingsFrom({ serviceLevelTarget: 0.8, fcrRepeatDays: -3, csatTarget: 'x', containmentRepeatHours: 1.5 })).toEqual({ ...DEFAULT_KPI_SETTINGS, serviceLevelTarget: 0.8 });
    const strict = kpiSettingsFrom({ containmentTarget: 0.5 });
    expect(computeKpi('containment', contacts, handoffs, strict).status).toBe('bad');
  });

  it('formats rates, durations and scores', () => {
    expect(formatKpiValue({ unit: 'rate', value: 0.8766 })).toBe('87.7 %');
    expect(formatKpiValue({ unit: 'seconds', value: 125.4 })).toBe('2:05');
    expect(formatKpiValue({ unit: 'score', value: 4.3 })).toBe('4.30');
    expect(formatKpiValue({ unit: 'emotion', value: -0.25 })).toBe('-0.25');
    expect(formatKpiValue({ unit: 'count', value: 12345 })).toBe('12,345');
    expect(formatKpiValue({ unit: 'rate', value: null })).toBe('—');
  });

  it('writes CSV with one column triple per KPI and quotes what needs it', () => {
    const csv = kpiCsv([{ group: 'vip, "gold"', kpis: computeKpis(contacts, handoffs, DEFAULT_KPI_SETTINGS) }]);
    const [header, row] = csv.trimEnd().split('\r\n');
    expect(header?.split(',')).toHaveLength(1 + KPI_IDS.length * 3);
    expect(row?.startsWith('"vip, ""gold""",200,200,1,0.35,70,200,')).toBe(true);
  });
});
