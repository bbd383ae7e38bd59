/**
 * The contact-center KPIs: one place for how each is counted, its target and which way is better.
 * The SQL in ./queries.ts only counts (numerators and denominators); the rates, the red/green
 * against targets and the CSV are computed here, purely, so the page, the experiments and the
 * tests agree. Browser-safe: the performance page renders the formulas from these definitions.
 */

/** The thresholds and targets a contact center sets for itself (`/settings/kpis`). */
export interface KpiSettings {
  /** Seconds within which a handoff counts as answered when its queue sets none. */
  defaultServiceLevelSeconds: number;
  serviceLevelTarget: number;
  /** Callers who hang up this soon after joining a queue are left out of the service level. */
  shortAbandonSeconds: number;
  /** A contact is not contained when the same customer calls again this soon. */
  containmentRepeatHours: number;
  containmentTarget: number;
  /** A resolution is not first-contact when the same customer calls again this soon. */
  fcrRepeatDays: number;
  fcrTarget: number;
  csatTarget: number;
  /** CSAT replies at or above this count as satisfied (experiments' CSAT metric). */
  csatSatisfiedAt: number;
  abandonmentTarget: number;
  answerSecondsTarget: number;
}

export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  defaultServiceLevelSeconds: 30,
  serviceLevelTarget: 0.9,
  shortAbandonSeconds: 5,
  containmentRepeatHours: 24,
  containmentTarget: 0.3,
  fcrRepeatDays: 7,
  fcrTarget: 0.85,
  csatTarget: 4.5,
  csatSatisfiedAt: 4,
  abandonmentTarget: 0.05,
  answerSecondsTarget: 30,
};

/** Each setting's bounds, for the settings form and the router's validation. */
export const KPI_SETTING_BOUNDS: Record<keyof KpiSettings, { min: number; max: number; step: number }> = {
  defaultServiceLevelSeconds: { min: 1, max: 3600, step: 1 },
  serviceLevelTarget: { min: 0, max: 1, step: 0.01 },
  shortAbandonSeconds: { min: 0, max: 120, step: 1 },
  containmentRepeatHours: { min: 1, max: 24 * 30, step: 1 },
  containmentTarget: { min: 0, max: 1, step: 0.01 },
  fcrRepeatDays: { min: 1, max: 90, step: 1 },
  fcrTarget: { min: 0, max: 1, step: 0.01 },
  csatTarget: { min: 1, max: 5, step: 0.1 },
  csatSatisfiedAt: { min: 1, max: 5, step: 1 },
  abandonmentTarget: { min: 0, max: 1, step: 0.01 },
  answerSecondsTarget: { min: 1, max: 3600, step: 1 },
};

/** Stored settings over the defaults, each kept inside its bounds (older rows may lack new keys). */
export function kpiSettingsFrom(input: object | null | undefined): KpiSettings {
  const stored = (input ?? {}) as Record<string, unknown>;
  const settings = { ...DEFAULT_KPI_SETTINGS };
  for (const key of Object.keys(DEFAULT_KPI_SETTINGS) as (keyof KpiSettings)[]) {
    const value = stored[key];
    const { min, max, step } = KPI_SETTING_BOUNDS[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (step < 1 || Number.isInteger(value))) settings[key] = value;
  }
  return settings;
}

/** Per contact (interaction): what ./queries.ts counts. */
export interface ContactCounts {
  contacts: number;
  /** Ended inside the flow (completed, no handoff) and no repeat contact within the window. */
  contained: number;
  /** Hung up inside the flow before any handoff. */
  ivrHangups: number;
  /** Contacts with at least one handoff to an agent. */
  handoffs: number;
  escalated: number;
  /** Resolved (inside the flow, or by an agent who said so) and no repeat contact within the window. */
  firstContactResolved: number;
  csatReplies: number;
  csatSum: number;
  csatSatisfied: number;
  emotionScored: number;
  emotionSum: number;
}

/** Per handoff: what ./queries.ts counts. */
export interface HandoffCounts {
  /** Handoffs, short abandons excluded. */
  offered: number;
  shortAbandons: number;
  answered: number;
  answeredInThreshold: number;
  answerSecondsSum: number;
  /** Left the queue unanswered (after the short-abandon window). */
  abandoned: number;
  handled: number;
  handleSecondsSum: number;
}

export const EMPTY_CONTACTS: ContactCounts = {
  contacts: 0,
  contained: 0,
  ivrHangups: 0,
  handoffs: 0,
  escalated: 0,
  firstContactResolved: 0,
  csatReplies: 0,
  csatSum: 0,
  csatSatisfied: 0,
  emotionScored: 0,
  emotionSum: 0,
};

export const EMPTY_HANDOFFS: HandoffCounts = {
  offered: 0,
  shortAbandons: 0,
  answered: 0,
  answeredInThreshold: 0,
  answerSecondsSum: 0,
  abandoned: 0,
  handled: 0,
  handleSecondsSum: 0,
};

export const KPI_IDS = ['contacts', 'containment', 'ivrHangups', 'handoffRate', 'escalationRate', 'serviceLevel', 'asa', 'abandonment', 'aht', 'fcr', 'csat', 'emotion'] as const;
export type KpiId = (typeof KPI_IDS)[number];

export type KpiUnit = 'count' | 'rate' | 'seconds' | 'score' | 'emotion';

