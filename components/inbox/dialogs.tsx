'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import type { QaFindingView } from './types';

function Dialog({ title, testId, onClose, children }: { title: string; testId: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('select, input, textarea, button')?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        ref={ref}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.stopPropagation();
          onClose();
        }}
      >
        <header>
          <h2>{title}</h2>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}

/** Transfer to another queue or one agent, with a note; the context travels with the handoff. */
export function TransferDialog({ handoffId, onClose, onDone }: { handoffId: string; onClose: () => void; onDone: () => void }) {
  const t = useTranslations('inbox.transferDialog');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const targets = useQuery(trpc.inbox.transferTargets.queryOptions());
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const transfer = useMutation(
    trpc.inbox.transfer.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
        onDone();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = to.split(':');
    if (!id) return;
    transfer.mutate({ handoffId, note, ...(kind === 'skill' ? { toSkill: id } : { toAgentId: id }) });
  };
  return (
    <Dialog title={t('title')} testId="inbox-transfer-dialog" onClose={onClose}>
      <form method="post" onSubmit={submit} className="inbox-form">
        <label>
          {t('to')}
          <select value={to} onChange={(e) => setTo(e.target.value)} required data-testid="inbox-transfer-to">
            <option value="">{targets.isPending ? t('loading') : t('pick')}</option>
            <optgroup label={t('queues')}>
              {targets.data?.skills.map((s) => (
                <option key={s.id} value={`skill:${s.id}`}>
                  {s.name}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('agents')}>
              {targets.data?.agents.map((a) => (
                <option key={a.id} value={`agent:${a.id}`}>
                  {a.name} ({t(`state.${a.state}`)})
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label>
          {t('note')}
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} maxLength={2000} data-testid="inbox-transfer-note" />
        </label>
        {transfer.error && <p className="error">{transfer.error.message}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!to || transfer.isPending} data-testid="inbox-transfer-submit">
            {t('submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Resolve with a required wrap-up code and "resolved on first contact?", then optionally the CSAT survey. */
export function ResolveDialog({ handoffId, onClose, onDone }: { handoffId: string; onClose: () => void; onDone: () => void }) {
  const t = useTranslations('inbox.resolveDialog');
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const codes = useQuery(trpc.inbox.wrapCodes.queryOptions());
  const [wrapCode, setWrapCode] = useState('');
  const [fcr, setFcr] = useState<'yes' | 'no' | ''>('');
  const [sendCsat, setSendCsat] = useState(true);
  const [blocked, setBlocked] = useState<QaFindingView[]>([]);
  const resolve = useMutation(
    trpc.inbox.resolve.mutationOptions({
      onSuccess: (result) => {
        if (!result.ok) return setBlocked(result.blocked);
        void queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
        onDone();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!wrapCode || !fcr) return;
    resolve.mutate({ handoffId, wrapCode, firstContactResolution: fcr === 'yes', sendCsat });
  };
  return (
    <Dialog title={t('title')} testId="inbox-resolve-dialog" onClose={onClose}>
      <form method="post" onSubmit={submit} className="inbox-form">
        <label>
          {t('wrapCode')}
          <select value={wrapCode} onChange={(e) => setWrapCode(e.target.value)} required data-testid="inbox-wrap-code">
            <option value="">{codes.isPending ? t('loading') : t('pick')}</option>
            {codes.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {locale === 'zh-CN' && c.labelZh ? c.labelZh : c.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset data-testid="inbox-fcr">
          <legend>{t('fcr')}</legend>
          <label>
            <input type="radio" name="fcr" value="yes" checked={fcr === 'yes'} onChange={() => setFcr('yes')} required /> {t('yes')}
          </label>
          <label>
            <input type="radio" name="fcr" value="no" checked={fcr === 'no'} onChange={() => setFcr('no')} /> {t('no')}
          </label>
        </fieldset>
        <label className="inbox-check">
          <input type="checkbox" checked={sendCsat} onChange={(e) => setSendCsat(e.target.checked)} data-testid="inbox-csat" /> {t('csat')}
        </label>
        {blocked.length > 0 && (
          <div className="inbox-qa blocked" role="alert" data-testid="inbox-resolve-blocked">
            <ul>
              {blocked.map((f, i) => (
                <li key={i}>{f.message}</li>
              ))}
            </ul>
          </div>
        )}
        {resolve.error && <p className="error">{resolve.error.message}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={!wrapCode || !fcr || resolve.isPending} data-testid="inbox-resolve-submit">
            {t('submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
