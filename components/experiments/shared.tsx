'use client';

import type { TRPCClientErrorLike } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { useTranslations } from 'next-intl';
import type { MetricId } from '@/server/analytics/verdict';
import type { AppRouter } from '@/server/routers/_app';

type Outputs = inferRouterOutputs<AppRouter>['experiments'];
export type ExperimentListItem = Outputs['list'][number];
export type ExperimentData = Outputs['get'];
export type ExperimentOption = Outputs['options'][number];
export type PlanData = Outputs['plan'];
export type FunnelData = Outputs['funnels'][number];

/** The metrics an experiment is judged on and its guardrails (db/schema/experiments.ts). */
export const METRICS = ['containment', 'fcr', 'csat', 'handoff', 'reached'] as const;
export const GUARDRAILS = ['abandonment', 'escalation', 'csat'] as const;
export const BETTER: Record<MetricId, 'higher' | 'lower'> = { containment: 'higher', fcr: 'higher', csat: 'higher', handoff: 'lower', reached: 'higher', abandonment: 'lower', escalation: 'lower' };

export const FINISHED = ['completed', 'stopped'];

const TONE: Record<string, string> = { draft: 'muted', running: 'run', paused: 'warn', completed: 'ok', stopped: 'muted' };

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('experiments.status');
  return (
    <span className={`exp-badge tone-${TONE[status] ?? 'muted'}`} data-testid="experiment-status">
      {t(status as 'draft')}
    </span>
  );
}

/** 42.5 %, or — with nothing counted. */
export function rate(counts: { n: number; conversions: number } | undefined): string {
  if (!counts || counts.n === 0) return '—';
  return `${((counts.conversions / counts.n) * 100).toFixed(1)} %`;
}

/** A difference of rates in percentage points, signed. */
export function points(difference: number): string {
  const pp = difference * 100;
  return `${pp > 0 ? '+' : pp < 0 ? '−' : '±'}${Math.abs(pp).toFixed(1)} pp`;
}

/** p = 0.042, or p < 0.001. */
export function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** The server's message, or one line per field it refused. */
export function ErrorNotice({ error }: { error: TRPCClientErrorLike<AppRouter> | null | undefined }) {
  if (!error) return null;
  const zod = error.data?.zodError;
  const lines = zod ? [...zod.formErrors, ...Object.entries(zod.fieldErrors as Record<string, string[] | undefined>).flatMap(([field, messages]) => (messages ?? []).map((m) => `${field}: ${m}`))] : [error.message];
  return (
    <div className="error exp-error" role="alert" data-testid="experiment-error">
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
    </div>
  );
}
