'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';

type Named = { firstName: string | null; lastName: string | null };
type Reason = { kind: 'email' | 'phone' | 'member'; value: string } | { kind: 'name'; similarity: number };

const COUNT_KEYS = ['identities', 'interactions', 'messages', 'handoffs', 'orders', 'events', 'tagChanges', 'tags'] as const;

/**
 * Duplicates of a profile, never merged silently: possible duplicates with why and how likely,
 * a preview of the merged profile beside both, a merge a person confirms, every merge into this
 * profile with Undo; and, on a profile merged away, where it went.
 */
export function CustomerMerge({ id, mergedInto, canMerge }: { id: string; mergedInto: ({ id: string } & Named) | null; canMerge: boolean }) {
  const t = useTranslations('customerMerge');
  const nameOf = (c: Named) => [c.firstName, c.lastName].filter(Boolean).join(' ') || t('unnamed');
  if (mergedInto) {
    return (
      <p className="card notice" data-testid="merged-into" role="status">
        {t.rich('mergedInto', { name: nameOf(mergedInto), link: (chunks) => <Link href={`/customers/${mergedInto.id}`}>{chunks}</Link> })}
      </p>
    );
  }
  return (
    <>
      <MergeHistory id={id} canMerge={canMerge} nameOf={nameOf} />
      <MergeSuggestions id={id} canMerge={canMerge} nameOf={nameOf} />
    </>
  );
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  return async (goTo?: string) => {
    await queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
    if (goTo) router.push(goTo);
    else router.refresh();
  };
}

