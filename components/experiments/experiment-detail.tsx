'use client';

import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import type { Comparison, MetricId, Reading } from '@/server/analytics/verdict';
import { ExposuresChart } from './exposures-chart';
import { Funnels } from './funnels';
import { PlanSummary } from './plan-summary';
import { ErrorNotice, type ExperimentData, FINISHED, points, pValue, rate, StatusBadge } from './shared';
import { VerdictPanel } from './verdict-panel';
import './experiments.css';

type Counts = { n: number; conversions: number };
type Arm = ExperimentData['arms'][number];
/** What `finalResults` holds (server/analytics/experiments.ts snapshot). */
interface FinalResults {
  reading?: Reading;
  arms?: { variantId: string; exposures: number; primary: Counts; guardrails: Record<string, Counts> }[];
}

/** A comparison cell: the difference from the control and its anytime-valid p-value. */
function Difference({ comparison }: { comparison: Comparison | undefined }) {
  if (!comparison) return <span className="muted">—</span>;
  const tone = comparison.better ? 'better' : comparison.worse ? 'worse' : '';
  return (
    <span className={`exp-diff ${tone}`}>
      {points(comparison.difference)} <span className="muted">{pValue(comparison.pValue)}</span>
    </span>
  );
}

/** `/experiments/[id]`: status and actions, the arms' figures, the verdict, exposures over time and the funnels. */
export function ExperimentDetail({ id, canManage }: { id: string; canManage: boolean }) {
  const t = useTranslations('experiments');
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const get = useQuery(trpc.experiments.get.queryOptions({ id }, { refetchInterval: (q) => (q.state.data?.experiment.status === 'running' ? 15_000 : false) }));
  const started = Boolean(get.data?.experiment.startedAt);
  const funnels = useQuery(trpc.experiments.funnels.queryOptions(started ? { id } : skipToken));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.experiments.pathKey() });
  const transition = useMutation(trpc.experiments.transition.mutationOptions({ onSuccess: invalidate }));
  const [promoting, setPromoting] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const promote = useMutation(trpc.experiments.promote.mutationOptions({ onSuccess: () => (setConfirming(false), invalidate()) }));

  const experiment = get.data?.experiment;
  const draftPlan = useQuery(
    trpc.experiments.plan.queryOptions(
      experiment && experiment.status === 'draft'
        ? {
            flowId: experiment.flowId,
            number: experiment.number,
            channel: experiment.channel,
            metric: experiment.metric,
            ...(experiment.metricNodeId && { metricNodeId: experiment.metricNodeId }),
            minimumEffect: experiment.minimumEffect,
            alpha: experiment.alpha,
            arms: get.data?.variants.length ?? 2,
          }
        : skipToken,
    ),
  );

  if (get.isPending) return <p className="muted">{t('detail.loading')}</p>;
  if (get.error || !experiment) return <ErrorNotice error={get.error} />;
  const { variants, arms } = get.data;
  const finished = FINISHED.includes(experiment.status);
  const final = (finished ? experiment.finalResults : null) as FinalResults | null;
  const reading = final?.reading ?? get.data.reading;
  const armOf = (variantId: string): Pick<Arm, 'exposures' | 'primary' | 'guardrails'> | undefined => final?.arms?.find((a) => a.variantId === variantId) ?? arms.find((a) => a.id === variantId);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
  const metricName = t(`metrics.${experiment.metric}`) + (experiment.metricNodeId ? ` (${experiment.metricNodeId})` : '');
  const comparisonOf = (list: Comparison[] | undefined, variantId: string, metric: MetricId) => list?.find((c) => c.variantId === variantId && c.metric === metric);
  const [, guardMetric, guardVariant] = experiment.pausedReason?.startsWith('guardrail:') ? experiment.pausedReason.split(':') : [];
  const winnerId = reading?.verdict.kind === 'winner' || reading?.verdict.kind === 'control-wins' ? reading.verdict.variantId : undefined;
  const toPromote = variants.find((v) => v.id === (promoting ?? winnerId)) ?? variants[1] ?? variants[0];
  const promoted = variants.find((v) => v.id === experiment.winnerVariantId);
  const act = (action: 'start' | 'pause' | 'resume' | 'stop') => transition.mutate({ id, action });

  return (
    <div className="exp-page">
      <p>
        <Link href="/experiments">← {t('title')}</Link>
      </p>
      <div className="exp-head">
        <div>
          <h1>
            {experiment.name} <StatusBadge status={experiment.status} />
          </h1>
          {experiment.hypothesis && <p className="exp-hypothesis">{experiment.hypothesis}</p>}
          <dl className="exp-facts">
            <div>
              <dt>{t('detail.number')}</dt>
              <dd>
                {experiment.number} · {t(`form.channel.${experiment.channel}`)}
              </dd>
            </div>
            <div>
              <dt>{t('detail.metric')}</dt>
              <dd>{metricName}</dd>
            </div>
            <div>
              <dt>{t('detail.mde')}</dt>
              <dd>
                {(experiment.minimumEffect * 100).toFixed(1)} pp · α {experiment.alpha}
              </dd>
            </div>
            <div>
              <dt>{t('detail.started')}</dt>
              <dd>{when(experiment.startedAt)}</dd>
            </div>
            <div>
              <dt>{finished ? t('detail.ended') : t('detail.running')}</dt>
              <dd>{finished ? when(experiment.endedAt) : started ? t('detail.days', { days: get.data.daysRunning }) : '—'}</dd>
            </div>
          </dl>
        </div>
        {canManage && (
          <div className="exp-actions" data-testid="experiment-actions">
            {experiment.status === 'draft' && (
              <button type="button" className="primary" disabled={transition.isPending} onClick={() => act('start')}>
                {t('actions.start')}
              </button>
            )}
            {experiment.status === 'running' && (
              <button type="button" disabled={transition.isPending} onClick={() => act('pause')}>
                {t('actions.pause')}
              </button>
            )}
            {experiment.status === 'paused' && (
              <button type="button" className="primary" disabled={transition.isPending} onClick={() => act('resume')}>
                {t('actions.resume')}
              </button>
            )}
            {['draft', 'running', 'paused'].includes(experiment.status) && (
              <button type="button" className="danger" disabled={transition.isPending} onClick={() => window.confirm(t('actions.stopConfirm')) && act('stop')}>
                {t('actions.stop')}
              </button>
            )}
            {['running', 'paused', 'stopped'].includes(experiment.status) && toPromote && (
              <span className="exp-promote">
                <select value={toPromote.id} onChange={(e) => (setPromoting(e.target.value), setConfirming(false))} aria-label={t('actions.promoteWhich')} data-testid="promote-variant">
                  {variants.map((v) => (
                    <option key={v.id} value={v.id}>
                      {t('actions.variantOption', { name: v.name, version: v.version })}
                    </option>
                  ))}
                </select>
                <button type="button" onClick={() => setConfirming(true)} data-testid="promote">
                  {t('actions.promote')}
                </button>
              </span>
            )}
          </div>
        )}
      </div>
      <ErrorNotice error={transition.error} />

      {confirming && toPromote && (
        <div className="card exp-confirm" role="alertdialog" aria-label={t('actions.promote')} data-testid="promote-confirm">
          <p>{t('actions.promoteConfirm', { name: toPromote.name, version: toPromote.version, number: experiment.number })}</p>
          <ErrorNotice error={promote.error} />
          <div className="form-buttons">
            <button type="button" className="primary" disabled={promote.isPending} onClick={() => promote.mutate({ id, variantId: toPromote.id })} data-testid="promote-confirm-button">
              {t('actions.promoteYes', { version: toPromote.version })}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('actions.cancel')}
            </button>
          </div>
        </div>
      )}

      {experiment.status === 'completed' && promoted && (
        <div className="exp-banner tone-ok" data-testid="experiment-promoted">
          {t('detail.promoted', { name: promoted.name, version: promoted.version, number: experiment.number })}
        </div>
      )}
      {experiment.status === 'paused' && guardMetric && (
        <div className="exp-banner tone-bad" role="alert" data-testid="guardrail-banner">
          {t('detail.guardrailPaused', { metric: t(`metrics.${guardMetric as 'abandonment'}`), name: guardVariant ?? '?' })}
        </div>
      )}
      {experiment.status === 'paused' && !guardMetric && <div className="exp-banner tone-warn">{t('detail.pausedManually')}</div>}
      {finished && final && <p className="muted">{t('detail.finalNote', { at: when(experiment.endedAt) })}</p>}

      {!started && (
        <>
          <p className="muted" data-testid="experiment-not-started">
            {experiment.status === 'draft' ? t('detail.draftNote') : t('detail.neverStarted')}
          </p>
          {experiment.status === 'draft' && <PlanSummary plan={draftPlan.data} metric={experiment.metric} minimumEffect={experiment.minimumEffect} alpha={experiment.alpha} loading={draftPlan.isPending} />}
        </>
      )}

      <h2>{t('detail.variants')}</h2>
      <table className="exp-table" data-testid="experiment-variants">
        <thead>
          <tr>
            <th>{t('detail.variant')}</th>
            <th className="num">{t('detail.traffic')}</th>
            <th className="num">{t('detail.exposures')}</th>
            <th className="num">{metricName}</th>
            <th>{t('detail.vsControl', { name: variants[0]?.name ?? 'A' })}</th>
            {experiment.guardrails.map((g) => (
              <th key={g}>{t(`metrics.${g}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {variants.map((v, i) => {
            const arm = armOf(v.id);
            return (
              <tr key={v.id} data-testid={`variant-${v.name}`}>
                <td>
                  <strong>{v.name}</strong> · {t('detail.version', { version: v.version })}
                  {i === 0 && <span className="muted"> · {t('form.control')}</span>}
                </td>
                <td className="num">{v.weight} %</td>
                <td className="num" data-testid={`exposures-${v.name}`}>
                  {arm?.exposures ?? 0}
                </td>
                <td className="num">
                  {rate(arm?.primary)} <span className="muted">{t('detail.n', { n: arm?.primary.n ?? 0 })}</span>
                </td>
                <td>{i === 0 ? <span className="muted">{t('form.control')}</span> : <Difference comparison={comparisonOf(reading?.primary, v.id, experiment.metric)} />}</td>
                {experiment.guardrails.map((g) => (
                  <td key={g}>
                    {rate(arm?.guardrails[g])} <span className="muted">{t('detail.n', { n: arm?.guardrails[g]?.n ?? 0 })}</span>
                    {i > 0 && (
                      <>
                        <br />
                        <Difference comparison={comparisonOf(reading?.guardrails, v.id, g)} />
                      </>
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>

      {reading && (
        <>
          <VerdictPanel reading={reading} variants={variants} metric={experiment.metric} finished={finished} />
          <h2>{t('detail.exposuresOverTime')}</h2>
          <ExposuresChart arms={arms.map((a) => ({ name: a.name, daily: a.daily }))} />
        </>
      )}

      {started && (
        <>
          <h2>{t('funnels.title')}</h2>
          <p className="muted">{t('funnels.intro')}</p>
          {funnels.error ? <ErrorNotice error={funnels.error} /> : funnels.data ? <Funnels funnels={funnels.data} /> : <p className="muted">{t('detail.loading')}</p>}
        </>
      )}
    </div>
  );
}
