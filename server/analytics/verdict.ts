/**
 * An experiment's reading, purely from counts: per arm and day the primary metric and the
 * guardrails as (contacts, conversions), compared with the first arm (the control) by the
 * anytime-valid mSPRT of ./stats.ts looked at once a day, so reading the page daily stays honest.
 * Browser-safe.
 */
import type { ExperimentMetric, GuardrailMetric } from '@/db/schema/experiments';
import type { ContactCounts, HandoffCounts } from './kpis';
import { type ArmCounts, readiness, type Readiness, sampleRatioMismatch, sampleSizePerArm, sequentialTest, type SrmResult } from './stats';

export type MetricId = ExperimentMetric | GuardrailMetric;

/** Which way is better for each metric. */
export const METRIC_BETTER: Record<MetricId, 'higher' | 'lower'> = {
  containment: 'higher',
  fcr: 'higher',
  csat: 'higher',
  handoff: 'lower',
  reached: 'higher',
  abandonment: 'lower',
  escalation: 'lower',
};

/**
 * A metric as a proportion over the contacts (or, for CSAT, the survey replies; for abandonment,
 * the handoffs offered). `reached` is the contacts that entered the chosen node.
 */
export function metricCounts(metric: MetricId, c: ContactCounts, h: HandoffCounts, reached = 0): ArmCounts {
  switch (metric) {
    case 'containment':
      return { n: c.contacts, conversions: c.contained };
    case 'fcr':
      return { n: c.contacts, conversions: c.firstContactResolved };
    case 'csat':
      return { n: c.csatReplies, conversions: c.csatSatisfied };
    case 'handoff':
      return { n: c.contacts, conversions: c.handoffs };
    case 'reached':
      return { n: c.contacts, conversions: reached };
    case 'abandonment':
      return { n: h.offered, conversions: h.abandoned };
    case 'escalation':
      return { n: c.contacts, conversions: c.escalated };
  }
}

export interface ArmInput {
  variantId: string;
  weight: number;
  /** Per day, in order: that day's own counts (not cumulative). */
  days: { day: string; exposures: number; metrics: Partial<Record<MetricId, ArmCounts>> }[];
}

export interface Comparison {
  variantId: string;
  metric: MetricId;
  control: ArmCounts;
  arm: ArmCounts;
  /** Arm's rate minus the control's. */
  difference: number;
  /** Anytime-valid: the smallest over the daily looks. */
  pValue: number;
  significant: boolean;
  /** Significant and in the better direction. */
  better: boolean;
  worse: boolean;
}

export type Verdict =
  | { kind: 'srm' }
  | { kind: 'not-ready'; moreContacts: number; moreDays: number }
  | { kind: 'winner'; variantId: string }
  | { kind: 'control-wins'; variantId: string }
  | { kind: 'no-difference' };

export interface Reading {
  exposures: number[];
  srm: SrmResult;
  readiness: Readiness;
  primary: Comparison[];
  guardrails: Comparison[];
  /** Guardrails an arm is significantly worse on: these pause a running experiment. */
  breaches: Comparison[];
  verdict: Verdict;
}

function sum(counts: readonly ArmCounts[]): ArmCounts {
  return counts.reduce((acc, c) => ({ n: acc.n + c.n, conversions: acc.conversions + c.conversions }), { n: 0, conversions: 0 });
}

const ZERO: ArmCounts = { n: 0, conversions: 0 };

/** The arm against the control on one metric, looking once per day (days aligned by index). */
export function compareDaily(control: ArmInput, arm: ArmInput, metric: MetricId, alpha: number, tau: number): Comparison {
  const days = [...new Set([...control.days.map((d) => d.day), ...arm.days.map((d) => d.day)])].sort();
  const controlByDay = new Map(control.days.map((d) => [d.day, d.metrics[metric] ?? ZERO]));
  const armByDay = new Map(arm.days.map((d) => [d.day, d.metrics[metric] ?? ZERO]));
  let a = ZERO;
  let b = ZERO;
  let pValue = 1;
  let difference = 0;
  for (const day of days) {
    a = sum([a, controlByDay.get(day) ?? ZERO]);
    b = sum([b, armByDay.get(day) ?? ZERO]);
    const look = sequentialTest(a, b, { alpha, tau, previousPValue: pValue });
    pValue = look.pValue;
    difference = look.difference;
  }
  const significant = pValue <= alpha;
  const up = difference > 0;
  const better = significant && (METRIC_BETTER[metric] === 'higher' ? up : !up);
  const worse = significant && !better && difference !== 0;
  return { variantId: arm.variantId, metric, control: a, arm: b, difference, pValue, significant, better, worse };
}

