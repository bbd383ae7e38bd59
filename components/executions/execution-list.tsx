'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { StatusBadge, formatDuration } from './status-badge';
import './executions.css';

const STATUSES = ['running', 'completed', 'escalated', 'abandoned', 'failed'] as const;
type Status = (typeof STATUSES)[number];

function toDate(local: string): Date | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A flow's executions with filters by version, outcome, channel, time and test runs. */
export function ExecutionList({ flowId }: { flowId: string }) {
  const t = useTranslations('executions');
  const trpc = useTRPC();
  const [version, setVersion] = useState<string>('all');
  const [status, setStatus] = useState<Status | 'all'>('all');
  const [channel, setChannel] = useState<'all' | 'voice' | 'sms'>('all');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [includeTests, setIncludeTests] = useState(false);
  const [limit, setLimit] = useState(50);
  // Set by the performance overlay's links: executions that reached a node, or ended by a hang-up there.
  const tFilter = useTranslations('performance.filter');
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const nodeId = searchParams.get('node') || undefined;
  const droppedAt = searchParams.get('dropped') || undefined;
  const without = (name: string) => {
    const rest = new URLSearchParams(searchParams.toString());
    rest.delete(name);
    return rest.size > 0 ? `${pathname}?${rest}` : pathname;
  };

  const versions = useQuery(trpc.executions.versions.queryOptions({ flowId }));
  const input = {
    flowId,
    ...(version !== 'all' && { versions: [version === 'draft' ? ('draft' as const) : Number(version)] }),
    ...(status !== 'all' && { statuses: [status] }),
    ...(channel !== 'all' && { channel }),
    ...(toDate(from) && { from: toDate(from) }),
    ...(toDate(to) && { to: toDate(to) }),
    includeTests: includeTests || version === 'draft',
    limit,
    ...(nodeId && { nodeId }),
    ...(droppedAt && { droppedAt }),
  };
  const list = useQuery(
    trpc.executions.list.queryOptions(input, {
      refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'running') ? 2000 : 10_000),
      placeholderData: (previous) => previous,
    }),
  );

  return (
    <>
      <form className="exec-filters" method="post" onSubmit={(e) => e.preventDefault()} aria-label={t('filters')}>
        <label>
          <span>{t('col.version')}</span>
          <select value={version} onChange={(e) => setVersion(e.target.value)} data-testid="filter-version">
            <option value="all">{t('allVersions')}</option>
            {versions.data?.map((v) => (
              <option key={v} value={String(v)}>
                v{v}
              </option>
            ))}
            <option value="draft">{t('draftTests')}</option>
          </select>
        </label>
        <label>
          <span>{t('outcome')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as Status | 'all')} data-testid="filter-status">
            <option value="all">{t('allOutcomes')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statusLabel.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('col.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as 'all' | 'voice' | 'sms')} data-testid="filter-channel">
            <option value="all">{t('allChannels')}</option>
            <option value="voice">{t('channel.voice')}</option>
            <option value="sms">{t('channel.sms')}</option>
          </select>
        </label>
        <label>
          <span>{t('from')}</span>
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          <span>{t('to')}</span>
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="exec-check">
          <input type="checkbox" checked={includeTests} onChange={(e) => setIncludeTests(e.target.checked)} data-testid="filter-tests" /> {t('includeTests')}
        </label>
      </form>
      {(
        [
          ['node', nodeId, 'reached'],
          ['dropped', droppedAt, 'dropped'],
        ] as const
      ).map(
        ([param, node, text]) =>
          node && (
            <p key={param} className="exec-node-filter" data-testid={`filter-${param}`}>
              {tFilter(text, { node })}{' '}
              <Link href={without(param)} title={tFilter('clear')} data-testid={`clear-filter-${param}`}>
                × {tFilter('clear')}
              </Link>
            </p>
          ),
      )}
      {list.error && <p className="error">{list.error.message}</p>}
      <table className="exec-table" data-testid="executions">
        <thead>
          <tr>
            <th>{t('col.started')}</th>
            <th>{t('col.channel')}</th>
            <th>{t('col.customer')}</th>
            <th>{t('col.version')}</th>
            <th>{t('col.status')}</th>
            <th>{t('col.steps')}</th>
            <th>{t('col.duration')}</th>
            <th>{t('col.emotion')}</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.items.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                {t('empty')}
              </td>
            </tr>
          )}
          {list.data?.items.map((item) => (
            <tr key={item.id} data-testid="execution-row">
              <td>
                <Link href={`/flows/${flowId}/executions/${item.id}`}>{item.startedAt.toLocaleString()}</Link>
              </td>
              <td>{t(`channel.${item.channel}`)}</td>
              <td>
                {item.customerName ?? '—'} <span className="muted">{item.fromNumber}</span>
              </td>
              <td>{item.isTest ? <span className="exec-test">{t('testRun')}</span> : item.version !== null ? `v${item.version}` : '—'}</td>
              <td>
                <StatusBadge status={item.status} />
                {item.error && (
                  <span className="error" title={item.error}>
                    {' '}
                    ⚠
                  </span>
                )}
              </td>
              <td>{item.steps}</td>
              <td>{item.durationMs === null ? '—' : formatDuration(item.durationMs)}</td>
              <td>{item.emotionScore === null ? '—' : `${item.emotionLabel ?? ''} ${item.emotionScore.toFixed(2)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.nextBefore && (
        <p>
          <button type="button" onClick={() => setLimit((n) => Math.min(200, n + 50))} disabled={limit >= 200}>
            {t('more')}
          </button>
        </p>
      )}
    </>
  );
}
