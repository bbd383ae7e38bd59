'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { type DragEvent, useState } from 'react';
import type { ImportKind, ImportProgress, ImportRowError, ImportSummary } from '@/server/customers/import';

const KINDS: readonly ImportKind[] = ['customers', 'orders'];

type Line =
  | ({ type: 'progress' } & ImportProgress)
  | ({ type: 'error' } & ImportRowError)
  | ({ type: 'done' } & Omit<ImportSummary, 'errors'>)
  | ({ type: 'fatal'; error: string } & ImportProgress);

interface Run {
  dryRun: boolean;
  kind: ImportKind;
  size: number;
  /** Bytes of the file sent so far. */
  sent: number;
  progress: ImportProgress;
  errors: ImportRowError[];
  summary?: Omit<ImportSummary, 'errors'>;
  failure?: string;
  running: boolean;
}

/**
 * Picks a CSV file and sends it to `/api/customers/import` as it is (the server reads it as it
 * streams), then reads the NDJSON answer line by line: progress, the rows with errors, the summary.
 */
export function CustomerImport() {
  const t = useTranslations('customerImport');
  const format = useFormatter();
  const [kind, setKind] = useState<ImportKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [dragging, setDragging] = useState(false);
  const running = run?.running ?? false;

  const size = (bytes: number) =>
    bytes < 1024 * 1024
      ? format.number(bytes / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 })
      : format.number(bytes / (1024 * 1024), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });

  function start(dryRun: boolean) {
    if (!file) return;
    const empty = { rows: 0, accepted: 0, rejected: 0, bytes: 0 };
    let state: Run = { dryRun, kind, size: file.size, sent: 0, progress: empty, errors: [], running: true };
    setRun(state);
    const update = (next: Partial<Run>) => {
      state = { ...state, ...next };
      setRun(state);
    };
    let buffered = '';
    const read = (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      // One render per chunk received, however many lines it held.
      const next: Partial<Run> = {};
      const errors: ImportRowError[] = [];
      for (const raw of lines) {
        if (!raw.trim()) continue;
        const line = JSON.parse(raw) as Line;
        if (line.type === 'error') {
          errors.push({ line: line.line, column: line.column, reason: line.reason });
          continue;
        }
        next.progress = { rows: line.rows, accepted: line.accepted, rejected: line.rejected, bytes: line.bytes };
        if (line.type === 'done') {
          const { type: _type, ...summary } = line;
          next.summary = summary;
        } else if (line.type === 'fatal') next.failure = line.error;
      }
      if (errors.length > 0) next.errors = [...state.errors, ...errors];
      update(next);
    };
    // XMLHttpRequest rather than fetch: it reports upload progress, and the server reads the file
    // only as fast as it imports it, so the bytes sent follow the import; the NDJSON answer is read
    // as it arrives (responseText grows while the request is loading).
    const xhr = new XMLHttpRequest();
    let seen = 0;
    const received = () => {
      if (xhr.status !== 200) return;
      read(xhr.responseText.slice(seen));
      seen = xhr.responseText.length;
    };
    xhr.open('POST', `/api/customers/import?kind=${kind}${dryRun ? '&dryRun=1' : ''}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (event) => update({ sent: event.loaded });
    xhr.onprogress = received;
    xhr.onload = () => {
      if (xhr.status === 200) {
        received();
        read('\n');
        update({ running: false, ...(!state.summary && !state.failure && { failure: t('cutOff') }) });
        return;
      }
      let error = `HTTP ${xhr.status}`;
      try {
        error = (JSON.parse(xhr.responseText) as { error?: string }).error ?? error;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      update({ failure: error, running: false });
    };
    xhr.onerror = () => update({ failure: t('cutOff'), running: false });
    xhr.send(file);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped && !running) setFile(dropped);
  }

  const summary = run?.summary;
  return (
    <>
      <section className="card settings-form">
        <div className="inline-form">
          <label>
            {t('kind')}{' '}
            <select data-testid="import-kind" value={kind} disabled={running} onChange={(e) => setKind(e.target.value as ImportKind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="muted">{t(`columns.${kind}`)}</p>
        <div
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{ border: `2px dashed ${dragging ? 'var(--accent)' : 'var(--border)'}`, borderRadius: 8, padding: 16, margin: '8px 0' }}
        >
          <label>
            {t('file')}{' '}
            <input
              data-testid="import-file"
              type="file"
              accept=".csv,text/csv"
              disabled={running}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <p className="muted">{file ? t('chosen', { name: file.name, size: size(file.size) }) : t('drop')}</p>
        </div>
        <div className="form-buttons">
          <button type="button" data-testid="import-dry-run" disabled={!file || running} onClick={() => start(true)}>
            {t('dryRun')}
          </button>
          <button type="button" className="primary" data-testid="import-submit" disabled={!file || running} onClick={() => start(false)}>
            {t('import')}
          </button>
        </div>
        <p className="muted">{t('dryRunHint')}</p>
      </section>

      {run && (
        <section className="card" aria-live="polite">
          <h2>{run.dryRun ? t('dryRunTitle') : t('importTitle')}</h2>
          <progress data-testid="import-progress" max={Math.max(run.size, 1)} value={summary ? Math.max(run.size, 1) : Math.min(Math.max(run.sent, run.progress.bytes), run.size)} style={{ width: '100%' }} />
          <p className="muted" data-testid="import-counts">
            {t('progress', { rows: run.progress.rows, accepted: run.progress.accepted, rejected: run.progress.rejected })} ·{' '}
            {t('bytes', { read: size(Math.max(run.sent, run.progress.bytes)), total: size(run.size) })}
            {run.running && ` · ${t('running')}`}
          </p>
          {summary && (
            <p data-testid="import-summary">
              {t(`summary.${summary.dryRun ? 'dry' : 'done'}.${summary.kind}`, {
                created: summary.kind === 'customers' ? summary.customersCreated : summary.ordersCreated,
                updated: summary.kind === 'customers' ? summary.customersUpdated : summary.ordersUpdated,
                rejected: summary.rejected,
              })}
            </p>
          )}
          {run.failure && (
            <p className="error" role="alert" data-testid="import-failure">
              {t('failed', { error: run.failure })}
            </p>
          )}
        </section>
      )}

      {run && run.errors.length > 0 && (
        <section>
          <h2>{t('errorsTitle')}</h2>
          {summary && summary.errorCount > run.errors.length && <p className="muted">{t('errorsCut', { shown: run.errors.length, count: summary.errorCount })}</p>}
          <table data-testid="import-errors">
            <thead>
              <tr>
                <th>{t('line')}</th>
                <th>{t('column')}</th>
                <th>{t('reason')}</th>
              </tr>
            </thead>
            <tbody>
              {run.errors.map((e, i) => (
                <tr key={`${e.line}:${e.column}:${i}`} data-testid="import-error">
                  <td>{e.line}</td>
                  <td>{e.column ?? t('wholeRow')}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
