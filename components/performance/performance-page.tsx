'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { type KeyboardEvent, useState, useSyncExternalStore } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { kpiCsv } from '@/server/analytics/kpis';
import { BreakdownTable, CompareVersions } from './breakdowns';
import { KpiCards } from './kpi-cards';
import { OverlaySection } from './overlay-canvas';
import { type Bucket, PerformanceChart } from './performance-chart';
import './performance.css';

const RANGES = ['24h', '7d', '30d', 'custom'] as const;
type RangeChoice = (typeof RANGES)[number];
const DAY = 86_400_000;
const SPAN: Record<Exclude<RangeChoice, 'custom'>, number> = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };
const MAX_DAYS = 400;
const TABS = ['figures', 'canvas'] as const;
type Tab = (typeof TABS)[number];

const pad = (n: number) => String(n).padStart(2, '0');
/** A date as `<input type="datetime-local">` writes it, in the browser's zone. */
const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
const parseLocal = (text: string) => {
  const date = new Date(text);
  return text === '' || Number.isNaN(date.getTime()) ? undefined : date;
};
/** Now, to the next whole minute: the range's end, fixed until the viewer changes it or refreshes. */
const nextMinute = () => new Date(Math.ceil(Date.now() / 60_000) * 60_000);

// The browser's time zone (null while rendering on the server): buckets are days and hours there.
const noSubscription = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverZone = () => null;

