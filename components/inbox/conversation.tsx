'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { ContextPanel } from './context-panel';
import { ResolveDialog, TransferDialog } from './dialogs';
import { typingIn } from './live';
import type { HandoffContext, QaFindingView } from './types';

/** One conversation: transcript, reply box with QA feedback and scripts, notes, transfer and resolve; the context beside it. */
export function Conversation({ handoffId, onDone }: { handoffId: string; onDone: () => void }) {
  const t = useTranslations('inbox');
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const language = locale === 'zh-CN' ? 'zh-CN' : 'en';
  const context = useQuery(trpc.inbox.context.queryOptions({ handoffId, language }, { staleTime: 0 }));
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState('');
  const [blocked, setBlocked] = useState<QaFindingView[]>([]);
  const [warnings, setWarnings] = useState<QaFindingView[]>([]);
  const [dialog, setDialog] = useState<'transfer' | 'resolve' | null>(null);
  const replyBox = useRef<HTMLTextAreaElement>(null);
  const noteBox = useRef<HTMLTextAreaElement>(null);
  const transcriptEnd = useRef<HTMLLIElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });

  const reply = useMutation(
    trpc.inbox.reply.mutationOptions({
      onSuccess: (result) => {
        if (result.ok) {
          setDraft('');
          setBlocked([]);
          setWarnings(result.warnings);
        } else {
          // Blocked: the text stays for the agent to fix.
          setBlocked(result.blocked);
          setWarnings([]);
        }
        void refresh();
      },
    }),
  );
  const addNote = useMutation(
    trpc.inbox.note.mutationOptions({
      onSuccess: () => {
        setNote('');
        void refresh();
      },
    }),
  );

  const data = context.data;
  const live = data?.handoff.status === 'assigned';
  const send = () => {
    const body = draft.trim();
    if (body && live && !reply.isPending) reply.mutate({ handoffId, body });
  };
  const saveNote = () => {
    const body = note.trim();
    if (body && !addNote.isPending) addNote.mutate({ handoffId, body });
  };
  const insertScript = (index: number) => {
    const script = data?.scripts[index];
    if (!script || !live) return;
    setDraft((current) => (current.trim() ? `${current.trimEnd()} ${script.text}` : script.text));
    replyBox.current?.focus();
  };

  const transcriptLength = data?.transcript.length ?? 0;
  useEffect(() => {
    transcriptEnd.current?.scrollIntoView?.({ block: 'nearest' });
  }, [transcriptLength]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      // A dialog or the help overlay has the keys.
      if (dialog || document.querySelector('[role="dialog"]')) return;
      if (event.altKey && /^Digit[1-9]$/.test(event.code)) {
        event.preventDefault();
        insertScript(Number(event.code.slice(5)) - 1);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
      const key = event.key.toLowerCase();
      const action = key === 'r' && live ? () => replyBox.current?.focus() : key === 'n' ? () => noteBox.current?.focus() : key === 't' && live ? () => setDialog('transfer') : key === 'w' && data ? () => setDialog('resolve') : null;
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (context.isPending) return <p className="muted inbox-main">{t('loadingConversation')}</p>;
  if (!data) return <p className="error inbox-main">{context.error?.message ?? t('gone')}</p>;

  const submitOnModEnter = (submit: () => void) => (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
    if (event.key === 'Escape') event.currentTarget.blur();
  };
  const onReplyKey = submitOnModEnter(send);
  const onNoteKey = submitOnModEnter(saveNote);

  return (
    <div className="inbox-conversation">
      <section className="inbox-main" aria-label={t('conversation')}>
        <header className="inbox-conversation-head">
          <h2>
            {data.customer?.name ?? t('unknownCustomer')} <span className="muted">· {t(`channel.${data.handoff.channel}`)}</span>
          </h2>
          <span className="badge" data-testid="inbox-handoff-status">
            {t(`status.${data.handoff.status}`)}
          </span>
          <div className="spacer" />
          <button type="button" onClick={() => setDialog('transfer')} disabled={!live} data-testid="inbox-transfer">
            <kbd>T</kbd>
            {t('transfer')}
          </button>
          <button type="button" className="primary" onClick={() => setDialog('resolve')} data-testid="inbox-resolve">
            <kbd>W</kbd>
            {t('resolve')}
          </button>
        </header>
        <Transcript context={data} endRef={transcriptEnd} />
        {data.handoff.status === 'wrap-up' && <p className="notice card">{t('wrapUpNow')}</p>}
        {data.handoff.status === 'offered' && <p className="muted">{t('acceptToReply')}</p>}
        {blocked.length > 0 && (
          <div className="inbox-qa blocked" role="alert" data-testid="inbox-qa-blocked">
            <strong>{t('qa.blocked')}</strong>
            <ul>
              {blocked.map((f, i) => (
                <li key={i}>
                  {f.message} <span className="muted">({f.ruleName}: “{f.excerpt}”)</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {warnings.length > 0 && (
          <div className="inbox-qa warn" role="status" data-testid="inbox-qa-warning">
            <strong>{t('qa.warned')}</strong>
            <ul>
              {warnings.map((f, i) => (
                <li key={i}>
                  {f.message} <span className="muted">({f.ruleName})</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="inbox-reply">
          <textarea
            ref={replyBox}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onReplyKey}
            disabled={!live}
            rows={3}
            maxLength={1600}
            placeholder={live ? t('replyPlaceholder') : t('replyClosed')}
            aria-label={t('reply')}
            data-testid="inbox-reply"
          />
          <button type="button" className="primary" onClick={send} disabled={!live || !draft.trim() || reply.isPending} data-testid="inbox-send">
            {t('send')}
          </button>
        </div>
        {reply.error && <p className="error">{reply.error.message}</p>}
        <section className="inbox-scripts" aria-label={t('scripts')} data-testid="inbox-scripts">
          <h3>{t('scripts')}</h3>
          {data.scripts.length === 0 ? (
            <p className="muted">{t('noScripts')}</p>
          ) : (
            <ol>
              {data.scripts.slice(0, 9).map((script, i) => (
                <li key={script.id}>
                  <button type="button" onClick={() => insertScript(i)} disabled={!live} data-testid={`inbox-script-${i + 1}`} title={t('insertScript')}>
                    <kbd>Alt+{i + 1}</kbd>
                    <strong>{script.title}</strong>
                    {script.trigger === 'upset' && <span className="badge bad">{t('soothing')}</span>}
                    {script.tag && <span className="badge">{script.tag}</span>}
                    <span className="inbox-script-text">{script.text}</span>
                  </button>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="inbox-notes" aria-label={t('notes')} data-testid="inbox-notes">
          <h3>{t('notes')}</h3>
          <ul>
            {data.notes.map((n) => (
              <li key={n.id}>
                <span className="muted">
                  {n.agentName ?? '—'} · {n.createdAt.toLocaleTimeString()}
                </span>
                <div>{n.body}</div>
              </li>
            ))}
          </ul>
          <div className="inbox-reply">
            <textarea
              ref={noteBox}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              onKeyDown={onNoteKey}
              rows={2}
              maxLength={4000}
              placeholder={t('notePlaceholder')}
              aria-label={t('note')}
              data-testid="inbox-note-input"
            />
            <button type="button" onClick={saveNote} disabled={!note.trim() || addNote.isPending} data-testid="inbox-note-save">
              {t('saveNote')}
            </button>
          </div>
        </section>
      </section>
      <ContextPanel context={data} />
      {dialog === 'transfer' && (
        <TransferDialog
          handoffId={handoffId}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onDone();
          }}
        />
      )}
      {dialog === 'resolve' && (
        <ResolveDialog
          handoffId={handoffId}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            onDone();
          }}
        />
      )}
    </div>
  );
}

function Transcript({ context, endRef }: { context: HandoffContext; endRef: React.Ref<HTMLLIElement> }) {
  const t = useTranslations('inbox');
  return (
    <ol className="inbox-transcript" aria-label={t('transcript')} aria-live="polite" data-testid="inbox-transcript">
      {context.transcript.length === 0 && <li className="muted">{t('noTranscript')}</li>}
      {context.transcript.map((entry, i) => (
        <li key={i} className={`who-${entry.who} kind-${entry.kind}`}>
          <span className="inbox-who">{t(`who.${entry.who}`)}</span>
          <span className="inbox-line">{entry.text}</span>
          <span className="inbox-time muted">{entry.at.toLocaleTimeString()}</span>
        </li>
      ))}
      <li ref={endRef} className="inbox-transcript-end" aria-hidden="true" />
    </ol>
  );
}
