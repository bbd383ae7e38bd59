'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { useRoutingLive } from './live';
import type { Board } from './types';
import './inbox.css';

/** Service level below this is shown as a problem (the design's 30-second answer rate target). */
const TARGET = 0.9;

const STATE_ORDER = ['available', 'offering', 'on-task', 'wrap-up', 'missed', 'away', 'offline'] as const;

/** The supervisor's board: queues, agents by state, the waiting handoffs and reassigning them. Live. */
export function Supervisor() {
  const t = useTranslations('supervisor');
  const trpc = useTRPC();
  const { live } = useRoutingLive('supervisor');
  // Waits grow without any routing change: a slow poll keeps the clock figures moving.
  const board = useQuery(trpc.inbox.supervisor.board.queryOptions(undefined, { refetchInterval: 10_000, staleTime: 0 }));
  if (board.isPending) return <p className="muted">{t('loading')}</p>;
  if (board.error) return <p className="error">{board.error.message}</p>;
  const data = board.data;
  return (
    <div className="inbox">
      <header className="inbox-bar">
        <span className={`badge ${live ? 'ok' : ''}`} data-testid="supervisor-live" data-live={live}>
          {live ? t('live') : t('reconnecting')}
        </span>
        <span className="muted">{t('asOf', { time: data.now.toLocaleTimeString() })}</span>
      </header>
      <div className="supervisor-grid">
        <section className="card">
          <h2>{t('queues')}</h2>
          <table data-testid="supervisor-queues">
            <thead>
              <tr>
                <th>{t('queue')}</th>
                <th>{t('waiting')}</th>
                <th>{t('longestWait')}</th>
                <th>{t('serviceLevel')}</th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((q) => (
                <tr key={q.id} data-testid={`supervisor-queue-${q.id}`}>
                  <td>{q.name}</td>
                  <td>{q.waiting}</td>
                  <td>{q.longestWaitSeconds === null ? '—' : t('seconds', { seconds: q.longestWaitSeconds })}</td>
                  <td className={`supervisor-sl ${q.serviceLevel.ratio !== null && q.serviceLevel.ratio < TARGET ? 'low' : ''}`} title={t('slHelp', { seconds: q.serviceLevelSeconds })}>
                    {q.serviceLevel.ratio === null ? '—' : `${Math.round(q.serviceLevel.ratio * 100)} %`}{' '}
                    <span className="muted">({t('slCounts', { answered: q.serviceLevel.answeredInTime, offered: q.serviceLevel.offered })})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>{t('agents')}</h2>
          <div className="supervisor-states" data-testid="supervisor-agents">
            {STATE_ORDER.map((state) => {
              const agents = data.agents.filter((a) => a.state === state);
              if (agents.length === 0) return null;
              return (
                <div key={state} data-testid={`supervisor-state-${state}`}>
                  <strong>
                    {t(`state.${state}`)} ({agents.length})
                  </strong>
                  <div>{agents.map((a) => `${a.name}${a.senior ? ` (${t('senior')})` : ''}`).join(', ')}</div>
                </div>
              );
            })}
          </div>
        </section>
      </div>
      <section className="card" style={{ marginTop: 12 }}>
        <h2>{t('waitingWork')}</h2>
        {data.waiting.length === 0 ? (
          <p className="muted" data-testid="supervisor-nothing-waiting">
            {t('nothingWaiting')}
          </p>
        ) : (
          <table data-testid="supervisor-waiting">
            <thead>
              <tr>
                <th>{t('customer')}</th>
                <th>{t('queue')}</th>
                <th>{t('priority')}</th>
                <th>{t('waited')}</th>
                <th>{t('status')}</th>
                <th>{t('reassign')}</th>
              </tr>
            </thead>
            <tbody>
              {data.waiting.map((w) => (
                <WaitingRow key={w.id} row={w} agents={data.agents} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function WaitingRow({ row, agents }: { row: Board['waiting'][number]; agents: Board['agents'] }) {
  const t = useTranslations('supervisor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [to, setTo] = useState('');
  const reassign = useMutation(trpc.inbox.supervisor.reassign.mutationOptions({ onSuccess: () => {
        setTo('');
        void queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
      }, }));
  return (
    <tr data-testid="supervisor-waiting-row" data-handoff-id={row.id}>
      <td>
        {row.customerName ?? '—'} <span className="muted">· {row.channel}</span>
        {row.urgent && <span className="badge bad"> !</span>}
        {row.reason && <div className="muted">{row.reason}</div>}
      </td>
      <td>{row.skill}</td>
      <td>{row.priority}</td>
      <td>{t('seconds', { seconds: row.waitSeconds })}</td>
      <td>{row.status === 'offered' ? t('offeredTo', { name: row.offeredTo ?? '—' }) : t('queued')}</td>
      <td>
        <form
          method="post"
          className="inbox-reply"
          onSubmit={(e) => {
            e.preventDefault();
            if (to) reassign.mutate({ handoffId: row.id, toAgentId: to });
          }}
        >
          <select value={to} onChange={(e) => setTo(e.target.value)} aria-label={t('reassignTo')} data-testid="supervisor-reassign-to">
            <option value="">{t('pickAgent')}</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({t(`state.${a.state}`)})
              </option>
            ))}
          </select>
          <button type="submit" disabled={!to || reassign.isPending} data-testid="supervisor-reassign">
            {t('reassign')}
          </button>
        </form>
        {reassign.error && <div className="error">{reassign.error.message}</div>}
      </td>
    </tr>
  );
}
