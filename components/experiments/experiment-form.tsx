'use client';

import { keepPreviousData, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { type FormEvent, useEffect, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { PlanSummary } from './plan-summary';
import { ErrorNotice, type ExperimentOption, GUARDRAILS, METRICS } from './shared';

type Metric = (typeof METRICS)[number];
type Guardrail = (typeof GUARDRAILS)[number];
interface VariantDraft {
  versionId: string;
  weight: number;
}

const NAMES = ['A', 'B', 'C', 'D'];
const ALPHAS = [0.01, 0.05, 0.1];
const keyOf = (o: ExperimentOption) => `${o.number}|${o.channel}`;

/** Even weights adding up to 100, the remainder to the first variants. */
function evenSplit(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

/** The live version as the control, then the newest others. */
function defaultVariants(option: ExperimentOption | undefined): VariantDraft[] {
  if (!option) return [];
  const live = option.versions.find((v) => v.live) ?? option.versions[0];
  const others = option.versions.filter((v) => v.id !== live?.id);
  const chosen = [live, others[0]].filter((v) => v !== undefined);
  const weights = evenSplit(Math.max(chosen.length, 1));
  return chosen.map((v, i) => ({ versionId: v.id, weight: weights[i] ?? 50 }));
}

/** The value once it has stopped changing for a moment (the plan is asked for as the manager types). */
function useSettled<T>(value: T, ms = 300): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return JSON.parse(settled) as T;
}

/** A new experiment (a draft): number and channel, 2–4 variants with their traffic, metric, guardrails, and the plan. */
export function ExperimentForm({ onCancel }: { onCancel?: () => void }) {
  const t = useTranslations('experiments.form');
  const tm = useTranslations('experiments.metrics');
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const options = useQuery(trpc.experiments.options.queryOptions());
  const [name, setName] = useState('');
  const [hypothesis, setHypothesis] = useState('');
  const [target, setTarget] = useState('');
  const [variants, setVariants] = useState<VariantDraft[]>([]);
  const [metric, setMetric] = useState<Metric>('containment');
  const [metricNodeId, setMetricNodeId] = useState('');
  const [guardrails, setGuardrails] = useState<Guardrail[]>(['abandonment']);
  const [mde, setMde] = useState(5);
  const [alpha, setAlpha] = useState(0.05);

  const option = options.data?.find((o) => keyOf(o) === target) ?? options.data?.[0];
  const chosenKey = option ? keyOf(option) : '';
  const rows = variants.length > 0 || !option ? variants : defaultVariants(option);
  const total = rows.reduce((sum, v) => sum + (Number.isFinite(v.weight) ? v.weight : 0), 0);

  const planInput = option && (metric !== 'reached' || metricNodeId) && mde >= 0.5 && mde <= 50
    ? { flowId: option.flowId, number: option.number, channel: option.channel, metric, ...(metric === 'reached' && { metricNodeId }), minimumEffect: mde / 100, alpha, arms: Math.min(4, Math.max(2, rows.length)) }
    : null;
  const deferredPlan = useSettled(planInput);
  const plan = useQuery(trpc.experiments.plan.queryOptions(deferredPlan ?? skipToken, { placeholderData: keepPreviousData }));

  const create = useMutation(
    trpc.experiments.create.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.experiments.list.queryKey() });
        router.push(`/experiments/${created.id}`);
      },
    }),
  );

  const chooseTarget = (key: string) => {
    setTarget(key);
    setVariants(defaultVariants(options.data?.find((o) => keyOf(o) === key)));
    setMetricNodeId('');
  };
  const update = (index: number, change: Partial<VariantDraft>) => setVariants(rows.map((v, i) => (i === index ? { ...v, ...change } : v)));
  const addVariant = () => {
    const unused = option?.versions.find((v) => !rows.some((r) => r.versionId === v.id)) ?? option?.versions[0];
    const next = [...rows, { versionId: unused?.id ?? '', weight: 0 }];
    const weights = evenSplit(next.length);
    setVariants(next.map((v, i) => ({ ...v, weight: weights[i] ?? 0 })));
  };
  const removeVariant = (index: number) => setVariants(rows.filter((_, i) => i !== index));
  const splitEvenly = () => {
    const weights = evenSplit(rows.length);
    setVariants(rows.map((v, i) => ({ ...v, weight: weights[i] ?? 0 })));
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!option) return;
    create.mutate({
      name,
      ...(hypothesis.trim() && { hypothesis: hypothesis.trim() }),
      flowId: option.flowId,
      number: option.number,
      channel: option.channel,
      metric,
      ...(metric === 'reached' && metricNodeId && { metricNodeId }),
      minimumEffect: mde / 100,
      alpha,
      guardrails,
      variants: rows.map((v, i) => ({ name: NAMES[i] ?? `V${i + 1}`, flowVersionId: v.versionId, weight: v.weight })),
    });
  }

  if (options.isPending) return <p className="muted">{t('loading')}</p>;
  if (options.error) return <ErrorNotice error={options.error} />;
  if (!option) return <p className="muted">{t('noNumbers')}</p>;

  return (
    <form className="card exp-form" method="post" onSubmit={submit} aria-label={t('heading')} data-testid="experiment-form">
      <h2>{t('heading')}</h2>
      <div className="exp-form-grid">
        <div>
          <label className="field">
            <span className="field-label">{t('name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} data-testid="experiment-name" />
          </label>
          <label className="field">
            <span className="field-label">{t('hypothesis')}</span>
            <textarea value={hypothesis} onChange={(e) => setHypothesis(e.target.value)} maxLength={2000} rows={2} placeholder={t('hypothesisPlaceholder')} />
          </label>
          <label className="field">
            <span className="field-label">{t('number')}</span>
            <select value={chosenKey} onChange={(e) => chooseTarget(e.target.value)} data-testid="experiment-number">
              {options.data.map((o) => (
                <option key={keyOf(o)} value={keyOf(o)}>
                  {t('numberOption', { number: o.number, label: o.label || o.number, channel: t(`channel.${o.channel}`), flow: o.flowName })}
                </option>
              ))}
            </select>
            <span className="field-help">{t('numberHelp', { flow: option.flowName })}</span>
          </label>

          <fieldset className="exp-variants">
            <legend className="field-label">{t('variants')}</legend>
            {option.versions.length < 2 && <p className="error">{t('needTwoVersions')}</p>}
            <table>
              <thead>
                <tr>
                  <th>{t('variant')}</th>
                  <th>{t('version')}</th>
                  <th>{t('traffic')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((v, i) => (
                  <tr key={i}>
                    <td>
                      <strong>{NAMES[i]}</strong>
                      {i === 0 && <span className="muted"> {t('control')}</span>}
                    </td>
                    <td>
                      <select value={v.versionId} onChange={(e) => update(i, { versionId: e.target.value })} aria-label={t('versionOf', { name: NAMES[i] ?? '' })} data-testid={`variant-version-${i}`}>
                        {option.versions.map((version) => (
                          <option key={version.id} value={version.id}>
                            {t('versionOption', { version: version.version, message: version.message || '—', live: version.live ? 'yes' : 'no' })}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        type="number"
                        className="exp-weight"
                        min={1}
                        max={99}
                        step={1}
                        value={Number.isFinite(v.weight) ? v.weight : ''}
                        onChange={(e) => update(i, { weight: e.target.valueAsNumber })}
                        aria-label={t('trafficOf', { name: NAMES[i] ?? '' })}
                        data-testid={`variant-weight-${i}`}
                      />{' '}
                      %
                    </td>
                    <td>
                      {rows.length > 2 && (
                        <button type="button" className="link" onClick={() => removeVariant(i)}>
                          {t('remove')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="exp-variant-tools">
              <span className={total === 100 ? 'exp-sum ok' : 'exp-sum bad'} data-testid="weights-total" aria-live="polite">
                {total === 100 ? t('total', { total }) : t('totalOff', { total })}
              </span>
              <button type="button" onClick={splitEvenly}>
                {t('splitEvenly')}
              </button>
              {rows.length < 4 && (
                <button type="button" onClick={addVariant}>
                  {t('addVariant')}
                </button>
              )}
            </div>
          </fieldset>
        </div>

        <div>
          <label className="field">
            <span className="field-label">{t('metric')}</span>
            <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)} data-testid="experiment-metric">
              {METRICS.map((m) => (
                <option key={m} value={m}>
                  {tm(m)}
                </option>
              ))}
            </select>
            <span className="field-help">{t(`metricHelp.${metric}`)}</span>
          </label>
          {metric === 'reached' && (
            <label className="field">
              <span className="field-label">{t('node')}</span>
              <select value={metricNodeId} onChange={(e) => setMetricNodeId(e.target.value)} required data-testid="experiment-node">
                <option value="">{t('chooseNode')}</option>
                {option.nodes.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.label === n.id ? n.id : `${n.label} (${n.id})`}
                  </option>
                ))}
              </select>
            </label>
          )}
          <fieldset className="field">
            <legend className="field-label">{t('guardrails')}</legend>
            {GUARDRAILS.map((g) => (
              <label key={g} className="checkbox-field">
                <input type="checkbox" checked={guardrails.includes(g)} onChange={(e) => setGuardrails(e.target.checked ? [...guardrails, g] : guardrails.filter((x) => x !== g))} />
                {tm(g)}
              </label>
            ))}
            <span className="field-help">{t('guardrailsHelp')}</span>
          </fieldset>
          <div className="exp-inline-fields">
            <label className="field">
              <span className="field-label">{t('mde')}</span>
              <input type="number" min={0.5} max={50} step={0.5} value={Number.isFinite(mde) ? mde : ''} onChange={(e) => setMde(e.target.valueAsNumber)} data-testid="experiment-mde" />
            </label>
            <label className="field">
              <span className="field-label">{t('alpha')}</span>
              <select value={alpha} onChange={(e) => setAlpha(Number(e.target.value))} data-testid="experiment-alpha">
                {ALPHAS.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <span className="field-help">{t('mdeHelp')}</span>
          <PlanSummary plan={planInput ? plan.data : undefined} metric={metric} minimumEffect={mde / 100} alpha={alpha} loading={plan.isFetching} />
          <ErrorNotice error={plan.error} />
        </div>
      </div>
      <ErrorNotice error={create.error} />
      <div className="form-buttons">
        <button className="primary" type="submit" disabled={create.isPending} data-testid="experiment-create">
          {create.isPending ? t('creating') : t('create')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
      </div>
      <p className="muted">{t('draftNote')}</p>
    </form>
  );
}