function MergeHistory({ id, canMerge, nameOf }: { id: string; canMerge: boolean; nameOf: (c: Named) => string }) {
  const t = useTranslations('customerMerge');
  const format = useFormatter();
  const trpc = useTRPC();
  const refresh = useRefresh();
  const merges = useQuery(trpc.customers.merges.queryOptions({ id }));
  const undo = useMutation(trpc.customers.undoMerge.mutationOptions({ onSuccess: () => refresh() }));
  const when = (d: Date | string) => format.dateTime(new Date(d), { dateStyle: 'medium', timeStyle: 'short' });
  if (merges.error) {
    return (
      <p className="error" role="alert">
        {t('loadFailed', { message: merges.error.message })}
      </p>
    );
  }
  const rows = merges.data ?? [];
  if (rows.length === 0) return null;
  return (
    <section className="card" data-testid="merge-history" aria-label={t('history')}>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {rows.map((m) => (
          <li key={m.id} className={m.undoneAt ? 'muted' : 'notice'} data-testid="merge-history-entry" data-undone={m.undoneAt ? 'true' : 'false'}>
            {m.undoneAt ? (
              t('undone', { name: nameOf(m), date: when(m.mergedAt), undoneAt: when(m.undoneAt) })
            ) : (
              <>
                <span>
                  {t.rich('mergedFrom', { name: nameOf(m), date: when(m.mergedAt), link: (chunks) => <Link href={`/customers/${m.absorbedId}`}>{chunks}</Link> })}
                </span>
                {canMerge && (
                  <>
                    {' — '}
                    <button type="button" data-testid="merge-undo" disabled={undo.isPending} aria-busy={undo.isPending && undo.variables?.mergeId === m.id} onClick={() => undo.mutate({ mergeId: m.id })}>
                      {undo.isPending && undo.variables?.mergeId === m.id ? t('undoing') : t('undo')}
                    </button>
                  </>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {undo.error && (
        <p className="error" role="alert">
          {undo.error.message}
        </p>
      )}
    </section>
  );
}

function MergeSuggestions({ id, canMerge, nameOf }: { id: string; canMerge: boolean; nameOf: (c: Named) => string }) {
  const t = useTranslations('customerMerge');
  const format = useFormatter();
  const trpc = useTRPC();
  const suggestions = useQuery(trpc.customers.mergeSuggestions.queryOptions({ id }));
  // The candidate being previewed, and whether this profile is the one kept (the default) or merged in.
  const [selected, setSelected] = useState<{ other: string; keepThis: boolean } | null>(null);
  const percent = (n: number) => format.number(n, { style: 'percent', maximumFractionDigits: 0 });
  const reasonText = (r: Reason) => (r.kind === 'name' ? t('reason.name', { similarity: percent(r.similarity) }) : t(`reason.${r.kind}`, { value: r.value }));
  return (
    <section className="card" data-testid="merge-suggestions" aria-labelledby="merge-suggestions-title" aria-busy={suggestions.isPending}>
      <h2 id="merge-suggestions-title">{t('suggestions')}</h2>
      {suggestions.isPending && <p className="muted">{t('looking')}</p>}
      {suggestions.error && (
        <p className="error" role="alert">
          {t('loadFailed', { message: suggestions.error.message })}
        </p>
      )}
      {suggestions.data?.length === 0 && <p className="muted">{t('noSuggestions')}</p>}
      {suggestions.data && suggestions.data.length > 0 && (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {suggestions.data.map((s) => {
            const open = selected?.other === s.id;
            return (
              <li key={s.id} data-testid="merge-suggestion" data-customer-id={s.id} style={{ padding: '6px 0', borderTop: '1px solid var(--border)' }}>
                <Link href={`/customers/${s.id}`}>{nameOf(s)}</Link>{' '}
                <span className="badge" data-testid="merge-confidence" title={t('confidenceHint')}>
                  {t('confidence', { value: percent(s.confidence) })}
                </span>{' '}
                <span className="muted" data-testid="merge-reasons">
                  {s.reasons.map(reasonText).join(' · ')}
                </span>{' '}
                <button type="button" aria-expanded={open} aria-controls={open ? 'merge-preview' : undefined} onClick={() => setSelected(open ? null : { other: s.id, keepThis: true })}>
                  {open ? t('hidePreview') : t('preview')}
                </button>
                {open && selected && (
                  <MergePreview
                    thisId={id}
                    otherId={s.id}
                    keepThis={selected.keepThis}
                    canMerge={canMerge}
                    nameOf={nameOf}
                    onSwap={() => setSelected({ other: s.id, keepThis: !selected.keepThis })}
                    onCancel={() => setSelected(null)}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function MergePreview(props: { thisId: string; otherId: string; keepThis: boolean; canMerge: boolean; nameOf: (c: Named) => string; onSwap: () => void; onCancel: () => void }) {
  const { thisId, otherId, keepThis, canMerge, nameOf } = props;
  const t = useTranslations('customerMerge');
  const tc = useTranslations('customers');
  const format = useFormatter();
  const trpc = useTRPC();
  const refresh = useRefresh();
  const pair = keepThis ? { survivorId: thisId, absorbedId: otherId } : { survivorId: otherId, absorbedId: thisId };
  const preview = useQuery({ ...trpc.customers.previewMerge.queryOptions(pair), staleTime: 0 });
  // Merging this profile away leaves a tombstone: go to the one that was kept.
  const merge = useMutation(trpc.customers.merge.mutationOptions({ onSuccess: (done) => refresh(done.survivorId === thisId ? undefined : `/customers/${done.survivorId}`) }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (preview.data) heading.current?.focus();
  }, [preview.data]);
  const score = (n: number) => format.number(n, { maximumFractionDigits: 2 });
  const p = preview.data;
  return (
    <div id="merge-preview" data-testid="merge-preview" role="region" aria-label={t('previewLabel')} aria-busy={preview.isPending} style={{ marginTop: 8 }}>
      {preview.isPending && <p className="muted">{t('previewLoading')}</p>}
      {preview.error && (
        <p className="error" role="alert">
          {preview.error.message}
        </p>
      )}
      {p && (
        <>
          <h3 ref={heading} tabIndex={-1}>
            {t('previewTitle', { absorbed: nameOf(p.absorbed), survivor: nameOf(p.survivor) })}
          </h3>
          <table data-testid="merge-preview-table">
            <thead>
              <tr>
                <td />
                <th scope="col">{t('columns.survivor', { survivor: nameOf(p.survivor) })}</th>
                <th scope="col">{t('columns.absorbed', { absorbed: nameOf(p.absorbed) })}</th>
                <th scope="col">{t('columns.result')}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="merge-preview-name">
                <th scope="row">{t('fields.name')}</th>
                <td>{nameOf(p.survivor)}</td>
                <td>{nameOf(p.absorbed)}</td>
                <td>{nameOf(p.result)}</td>
              </tr>
              <tr data-testid="merge-preview-identities">
                <th scope="row">{t('fields.identities')}</th>
                {[p.survivor.identities, p.absorbed.identities, p.result.identities].map((list, i) => (
                  <td key={i}>
                    {list.map((identity) => (
                      <div key={`${identity.kind}:${identity.value}`}>
                        <span className="muted">{tc(`kinds.${identity.kind}`)}</span> {identity.value}
                      </div>
                    ))}
                  </td>
                ))}
              </tr>
              <tr data-testid="merge-preview-tags">
                <th scope="row">{t('fields.tags')}</th>
                <td>{p.survivor.tags.join(', ') || '—'}</td>
                <td>{p.absorbed.tags.join(', ') || '—'}</td>
                <td>
                  {p.result.tags.length === 0
                    ? '—'
                    : p.result.tags.map((tag) => (
                        <div key={tag.tag} data-tag={tag.tag} data-from={tag.from}>
                          {tag.tag} <span className="muted">({t(`from.${tag.from}`)})</span>
                        </div>
                      ))}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('fields.attributes')}</th>
                {[p.survivor.attributes, p.absorbed.attributes, p.result.attributes].map((attributes, i) => (
                  <td key={i}>
                    {Object.entries(attributes).map(([key, value]) => (
                      <div key={key}>
                        {key}: {String(value)}
                      </div>
                    ))}
                  </td>
                ))}
              </tr>
              <tr data-testid="merge-preview-scores">
                <th scope="row">{t('fields.scores')}</th>
                {[p.survivor, p.absorbed, p.result].map((c, i) => (
                  <td key={i}>
                    {tc('value')} {score(c.valueScore)} · {tc('behaviour')} {score(c.behaviourScore)}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">{t('fields.sensitive')}</th>
                {[p.survivor, p.absorbed, p.result].map((c, i) => (
                  <td key={i}>{c.sensitiveFields.map((f) => tc(`fields.${f}`)).join(', ') || '—'}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <p className="muted">{t('rules')}</p>
          <p data-testid="merge-counts">
            {t('moves')}{' '}
            {COUNT_KEYS.some((key) => p.counts[key] > 0)
              ? format.list(
                  COUNT_KEYS.filter((key) => p.counts[key] > 0).map((key) => t(`counts.${key}`, { count: p.counts[key] })),
                  { type: 'conjunction' },
                )
              : t('nothingToMove')}
          </p>
          {p.blocked && (
            <p className="error" role="alert" data-testid="merge-blocked">
              {t(`blocked.${p.blocked}`, { name: nameOf(p.absorbed) })}
            </p>
          )}
          <div className="actions">
            {canMerge ? (
              <button type="button" className="primary" data-testid="merge-confirm" disabled={merge.isPending || p.blocked !== null} aria-busy={merge.isPending} onClick={() => merge.mutate(pair)}>
                {merge.isPending ? t('merging') : t('merge', { absorbed: nameOf(p.absorbed), survivor: nameOf(p.survivor) })}
              </button>
            ) : (
              <span className="muted">{t('cannotMerge')}</span>
            )}
            <button type="button" onClick={props.onSwap} disabled={merge.isPending}>
              {t('keepOther', { name: nameOf(p.absorbed) })}
            </button>
            <button type="button" onClick={props.onCancel} disabled={merge.isPending}>
              {t('cancel')}
            </button>
          </div>
          {merge.error && (
            <p className="error" role="alert">
              {merge.error.message}
            </p>
          )}
        </>
      )}
    </div>
  );
}
