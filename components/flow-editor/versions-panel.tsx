'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useFormatter, useTranslations } from 'next-intl';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { useEditorStore } from './context';
import { DiffView } from './diff-view';
import { Modal } from './modal';

type Ref = number | 'draft';

export interface VersionRow {
  id: string;
  version: number;
  message: string;
  publishedBy: string | null;
  authorName?: string | null;
  publishedAt: Date;
  live: boolean;
}

/** The version history: author, time and message; compare any two; roll back by republishing. */
export function VersionList({
  versions,
  onCompare,
  onRollback,
  busy = false,
}: {
  versions: readonly VersionRow[];
  onCompare(from: Ref, to: Ref): void;
  onRollback(version: number): void;
  busy?: boolean;
}) {
  const t = useTranslations('editor');
  const format = useFormatter();
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('draft');
  const [newest] = versions;
  if (newest === undefined) return <p className="muted">{t('noVersions')}</p>;
  const refOf = (value: string): Ref => (value === 'draft' ? 'draft' : Number(value));
  return (
    <>
      <form
        method="post"
        className="compare-form"
        onSubmit={(e) => {
          e.preventDefault();
          onCompare(refOf(from || String(newest.version)), refOf(to));
        }}
      >
        <select aria-label={t('compareFrom')} value={from || String(newest.version)} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from">
          {versions.map((v) => (
            <option key={v.id} value={v.version}>
              {t('versionN', { version: v.version })}
            </option>
          ))}
        </select>
        →
        <select aria-label={t('compareTo')} value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to">
          <option value="draft">{t('draft')}</option>
          {versions.map((v) => (
            <option key={v.id} value={v.version}>
              {t('versionN', { version: v.version })}
            </option>
          ))}
        </select>
        <button type="submit">{t('compare')}</button>
      </form>
      <ol className="versions" data-testid="versions">
        {versions.map((v) => (
          <li key={v.id} data-testid={`version-${v.version}`} className={v.live ? 'live' : ''}>
            <div className="version-head">
              <strong>{t('versionN', { version: v.version })}</strong>
              {v.live && <span className="badge ok">{t('live')}</span>}
            </div>
            <div>{v.message || <span className="muted">{t('noMessage')}</span>}</div>
            <div className="muted">
              {t('publishedBy', { author: v.authorName ?? v.publishedBy ?? t('unknownAuthor'), time: format.dateTime(v.publishedAt, { dateStyle: 'medium', timeStyle: 'short' }) })}
            </div>
            <div className="version-actions">
              {v.version > 1 && (
                <button type="button" onClick={() => onCompare(v.version - 1, v.version)} data-testid={`compare-previous-${v.version}`}>
                  {t('compareWithPrevious')}
                </button>
              )}
              {!v.live && (
                <button type="button" disabled={busy} onClick={() => onRollback(v.version)} data-testid={`rollback-${v.version}`}>
                  {t('rollBack')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

export function VersionsPanel({ flowId, onRolledBack }: { flowId: string; onRolledBack(): Promise<void> }) {
  const t = useTranslations('editor');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const store = useEditorStore();
  const versions = useQuery(trpc.flows.versions.queryOptions({ id: flowId }));
  const [compare, setCompare] = useState<{ from: Ref; to: Ref } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rollback = useMutation(trpc.flows.rollback.mutationOptions());

  const doRollback = async (version: number) => {
    const unsaved = store.getState().changeVersion !== store.getState().savedChangeVersion;
    if (!window.confirm(t(unsaved ? 'confirmRollbackUnsaved' : 'confirmRollback', { version }))) return;
    setError(null);
    const result = await rollback.mutateAsync({ id: flowId, version });
    if (!result.ok) {
      setError(result.diagnostics.map((d) => d.message).join('\n'));
      return;
    }
    await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
    await onRolledBack();
  };

  return (
    <div className="panel-body" data-testid="versions-panel">
      {versions.isPending && <p className="muted">{t('loading')}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {versions.data && <VersionList versions={versions.data} onCompare={(from, to) => setCompare({ from, to })} onRollback={doRollback} busy={rollback.isPending} />}
      {compare && <DiffDialog flowId={flowId} from={compare.from} to={compare.to} onClose={() => setCompare(null)} />}
    </div>
  );
}

function DiffDialog({ flowId, from, to, onClose }: { flowId: string; from: Ref; to: Ref; onClose(): void }) {
  const t = useTranslations('editor');
  const trpc = useTRPC();
  const diff = useQuery(trpc.flows.diff.queryOptions({ id: flowId, from, to }));
  const name = (ref: Ref) => (ref === 'draft' ? t('draft') : t('versionN', { version: ref }));
  return (
    <Modal title={t('diffTitle')} onClose={onClose} wide testId="diff-dialog">
      {diff.isPending && <p className="muted">{t('loading')}</p>}
      {diff.error && <p className="error">{diff.error.message}</p>}
      {diff.data && <DiffView {...diff.data} fromLabel={name(from)} toLabel={name(to)} />}
    </Modal>
  );
}
