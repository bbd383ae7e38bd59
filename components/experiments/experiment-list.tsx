'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ExperimentForm } from './experiment-form';
import { ErrorNotice, StatusBadge } from './shared';
import './experiments.css';

/** `/experiments`: every experiment, newest first, and the form for a new one. */
export function ExperimentList({ canManage }: { canManage: boolean }) {
  const t = useTranslations('experiments');
  const format = useFormatter();
  const trpc = useTRPC();
  const list = useQuery(trpc.experiments.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
  const newButton = canManage && !creating && (
    <button type="button" className="primary" onClick={() => setCreating(true)} data-testid="new-experiment">
      {t('list.new')}
    </button>
  );

  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        {list.data && list.data.length > 0 && newButton}
      </div>
      <p className="muted">{t('intro')}</p>
      {creating && <ExperimentForm onCancel={() => setCreating(false)} />}
      <ErrorNotice error={list.error} />
      {list.isPending && <p className="muted">{t('list.loading')}</p>}
      {list.data?.length === 0 && !creating && (
        <div className="card exp-empty" data-testid="experiments-empty">
          <h2>{t('list.emptyTitle')}</h2>
          <p>{t('list.emptyBody')}</p>
          {newButton || <p className="muted">{t('list.emptyNoPermission')}</p>}
        </div>
      )}
      {list.data && list.data.length > 0 && (
        <table className="exp-table" data-testid="experiments">
          <thead>
            <tr>
              <th>{t('list.name')}</th>
              <th>{t('list.status')}</th>
              <th>{t('list.number')}</th>
              <th>{t('list.flow')}</th>
              <th>{t('list.variants')}</th>
              <th>{t('list.metric')}</th>
              <th>{t('list.started')}</th>
              <th>{t('list.ended')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((e) => (
              <tr key={e.id} data-testid="experiment-row">
                <td>
                  <Link href={`/experiments/${e.id}`}>{e.name}</Link>
                </td>
                <td>
                  <StatusBadge status={e.status} />
                </td>
                <td>
                  {e.number} <span className="muted">{t(`form.channel.${e.channel}`)}</span>
                </td>
                <td>{e.flowName}</td>
                <td>
                  <ul className="exp-variant-list">
                    {e.variants.map((v) => (
                      <li key={v.id}>
                        {t('list.variant', { name: v.name, version: v.version, weight: v.weight })}
                        {e.winnerVariantId === v.id && <span className="exp-badge tone-ok">{t('list.winner')}</span>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {t(`metrics.${e.metric}`)}
                  {e.metricNodeId && <code> {e.metricNodeId}</code>}
                </td>
                <td>{when(e.startedAt)}</td>
                <td>{when(e.endedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
