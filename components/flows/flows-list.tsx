'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useNow, useTranslations } from 'next-intl';
import { useDeferredValue, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { FLOW_STATUS_FILTERS, type FlowStatusFilter } from '@/server/flows/status';
import { FLOW_TEMPLATES, type FlowTemplate } from '@/server/flows/template-names';

/** `/flows`: search, status, numbers, last edit; create (blank or template), import, duplicate, rename, archive. */
export function FlowsList() {
  const t = useTranslations('flows');
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const format = useFormatter();
  const now = useNow({ updateInterval: 60_000 });
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<FlowStatusFilter>('all');
  const deferredSearch = useDeferredValue(search);
  const list = useQuery(trpc.flows.list.queryOptions({ search: deferredSearch || undefined, status }));
  const [name, setName] = useState('');
  const [template, setTemplate] = useState<FlowTemplate>('blank');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [problems, setProblems] = useState<{ path: string; message: string }[] | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });

  const create = useMutation(trpc.flows.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/flows/${id}`) }));
  const duplicate = useMutation(trpc.flows.duplicate.mutationOptions({ onSuccess: invalidate }));
  const rename = useMutation(trpc.flows.rename.mutationOptions({ onSuccess: invalidate }));
  const archive = useMutation(trpc.flows.archive.mutationOptions({ onSuccess: invalidate }));
  const importFlow = useMutation(trpc.flows.import.mutationOptions());
  const error = create.error ?? duplicate.error ?? rename.error ?? archive.error ?? importFlow.error ?? list.error;

  return (
    <div className="flows-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <form
          method="post"
          className="create-flow"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: name.trim() || t(`template.${template}`), template });
          }}
        >
          <input aria-label={t('newName')} placeholder={t('newName')} value={name} onChange={(e) => setName(e.target.value)} data-testid="new-flow-name" />
          <select aria-label={t('templateLabel')} value={template} onChange={(e) => setTemplate(e.target.value as FlowTemplate)} data-testid="new-flow-template">
            {FLOW_TEMPLATES.map((tpl) => (
              <option key={tpl} value={tpl}>
                {t(`template.${tpl}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="primary" disabled={create.isPending} data-testid="create-flow">
            {t('create')}
          </button>
          <button type="button" onClick={() => fileInput.current?.click()} data-testid="import-flow">
            {t('import')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              const result = await importFlow.mutateAsync({ json: await file.text() });
              if (result.ok) router.push(`/flows/${result.flowId}`);
              else setProblems(result.problems);
            }}
          />
        </form>
      </div>
      <div className="filters">
        <input type="search" placeholder={t('search')} aria-label={t('search')} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="flows-search" />
        <select aria-label={t('statusLabel')} value={status} onChange={(e) => setStatus(e.target.value as FlowStatusFilter)} data-testid="flows-status">
          {FLOW_STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {problems && (
        <div className="import-problems" role="alert" data-testid="import-problems">
          <p className="error">{t('importFailed')}</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.path && <code>{p.path}</code>} {p.message}
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setProblems(null)}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <table className="flows-table" data-testid="flows-table">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th>{t('statusLabel')}</th>
            <th>{t('numbers')}</th>
            <th>{t('lastEdited')}</th>
            <th aria-label={t('actions')} />
          </tr>
        </thead>
        <tbody>
          {list.data?.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                {t('empty')}
              </td>
            </tr>
          )}
          {list.data?.map((flow) => (
            <tr key={flow.id} data-testid="flow-row" data-flow-id={flow.id}>
              <td>
                {renaming?.id === flow.id ? (
                  <form
                    method="post"
                    className="inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      if (renaming.name.trim()) rename.mutate({ id: flow.id, name: renaming.name.trim() });
                      setRenaming(null);
                    }}
                  >
                    <input autoFocus aria-label={t('name')} value={renaming.name} onChange={(e) => setRenaming({ id: flow.id, name: e.target.value })} />
                    <button type="submit">{t('save')}</button>
                    <button type="button" onClick={() => setRenaming(null)}>
                      {t('cancel')}
                    </button>
                  </form>
                ) : (
                  <>
                    <Link href={`/flows/${flow.id}`}>{flow.name}</Link>
                    {flow.description && <div className="muted">{flow.description}</div>}
                  </>
                )}
              </td>
              <td>
                {flow.status === 'archived' ? (
                  <span className="badge">{t('archived')}</span>
                ) : flow.liveVersion === null ? (
                  <span className="badge draft">{t('draftOnly')}</span>
                ) : (
                  <span className="badge ok">{t('publishedVersion', { version: flow.liveVersion })}</span>
                )}
              </td>
              <td>{flow.numbers.length === 0 ? <span className="muted">—</span> : flow.numbers.map((n) => `${n.number} (${t(`channel.${n.channel}`)})`).join(', ')}</td>
              <td title={format.dateTime(flow.updatedAt, { dateStyle: 'medium', timeStyle: 'short' })}>{format.relativeTime(flow.updatedAt, now)}</td>
              <td className="row-actions">
                <button type="button" onClick={() => setRenaming({ id: flow.id, name: flow.name })}>
                  {t('rename')}
                </button>
                <button type="button" onClick={() => duplicate.mutate({ id: flow.id, name: t('copyOf', { name: flow.name }) })}>
                  {t('duplicate')}
                </button>
                <button type="button" onClick={() => archive.mutate({ id: flow.id, archived: flow.status !== 'archived' })}>
                  {flow.status === 'archived' ? t('unarchive') : t('archive')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