export interface Kpi {
  id: KpiId;
  /** null when there is nothing to divide by. */
  value: number | null;
  numerator: number;
  denominator: number;
  unit: KpiUnit;
  /** `higher`: at or above the target is good; `lower`: at or below. */
  better: 'higher' | 'lower' | null;
  target: number | null;
  status: 'good' | 'bad' | 'none';
}

interface KpiDefinition {
  unit: KpiUnit;
  better: Kpi['better'];
  target: (s: KpiSettings) => number | null;
  /** numerator, denominator; the value is their ratio (or the numerator for counts). */
  count: (c: ContactCounts, h: HandoffCounts) => [number, number];
}

const ratio = (n: number, d: number): [number, number] => [n, d];

/**
 * The definitions. The formula text shown beside each figure is the message
 * `performance.formula.<id>` with the settings as its values: keep both in step.
 */
export const KPI_DEFINITIONS: Record<KpiId, KpiDefinition> = {
  contacts: { unit: 'count', better: null, target: () => null, count: (c) => [c.contacts, 1] },
  containment: { unit: 'rate', better: 'higher', target: (s) => s.containmentTarget, count: (c) => ratio(c.contained, c.contacts) },
  ivrHangups: { unit: 'rate', better: null, target: () => null, count: (c) => ratio(c.ivrHangups, c.contacts) },
  handoffRate: { unit: 'rate', better: null, target: () => null, count: (c) => ratio(c.handoffs, c.contacts) },
  escalationRate: { unit: 'rate', better: null, target: () => null, count: (c) => ratio(c.escalated, c.contacts) },
  serviceLevel: { unit: 'rate', better: 'higher', target: (s) => s.serviceLevelTarget, count: (_c, h) => ratio(h.answeredInThreshold, h.offered) },
  asa: { unit: 'seconds', better: 'lower', target: (s) => s.answerSecondsTarget, count: (_c, h) => ratio(h.answerSecondsSum, h.answered) },
  abandonment: { unit: 'rate', better: 'lower', target: (s) => s.abandonmentTarget, count: (_c, h) => ratio(h.abandoned, h.offered) },
  aht: { unit: 'seconds', better: null, target: () => null, count: (_c, h) => ratio(h.handleSecondsSum, h.handled) },
  fcr: { unit: 'rate', better: 'higher', target: (s) => s.fcrTarget, count: (c) => ratio(c.firstContactResolved, c.contacts) },
  csat: { unit: 'score', better: 'higher', target: (s) => s.csatTarget, count: (c) => ratio(c.csatSum, c.csatReplies) },
  emotion: { unit: 'emotion', better: null, target: () => null, count: (c) => ratio(c.emotionSum, c.emotionScored) },
};

export function computeKpi(id: KpiId, contacts: ContactCounts, handoffs: HandoffCounts, settings: KpiSettings): Kpi {
  const definition = KPI_DEFINITIONS[id];
  const [numerator, denominator] = definition.count(contacts, handoffs);
  const value = definition.unit === 'count' ? numerator : denominator > 0 ? numerator / denominator : null;
  const target = definition.target(settings);
  let status: Kpi['status'] = 'none';
  if (value !== null && target !== null && definition.better !== null) {
    status = (definition.better === 'higher' ? value >= target : value <= target) ? 'good' : 'bad';
  }
  return { id, value, numerator, denominator, unit: definition.unit, better: definition.better, target, status };
}

export function computeKpis(contacts: ContactCounts, handoffs: HandoffCounts, settings: KpiSettings): Kpi[] {
  return KPI_IDS.map((id) => computeKpi(id, contacts, handoffs, settings));
}

/** Adds counts (for totals over groups). */
export function addCounts<T extends object>(a: T, b: T): T {
  const sum = { ...a } as Record<string, number>;
  for (const [key, value] of Object.entries(b) as [string, number][]) sum[key] = (sum[key] ?? 0) + value;
  return sum as T;
}

/** A figure as text: rates in percent, seconds as m:ss, scores to one decimal. */
export function formatKpiValue(kpi: Pick<Kpi, 'unit' | 'value'>, locale = 'en'): string {
  if (kpi.value === null) return '—';
  switch (kpi.unit) {
    case 'count':
      return kpi.value.toLocaleString(locale);
    case 'rate':
      return `${(kpi.value * 100).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
    case 'seconds': {
      const total = Math.round(kpi.value);
      return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
    }
    case 'score':
      return kpi.value.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
    case 'emotion':
      return kpi.value.toLocaleString(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2, signDisplay: 'always' });
  }
}

/** One row per group and one column per KPI (value, numerator, denominator), RFC 4180 quoting. */
export function kpiCsv(rows: readonly { group: string; kpis: readonly Kpi[] }[]): string {
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const header = ['group', ...KPI_IDS.flatMap((id) => [id, `${id}_numerator`, `${id}_denominator`])];
  const lines = rows.map((row) => {
    const byId = new Map(row.kpis.map((k) => [k.id, k]));
    return [
      quote(row.group),
      ...KPI_IDS.flatMap((id) => {
        const kpi = byId.get(id);
        return kpi ? [kpi.value === null ? '' : String(Number(kpi.value.toFixed(6))), String(kpi.numerator), String(kpi.denominator)] : ['', '', ''];
      }),
    ].join(',');
  });
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}
