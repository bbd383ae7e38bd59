'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { type KeyboardEvent, useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { getDefinition } from '@/nodes/registry';
import { emotionScored, executionPath } from '@/server/executions/path';
import { PathCanvas } from './path-canvas';
import { StatusBadge, formatDuration } from './status-badge';
import './executions.css';

/** One execution: its path on the canvas, step by step, with what happened at each step. */
export function ExecutionView({ flowId, executionId }: { flowId: string; executionId: string }) {
  const t = useTranslations('executions');
  const trpc = useTRPC();
  const query = useQuery(
    trpc.executions.get.queryOptions({ id: executionId }, { refetchInterval: (q) => (q.state.data?.status === 'running' ? 1500 : false), staleTime: 0 }),
  );
  const execution = query.data;
  // null: the whole run; a number: the run up to that step.
  const [focusSeq, setFocusSeq] = useState<number | null>(null);

  const steps = useMemo(() => execution?.steps ?? [], [execution]);
  const focusIndex = focusSeq === null ? steps.length - 1 : steps.findIndex((s) => s.seq === focusSeq);
  const focused = focusSeq === null ? null : (steps[focusIndex] ?? null);
  const running = execution?.status === 'running';
  const emotions = useMemo(() => emotionScored(steps), [steps]);

  const path = useMemo(() => {
    if (!execution) return null;
    const upTo = steps.slice(0, focusIndex + 1);
    const whole = executionPath(execution.document, steps, running);
    const sofar = executionPath(execution.document, upTo, false);
    const visits = new Map<string, number>();
    for (const s of upTo) visits.set(s.nodeId, (visits.get(s.nodeId) ?? 0) + 1);
    return {
      visitedNodeIds: sofar.visitedNodeIds,
      takenEdgeIds: sofar.takenEdgeIds,
      laterNodeIds: whole.visitedNodeIds.filter((id) => !sofar.visitedNodeIds.includes(id)),
      laterEdgeIds: whole.takenEdgeIds.filter((id) => !sofar.takenEdgeIds.includes(id)),
      currentNodeId: focusSeq === null ? whole.currentNodeId : null,
      visits,
    };
  }, [execution, steps, focusIndex, focusSeq, running]);

  const nodeTitle = useMemo(() => {
    const byId = new Map((execution?.document?.nodes ?? []).map((n) => [n.id, n]));
    return (nodeId: string, type: string) => {
      const node = byId.get(nodeId);
      return node?.label || getDefinition(type, node?.typeVersion)?.label || type;
    };
  }, [execution]);

  if (query.error) return <p className="error">{query.error.message}</p>;
  if (!execution) return <p className="muted">{t('loading')}</p>;

  const focusStep = (seq: number | null) => setFocusSeq(seq);
  const move = (delta: number) => {
    const index = Math.min(steps.length - 1, Math.max(0, (focusSeq === null ? steps.length : focusIndex) + delta));
    if (steps[index]) focusStep(steps[index].seq);
  };
  const onStepsKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Escape') {
      focusStep(null);
    }
  };
  const onNodeClick = (nodeId: string) => {
    const step = [...steps].reverse().find((s) => s.nodeId === nodeId);
    if (step) focusStep(step.seq);
  };
  // Only the step that scored the emotion shows it, not every step after it.
  const focusedEmotion = focused ? emotions.get(focused.seq) : undefined;
  const duration = execution.endedAt ? execution.endedAt.getTime() - execution.startedAt.getTime() : null;

  return (
    <div className="exec-view">
      <div className="exec-head">
        <div>
          <Link href={`/flows/${flowId}/executions`}>← {t('backToList', { flow: execution.flowName ?? '' })}</Link>
          <h1>
            {t('executionTitle', { channel: t(`channel.${execution.channel}`), when: execution.startedAt.toLocaleString() })}
          </h1>
        </div>
        <dl className="exec-facts">
          <div>
            <dt>{t('col.status')}</dt>
            <dd data-testid="exec-status">
              <StatusBadge status={execution.status} />
              {running && <span className="exec-live"> {t('live')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('col.version')}</dt>
            <dd>{execution.isTest ? <span className="exec-test">{t('testRun')}</span> : execution.version !== null ? `v${execution.version}` : '—'}</dd>
          </div>
          <div>
            <dt>{t('col.customer')}</dt>
            <dd>
              {execution.customer?.name ?? '—'} <span className="muted">{execution.fromNumber}</span>
            </dd>
          </div>
          <div>
            <dt>{t('col.duration')}</dt>
            <dd>{duration === null ? '—' : formatDuration(duration)}</dd>
          </div>
          <div>
            <dt>{t('col.emotion')}</dt>
            <dd data-testid="exec-emotion">{execution.emotionScore === null ? '—' : `${execution.emotionLabel ?? ''} (${execution.emotionScore.toFixed(2)})`}</dd>
          </div>
        </dl>
      </div>
      {execution.error && (
        <p className="error" data-testid="exec-error">
          {t('runError', { error: execution.error })}
        </p>
      )}
      {execution.documentSource === 'draft' && <p className="muted">{t('draftNote')}</p>}

      <div className="exec-main">
        {execution.document && path ? (
          <PathCanvas
            document={execution.document}
            visitedNodeIds={path.visitedNodeIds}
            laterNodeIds={path.laterNodeIds}
            takenEdgeIds={path.takenEdgeIds}
            laterEdgeIds={path.laterEdgeIds}
            currentNodeId={path.currentNodeId}
            focusNodeId={focused?.nodeId ?? null}
            visits={path.visits}
            onNodeClick={onNodeClick}
          />
        ) : (
          <p className="muted">{t('noDocument')}</p>
        )}
        <aside className="exec-side">
          <div className="exec-stepper">
            <h2>{t('steps', { count: steps.length })}</h2>
            <div>
              <button type="button" onClick={() => move(-1)} disabled={steps.length === 0 || focusIndex <= 0} aria-label={t('previousStep')}>
                ‹
              </button>
              <button type="button" onClick={() => move(1)} disabled={steps.length === 0 || focusSeq === null || focusIndex >= steps.length - 1} aria-label={t('nextStep')}>
                ›
              </button>
              <button type="button" onClick={() => focusStep(null)} disabled={focusSeq === null}>
                {t('wholeRun')}
              </button>
            </div>
          </div>
          <ol className="exec-steps" data-testid="exec-steps" onKeyDown={onStepsKey} aria-label={t('stepList')}>
            {steps.map((step) => (
              <li key={step.seq}>
                <button
                  type="button"
                  className={`exec-step ${focused?.seq === step.seq ? 'focused' : ''} ${step.error ? 'failed' : ''}`}
                  onClick={() => focusStep(focused?.seq === step.seq ? null : step.seq)}
                  aria-pressed={focused?.seq === step.seq}
                  data-testid={`exec-step-${step.seq}`}
                  data-node-id={step.nodeId}
                >
                  <span className="exec-step-seq">{step.seq}</span>
                  <span className="exec-step-main">
                    <span className="exec-step-title">
                      {nodeTitle(step.nodeId, step.nodeType)} <span className="exec-step-node">{step.nodeId}</span>
                    </span>
                    <span className="muted">
                      {step.port ? `→ ${step.port}` : step.error ? t('stepFailed') : t('stepEnded')}
                      {step.input !== null && step.input !== '' && ` · “${step.input}”`}
                    </span>
                  </span>
                  <span className="exec-step-time">{formatDuration(step.durationMs)}</span>
                </button>
              </li>
            ))}
            {running && path?.currentNodeId && (
              <li className="exec-step current" data-testid="exec-step-current">
                <span className="exec-step-seq">…</span>
                <span className="exec-step-main">
                  <span className="exec-step-title">{nodeTitle(path.currentNodeId, '')}</span>
                  <span className="muted">{t('inProgress')}</span>
                </span>
              </li>
            )}
          </ol>
          {focused && (
            <section className="exec-detail" data-testid="exec-step-detail" aria-label={t('stepDetail')}>
              <h3>
                {focused.seq}. {nodeTitle(focused.nodeId, focused.nodeType)} <span className="muted">({focused.nodeType})</span>
              </h3>
              <dl>
                <dt>{t('started')}</dt>
                <dd>{focused.startedAt.toLocaleTimeString()}</dd>
                <dt>{t('took')}</dt>
                <dd>{formatDuration(focused.durationMs)}</dd>
                <dt>{t('port')}</dt>
                <dd>{focused.port ?? '—'}</dd>
                <dt>{t('input')}</dt>
                <dd>{focused.input === null ? '—' : focused.input === '' ? t('noInput') : focused.input}</dd>
                {focusedEmotion && (
                  <>
                    <dt>{t('col.emotion')}</dt>
                    <dd data-testid="exec-step-emotion">
                      {focusedEmotion.label} ({focusedEmotion.score.toFixed(2)})
                    </dd>
                  </>
                )}
                {focused.error && (
                  <>
                    <dt>{t('error')}</dt>
                    <dd className="error">{focused.error}</dd>
                  </>
                )}
              </dl>
              {Object.keys(focused.data).length > 0 && <pre>{JSON.stringify(focused.data, null, 2)}</pre>}
            </section>
          )}
        </aside>
      </div>

      <div className="exec-sections">
        <section className="card">
          <h2>{t('variables')}</h2>
          {Object.keys(execution.vars).length === 0 ? (
            <p className="muted">{running ? t('varsWhenDone') : t('none')}</p>
          ) : (
            <table>
              <tbody>
                {Object.entries(execution.vars).map(([name, value]) => (
                  <tr key={name}>
                    <th>{name}</th>
                    <td>{typeof value === 'string' ? value : JSON.stringify(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" data-testid="exec-tags-applied">
          <h2>{t('tagsApplied')}</h2>
          {execution.tagsApplied.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <ul>
              {execution.tagsApplied.map((change) => (
                <li key={`${change.seq}-${change.change}`}>
                  {change.change === 'add' ? '+' : '−'} {change.tags.join(', ')} <span className="muted">({t('atStep', { seq: change.seq })})</span>
                </li>
              ))}
            </ul>
          )}
          {execution.customer && execution.customer.tags.length > 0 && (
            <p className="muted">{t('customerTagsNow', { tags: execution.customer.tags.map((tag) => tag.tag).join(', ') })}</p>
          )}
        </section>
        <section className="card" data-testid="exec-messages">
          <h2>{t('messagesTitle')}</h2>
          {execution.messages.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <ul className="exec-messages">
              {execution.messages.map((m) => (
                <li key={m.id}>
                  <span className="muted">
                    {m.direction === 'inbound' ? t('inbound') : t('outbound')} · {m.createdAt.toLocaleTimeString()} · {m.status}
                  </span>
                  <div>{m.body}</div>
                  {m.error && <div className="error">{m.error}</div>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" data-testid="exec-handoffs">
          <h2>{t('handoffs')}</h2>
          {execution.handoffs.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <ul>
              {execution.handoffs.map((h) => (
                <li key={h.id}>
                  <strong>{h.skill}</strong> · {t('priority', { priority: h.priority })} · {h.status}
                  {h.urgent && <span className="badge bad"> {t('urgent')}</span>}
                  {h.reason && <div className="muted">{h.reason}</div>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
