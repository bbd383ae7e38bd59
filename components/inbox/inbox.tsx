'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc-provider';
import { Conversation } from './conversation';
import { HelpOverlay } from './help';
import { ring, typingIn, useRoutingLive } from './live';
import type { Overview } from './types';
import './inbox.css';

const HEARTBEAT_MS = 15_000;
/** Set when the agent chose away in this browser: opening the inbox then keeps them away. */
const CHOSE_AWAY = 'switchboard.inbox.choseAway';

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The agent's inbox: presence, ringing offers, my conversations and the one in front of me. Keyboard first (`?`). */
export function Inbox() {
  const t = useTranslations('inbox');
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { live } = useRoutingLive('inbox');
  const overview = useQuery(trpc.inbox.overview.queryOptions(undefined, { refetchInterval: 30_000, staleTime: 0 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() });
  const heartbeat = useMutation(trpc.inbox.heartbeat.mutationOptions({ onSuccess: () => void refresh() }));
  const setChoice = useMutation(trpc.inbox.setChoice.mutationOptions({ onSettled: () => void refresh() }));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [offerError, setOfferError] = useState<string | null>(null);
  const accept = useMutation(
    trpc.inbox.accept.mutationOptions({
      onSuccess: (result) => {
        setSelectedId(result.handoffId);
        setOfferError(null);
      },
      onError: (error) => setOfferError(error.message),
      onSettled: () => void refresh(),
    }),
  );
  const decline = useMutation(trpc.inbox.decline.mutationOptions({ onError: (error) => setOfferError(error.message), onSettled: () => void refresh() }));

  const data = overview.data;
  const agent = data?.agent ?? null;
  const agentId = agent?.id;
  const { mutate: beat } = heartbeat;
  useEffect(() => {
    if (!agentId) return;
    beat();
    const timer = window.setInterval(() => beat(), HEARTBEAT_MS);
    return () => window.clearInterval(timer);
  }, [agentId, beat]);

  // An agent who opens the inbox is available, unless they chose away themselves.
  const presenceChecked = useRef(false);
  const { mutate: choose } = setChoice;
  useEffect(() => {
    if (!agent || presenceChecked.current) return;
    presenceChecked.current = true;
    if (agent.choice === 'away' && window.localStorage.getItem(CHOSE_AWAY) !== '1') choose({ choice: 'available' });
  }, [agent, choose]);
  const toggleChoice = () => {
    if (!agent) return;
    // A missed offer keeps new work away until the agent says they are back.
    const next = agent.choice === 'available' && agent.state !== 'missed' ? 'away' : 'available';
    if (next === 'away') window.localStorage.setItem(CHOSE_AWAY, '1');
    else window.localStorage.removeItem(CHOSE_AWAY);
    choose({ choice: next });
  };

  // Server time against ours, so the countdown matches the offer's expiry.
  const skew = data ? data.now.getTime() - overview.dataUpdatedAt : 0;
  const now = useNow(250) + skew;
  const offers = (data?.offers ?? []).filter((o) => !o.expiresAt || o.expiresAt.getTime() > now - 1000);
  const offer = offers[0];
  const conversations = data?.conversations ?? [];

  const rungFor = useRef<string | null>(null);
  useEffect(() => {
    if (!offer || rungFor.current === offer.id) return;
    rungFor.current = offer.id;
    ring();
  }, [offer]);

  const selected = conversations.find((c) => c.id === selectedId) ?? conversations[0] ?? null;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector('[role="dialog"]:not([data-testid="inbox-help"])')) return;
      const action = shortcut(event);
      if (!action) return;
      event.preventDefault();
      action();
    };
    const shortcut = (event: KeyboardEvent): (() => void) | null => {
      if (help) return event.key === 'Escape' || event.key === '?' ? () => setHelp(false) : null;
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return null;
      const key = event.key;
      if (key === '?') return () => setHelp(true);
      if (offer && !accept.isPending && !decline.isPending) {
        if (key === 'a' || key === 'A' || key === 'Enter') return () => accept.mutate({ handoffId: offer.id });
        if (key === 'd' || key === 'D' || key === 'Escape') return () => decline.mutate({ handoffId: offer.id });
      }
      if ((key === 'j' || key === 'k') && conversations.length > 0) {
        return () => {
          const index = Math.max(0, conversations.findIndex((c) => c.id === selected?.id));
          const next = conversations[(index + (key === 'j' ? 1 : conversations.length - 1)) % conversations.length];
          if (next) setSelectedId(next.id);
        };
      }
      return key === 'p' ? toggleChoice : null;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (overview.isPending) return <p className="muted">{t('loading')}</p>;
  if (overview.error) return <p className="error">{overview.error.message}</p>;
  if (!agent) return <p className="card">{t('notAgent')}</p>;

  return (
    <div className="inbox">
      <header className="inbox-bar">
        <span className={`inbox-state state-${agent.state}`} data-testid="inbox-state" data-state={agent.state}>
          {t(`state.${agent.state}`)}
        </span>
        <button type="button" onClick={toggleChoice} aria-pressed={agent.choice === 'available'} data-testid="inbox-choice" data-choice={agent.choice}>
          <kbd>P</kbd>
          {agent.state === 'missed' ? t('back') : agent.choice === 'available' ? t('goAway') : t('goAvailable')}
        </button>
        <span className={`badge ${live ? 'ok' : ''}`} data-testid="inbox-live" data-live={live}>
          {live ? t('live') : t('reconnecting')}
        </span>
        <div className="spacer" />
        <button type="button" onClick={() => setHelp(true)} aria-label={t('help.title')} data-testid="inbox-help-button">
          ?
        </button>
      </header>

      {offer && <OfferCard offer={offer} now={now} more={offers.length - 1} onAccept={() => accept.mutate({ handoffId: offer.id })} onDecline={() => decline.mutate({ handoffId: offer.id })} busy={accept.isPending || decline.isPending} />}
      {offerError && <p className="error">{offerError}</p>}

      <div className="inbox-grid">
        <nav className="inbox-list" aria-label={t('myConversations')}>
          <h2>{t('myConversations')}</h2>
          {conversations.length === 0 ? (
            <p className="muted" data-testid="inbox-empty">
              {agent.choice === 'away' ? t('emptyAway') : t('empty')}
            </p>
          ) : (
            <ul data-testid="inbox-conversations">
              {conversations.map((c) => (
                <li key={c.id}>
                  <button type="button" className={c.id === selected?.id ? 'selected' : ''} aria-current={c.id === selected?.id} onClick={() => setSelectedId(c.id)} data-testid="inbox-conversation-item">
                    <span className="inbox-item-head">
                      <strong>{c.customerName ?? t('unknownCustomer')}</strong>
                      <span className="muted">{t(`channel.${c.channel}`)}</span>
                      {c.status === 'wrap-up' && <span className="badge">{t('status.wrap-up')}</span>}
                    </span>
                    <span className="muted inbox-item-last">{c.lastMessage?.body ?? c.reason}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="muted inbox-hint">{t('hint')}</p>
        </nav>
        {selected ? <Conversation key={selected.id} handoffId={selected.id} onDone={() => setSelectedId(null)} /> : <p className="muted inbox-main">{t('nothingOpen')}</p>}
      </div>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}

function OfferCard({ offer, now, more, onAccept, onDecline, busy }: { offer: Overview['offers'][number]; now: number; more: number; onAccept: () => void; onDecline: () => void; busy: boolean }) {
  const t = useTranslations('inbox');
  const left = offer.expiresAt ? Math.max(0, Math.ceil((offer.expiresAt.getTime() - now) / 1000)) : null;
  return (
    <section className="inbox-offer" role="alertdialog" aria-label={t('offer.title')} data-testid="inbox-offer" data-handoff-id={offer.id}>
      <div className="inbox-offer-ring" aria-hidden="true">
        ☎
      </div>
      <div className="inbox-offer-body">
        <strong>{t('offer.title')}</strong>{' '}
        <span>
          {offer.customerName ?? t('unknownCustomer')} · {t(`channel.${offer.channel}`)} · {offer.skill}
        </span>
        {offer.urgent && <span className="badge bad"> {t('context.urgent')}</span>}
        {offer.reason && <div className="muted">{offer.reason}</div>}
        {more > 0 && <div className="muted">{t('offer.more', { count: more })}</div>}
      </div>
      {left !== null && (
        <span className="inbox-countdown" data-testid="inbox-offer-countdown" aria-live="off">
          {t('offer.left', { seconds: left })}
        </span>
      )}
      <button type="button" className="primary" onClick={onAccept} disabled={busy} data-testid="inbox-accept">
        <kbd>A</kbd>
        {t('offer.accept')}
      </button>
      <button type="button" onClick={onDecline} disabled={busy} data-testid="inbox-decline">
        <kbd>D</kbd>
        {t('offer.decline')}
      </button>
    </section>
  );
}