/** The mixing spread of the mSPRT: about the effect the experiment was planned to find. */
export function tauFor(minimumEffect: number): number {
  return Math.min(0.5, Math.max(0.01, Math.abs(minimumEffect)));
}

export function readExperiment(input: {
  arms: readonly ArmInput[];
  metric: ExperimentMetric;
  guardrails: readonly GuardrailMetric[];
  alpha: number;
  minimumEffect: number;
  /** Whole days since the start. */
  daysRunning: number;
  /** Days since the start, with the fraction (for the traffic rate on the first day); defaults to daysRunning. */
  elapsedDays?: number;
  /**
   * Distinct callers per arm. Callers, not contacts, are what is assigned (sticky per caller): an
   * arm that brings fewer callers back has fewer contacts without any fault in the split, so the
   * sample-ratio check counts callers when it has them.
   */
  callers?: readonly number[];
}): Reading {
  const [control, ...others] = input.arms;
  if (!control || others.length === 0) throw new Error('an experiment compares at least two arms');
  const tau = tauFor(input.minimumEffect);
  const exposures = input.arms.map((arm) => arm.days.reduce((total, d) => total + d.exposures, 0));
  const srm = sampleRatioMismatch(input.callers ?? exposures, input.arms.map((arm) => arm.weight));
  const primary = others.map((arm) => compareDaily(control, arm, input.metric, input.alpha, tau));
  const guardrails = others.flatMap((arm) => input.guardrails.map((g) => compareDaily(control, arm, g, input.alpha, tau)));
  const breaches = guardrails.filter((g) => g.worse);

  const perArm = input.arms.map((arm) => sum(arm.days.map((d) => d.metrics[input.metric] ?? ZERO)).n);
  const totalExposures = exposures.reduce((a, b) => a + b, 0);
  // At least an hour of traffic, so the first hours of the first day already give a rate.
  const contactsPerDay = totalExposures / Math.max(input.elapsedDays ?? input.daysRunning, 1 / 24);
  // The gate is the minimum sample and duration; the planned (fixed-horizon) sample size is a guide
  // to when an answer may come, and the sequential test may give one earlier.
  const ready = readiness({ perArm, days: input.daysRunning, contactsPerDay });

  let verdict: Verdict;
  if (srm.mismatch) verdict = { kind: 'srm' };
  else if (!ready.ready) verdict = { kind: 'not-ready', moreContacts: ready.moreContacts, moreDays: ready.moreDays };
  else {
    const winners = primary.filter((c) => c.better).sort((x, y) => (METRIC_BETTER[input.metric] === 'higher' ? y.difference - x.difference : x.difference - y.difference));
    const top = winners[0];
    if (top) verdict = { kind: 'winner', variantId: top.variantId };
    else if (primary.every((c) => c.worse)) verdict = { kind: 'control-wins', variantId: control.variantId };
    else verdict = { kind: 'no-difference' };
  }
  return { exposures, srm, readiness: ready, primary, guardrails, breaches, verdict };
}

/** Before start: the sample each arm needs and how long that takes at the current traffic. */
export function planExperiment(input: { baseline: number | null; minimumEffect: number; alpha: number; arms: number; contactsPerDay: number }):
  | { ok: true; perArm: number; total: number; days: number | null }
  | { ok: false; reason: 'no-baseline' | 'out-of-range' } {
  if (input.baseline === null) return { ok: false, reason: 'no-baseline' };
  const target = input.baseline + input.minimumEffect;
  if (!(input.baseline > 0 && input.baseline < 1 && target > 0 && target < 1) || input.minimumEffect === 0) return { ok: false, reason: 'out-of-range' };
  const perArm = Math.max(sampleSizePerArm({ baseline: input.baseline, minimumEffect: input.minimumEffect, alpha: input.alpha }), 150);
  const total = perArm * input.arms;
  const days = input.contactsPerDay > 0 ? Math.max(7, Math.ceil(total / input.contactsPerDay)) : null;
  return { ok: true, perArm, total, days };
}
