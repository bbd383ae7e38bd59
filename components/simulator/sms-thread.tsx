'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { type FormEvent, useState } from 'react';
import type { SimCaller } from '@/server/simulator/service';
import { useTRPC, useTRPCClient } from '@/components/trpc-provider';

interface LocalReply {
  id: string;
  body: string;
}

/**
 * The caller's text messages: what they send to the selected number or draft, the flow's replies,
 * and every other outbound message to them (the sandbox outbox), e.g. an SMS sent during a call.
 */
export function SmsThread({ caller, target }: { caller: SimCaller | null; target: { to?: string; flowId?: string } | null }) {
  const t = useTranslations('simulator');
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [twimlReplies, setTwimlReplies] = useState<LocalReply[]>([]);
  const threadQuery = trpc.simulator.thread.queryOptions({ caller: caller ?? { number: '+10000000000' } }, { enabled: caller !== null, refetchInterval: 2000 });
  const thread = useQuery(threadQuery);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!caller || !target || body.trim() === '') return;
    setSending(true);
    setError(null);
    try {
      const result = await client.simulator.sms.mutate({ target: target.flowId ? { flowId: target.flowId } : { to: target.to }, caller, body });
      if (result.exchange.error) setError(result.exchange.error);
      // Replies in the webhook's own TwiML (rare: the runtime sends through the outbox) go here.
      const inline = result.exchange.verbs.flatMap((v, i) => (v.verb === 'message' ? [{ id: `${result.exchange.url}-${Date.now()}-${i}`, body: v.body }] : []));
      if (inline.length > 0) setTwimlReplies((list) => [...list, ...inline]);
      setBody('');
      await queryClient.invalidateQueries({ queryKey: threadQuery.queryKey });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };

  const messages = thread.data ?? [];
  return (
    <section className="card sim-sms" aria-labelledby="sim-sms-title">
      <h2 id="sim-sms-title">{t('messages')}</h2>
      <ol className="sim-thread" data-testid="sms-thread" aria-live="polite">
        {messages.length === 0 && twimlReplies.length === 0 && <li className="muted">{t('smsEmpty')}</li>}
        {messages.map((m) => (
          <li key={m.id} className={`sim-bubble ${m.direction}`} data-direction={m.direction}>
            <div className="sim-bubble-body">{m.body}</div>
            <div className="sim-bubble-meta">
              {m.direction === 'inbound' ? t('toNumber', { number: m.toNumber }) : t('fromNumber', { number: m.fromNumber })}
              {m.channel === 'voice' && ` · ${t('duringCall')}`} · {new Date(m.createdAt).toLocaleTimeString()}
              {m.status === 'failed' && <span className="error"> · {m.error ?? m.status}</span>}
            </div>
          </li>
        ))}
        {twimlReplies.map((m) => (
          <li key={m.id} className="sim-bubble outbound" data-direction="outbound">
            <div className="sim-bubble-body">{m.body}</div>
            <div className="sim-bubble-meta">{t('twimlReply')}</div>
          </li>
        ))}
      </ol>
      <form className="sim-say" method="post" onSubmit={send}>
        <label className="sr-only" htmlFor="sim-sms-input">
          {t('smsPlaceholder')}
        </label>
        <input id="sim-sms-input" data-testid="sim-sms-input" value={body} onChange={(e) => setBody(e.target.value)} placeholder={t('smsPlaceholder')} disabled={!caller || !target || sending} />
        <button type="submit" disabled={!caller || !target || sending || body.trim() === ''}>
          {t('send')}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}