function downloadText(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const fileSafe = (text: string) => text.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'flow';

/** `/flows/[id]/performance`: KPI cards, the time series, breakdowns, a version comparison, CSV, and the canvas overlay. */
export function PerformanceView({ flowId }: { flowId: string }) {
  const t = useTranslations('performance');
  const trpc = useTRPC();
  const timeZone = useSyncExternalStore(noSubscription, browserZone, serverZone);
  const [range, setRange] = useState<RangeChoice>('30d');
  const [end, setEnd] = useState(nextMinute);
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [bucket, setBucket] = useState<Bucket>('day');
  const [versions, setVersions] = useState<number[]>([]);
  const [channel, setChannel] = useState<'all' | 'voice' | 'sms'>('all');
  const [tag, setTag] = useState('');
  const [tab, setTab] = useState<Tab>('figures');

  const from = range === 'custom' ? parseLocal(customFrom) : new Date(end.getTime() - SPAN[range]);
  const to = range === 'custom' ? parseLocal(customTo) : end;
  const validRange = from !== undefined && to !== undefined && from < to && to.getTime() - from.getTime() <= MAX_DAYS * DAY;
  const input = {
    flowId,
    from: from ?? end,
    to: to ?? end,
    bucket,
    timeZone: timeZone ?? 'UTC',
    ...(versions.length > 0 && { versions }),
    ...(channel !== 'all' && { channel }),
    ...(tag !== '' && { tag }),
  };
  const enabled = validRange && timeZone !== null;
  const query = useQuery(trpc.analytics.performance.queryOptions(input, { enabled, placeholderData: (previous) => previous }));
  // Asked for apart: the tag breakdown counts every contact live, and the cards need not wait for it.
  const { bucket: _bucket, ...tagInput } = input;
  const tags = useQuery(trpc.analytics.tagBreakdown.queryOptions(tagInput, { enabled, placeholderData: (previous) => previous }));
  const data = query.data;
  const empty = data !== undefined && (data.kpis.find((k) => k.id === 'contacts')?.value ?? 0) === 0;

  const pickRange = (next: RangeChoice) => {
    setRange(next);
    if (next === 'custom') {
      if (customFrom === '' && from) setCustomFrom(localInput(from));
      if (customTo === '' && to) setCustomTo(localInput(to));
    } else {
      setEnd(nextMinute());
      setBucket(next === '24h' ? 'hour' : 'day');
    }
  };
  const toggleVersion = (version: number, on: boolean) => setVersions((current) => (on ? [...current, version].sort((a, b) => b - a) : current.filter((v) => v !== version)));
  const versionLabel = (key: string) => {
    if (key === 'draft') return t('versions.draft');
    const live = data?.versions.find((v) => String(v.version) === key)?.live;
    return live ? t('versions.liveVersion', { version: key }) : t('versions.version', { version: key });
  };
  const channelLabel = (key: string) => (key === 'voice' || key === 'sms' ? t(`channel.${key}`) : key);

  const exportCsv = () => {
    if (!data || !from || !to) return;
    const day = (d: Date) => localInput(d).slice(0, range === '24h' ? 13 : 10).replace('T', '-');
    const csv = kpiCsv([...data.series.map((s) => ({ group: s.key, kpis: s.kpis })), { group: 'total', kpis: data.kpis }]);
    downloadText(`${fileSafe(data.flow.name)}_performance_${day(from)}_${day(to)}.csv`, csv);
  };

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = TABS[(TABS.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    setTab(next);
    document.getElementById(`perf-tab-${next}`)?.focus();
  };

  return (
    <div className="perf-page">
      <p className="perf-links">
        <Link href={`/flows/${flowId}`}>← {t('backToFlow')}</Link>
        <Link href={`/flows/${flowId}/executions`} data-testid="performance-executions-link">
          {t('executions')}
        </Link>
      </p>
      <div className="page-head">
        <h1>{data ? t('titleOf', { flow: data.flow.name }) : t('title')}</h1>
        <button type="button" onClick={exportCsv} disabled={!data || empty} data-testid="performance-csv">
          {t('csv')}
        </button>
      </div>
      <p className="muted">{t('intro')}</p>

      <form className="perf-controls" method="post" onSubmit={(e) => e.preventDefault()} aria-label={t('controls')}>
        <label>
          <span>{t('range.label')}</span>
          <select value={range} onChange={(e) => pickRange(e.target.value as RangeChoice)} data-testid="performance-range">
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`range.${r}`)}
              </option>
            ))}
          </select>
        </label>
        {range === 'custom' && (
          <>
            <label>
              <span>{t('from')}</span>
              <input type="datetime-local" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} data-testid="performance-from" />
            </label>
            <label>
              <span>{t('to')}</span>
              <input type="datetime-local" value={customTo} onChange={(e) => setCustomTo(e.target.value)} data-testid="performance-to" />
            </label>
          </>
        )}
        <label>
          <span>{t('bucket.label')}</span>
          <select value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)} data-testid="performance-bucket">
            <option value="hour">{t('bucket.hour')}</option>
            <option value="day">{t('bucket.day')}</option>
          </select>
        </label>
        <fieldset className="perf-versions">
          <legend>{t('versions.label')}</legend>
          <details>
            <summary data-testid="performance-versions">{versions.length === 0 ? t('versions.all') : versions.map((v) => `v${v}`).join(', ')}</summary>
            <div className="perf-versions-list">
              <label className="perf-check">
                <input type="checkbox" checked={versions.length === 0} onChange={() => setVersions([])} /> {t('versions.all')}
              </label>
              {data?.versions.map((v) => (
                <label key={v.id} className="perf-check">
                  <input type="checkbox" checked={versions.includes(v.version)} onChange={(e) => toggleVersion(v.version, e.target.checked)} data-testid={`performance-version-${v.version}`} />{' '}
                  {versionLabel(String(v.version))}
                  {v.message && <span className="muted"> — {v.message}</span>}
                </label>
              ))}
            </div>
          </details>
        </fieldset>
        <label>
          <span>{t('channel.label')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as 'all' | 'voice' | 'sms')} data-testid="performance-channel">
            <option value="all">{t('channel.all')}</option>
            <option value="voice">{t('channel.voice')}</option>
            <option value="sms">{t('channel.sms')}</option>
          </select>
        </label>
        <label>
          <span>{t('tag.label')}</span>
          <select value={tag} onChange={(e) => setTag(e.target.value)} data-testid="performance-tag">
            <option value="">{t('tag.all')}</option>
            {data?.tags.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {range !== 'custom' && (
          <button type="button" onClick={() => setEnd(nextMinute())} data-testid="performance-refresh">
            {t('refresh')}
          </button>
        )}
        {timeZone && <span className="muted perf-zone">{t('timeZone', { zone: timeZone })}</span>}
      </form>
      {!validRange && (
        <p className="error" role="alert">
          {t('badRange', { days: MAX_DAYS })}
        </p>
      )}

      <div className="perf-tabs" role="tablist" aria-label={t('tabs.label')}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`perf-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`perf-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={onTabKey}
            data-testid={`performance-tab-${name}`}
          >
            {t(`tabs.${name}`)}
          </button>
        ))}
      </div>

      <div id={`perf-panel-${tab}`} role="tabpanel" aria-labelledby={`perf-tab-${tab}`}>
        {tab === 'canvas' ? (
          validRange && from && to && <OverlaySection flowId={flowId} from={from} to={to} channel={channel === 'all' ? undefined : channel} enabled={timeZone !== null} />
        ) : (
          <>
            {query.isPending && validRange && (
              <p className="muted" role="status" data-testid="performance-loading">
                {t('loading')}
              </p>
            )}
            {query.error && (
              <p className="error" role="alert" data-testid="performance-error">
                {t('loadFailed', { message: query.error.message })}
              </p>
            )}
            {empty && (
              <p className="perf-empty" data-testid="performance-empty">
                {t('empty')}
              </p>
            )}
            {data && !empty && from && to && (
              <div className={query.isFetching ? 'perf-stale' : undefined} aria-busy={query.isFetching}>
                <section className="perf-section" aria-labelledby="perf-kpis-title">
                  <h2 id="perf-kpis-title">{t('kpisTitle')}</h2>
                  <KpiCards kpis={data.kpis} settings={data.settings} />
                </section>
                <PerformanceChart series={data.series} settings={data.settings} from={from} to={to} bucket={bucket} />
                <section className="perf-section" aria-labelledby="perf-breakdowns-title">
                  <h2 id="perf-breakdowns-title">{t('breakdown.title')}</h2>
                  <BreakdownTable title={t('breakdown.byVersion')} rows={data.byVersion} label={versionLabel} testId="breakdown-version" />
                  <BreakdownTable title={t('breakdown.byChannel')} rows={data.byChannel} label={channelLabel} testId="breakdown-channel" />
                  <BreakdownTable
                    title={t('breakdown.byTag')}
                    rows={tags.data?.byTag ?? []}
                    label={(key) => key}
                    testId="breakdown-tag"
                    note={t('breakdown.tagNote')}
                    state={{ loading: tags.isPending || tags.isFetching, error: tags.error?.message }}
                  />
                </section>
                <CompareVersions rows={data.byVersion.filter((r) => r.key !== 'draft')} label={versionLabel} />
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}
