'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { type FormEvent, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { SimCaller } from '@/server/simulator/service';
import { useTRPC, useTRPCClient } from '@/components/trpc-provider';
import { CallEngine, type CallState, initialCallState, type TranscriptEntry } from './call-engine';
import { Keypad, KEYPAD_KEYS } from './keypad';
import { SmsThread } from './sms-thread';
import { holdTone, speak, stopSpeaking } from './speech';
import './simulator.css';

const NEW_NUMBER = 'new';
const DEFAULT_NEW_NUMBER = '+15005559876';
const E164 = /^\+[1-9]\d{6,14}$/;

export interface SimulatorProps {
  /** `?flow=<id>`: preselect a flow's draft (a test run). */
  initialFlowId?: string;
  /** `?to=<number>`: preselect a number. */
  initialNumber?: string;
}

type Target = { to: string; flowId?: undefined } | { flowId: string; to?: undefined };

function parseTarget(value: string): Target | null {
  if (value.startsWith('number:')) return { to: value.slice(7) };
  if (value.startsWith('flow:')) return { flowId: value.slice(5) };
  return null;
}

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

export function Simulator({ initialFlowId, initialNumber }: SimulatorProps) {
  const t = useTranslations('simulator');
  const tb = useTranslations('simulatorBridge');
  const trpc = useTRPC();
  const client = useTRPCClient();
  const options = useQuery(trpc.simulator.options.queryOptions());
  const customers = useQuery(trpc.simulator.customers.queryOptions());

  const [targetValue, setTargetValue] = useState(initialFlowId ? `flow:${initialFlowId}` : initialNumber ? `number:${initialNumber}` : '');
  const [callerValue, setCallerValue] = useState('');
  const [newNumber, setNewNumber] = useState(DEFAULT_NEW_NUMBER);
  const [sound, setSound] = useState(false);

  // Defaults once the lists arrive: the first voice number, the first demo customer.
  const numbers = options.data?.numbers;
  const flows = options.data?.flows;
  const effectiveTarget = targetValue || (numbers?.find((n) => n.voiceFlow) ? `number:${numbers.find((n) => n.voiceFlow)!.number}` : flows?.[0] ? `flow:${flows[0].id}` : '');
  const effectiveCaller = callerValue || (customers.data?.[0] ? `customer:${customers.data[0].id}` : NEW_NUMBER);
  const target = parseTarget(effectiveTarget);
  const caller: SimCaller | null = effectiveCaller.startsWith('customer:') ? { customerId: effectiveCaller.slice(9) } : E164.test(newNumber) ? { number: newNumber } : null;
  const selectedCustomer = customers.data?.find((c) => `customer:${c.id}` === effectiveCaller);
  const testFlow = target?.flowId ? flows?.find((f) => f.id === target.flowId) : undefined;

  const [engine] = useState(
    () =>
      new CallEngine(
        { event: (session, event, url, documentUrl) => client.simulator.event.mutate({ session, event, url, documentUrl }) },
        {
          speak,
          stopSpeaking,
          holdTone,
          now: () => Date.now(),
          setTimer: (fn, ms) => window.setTimeout(fn, ms),
          clearTimer: (handle) => window.clearTimeout(handle as number),
          maxPauseMs: 3000,
          holdPollMs: 2000,
        },
      ),
  );
  useEffect(() => () => engine.dispose(), [engine]);
  useEffect(() => {
    engine.setSound(sound);
  }, [engine, sound]);
  const call: CallState = useSyncExternalStore(engine.subscribe, engine.getState, () => initialCallState);
  const inCall = call.phase === 'active' || call.phase === 'connecting';
  const now = useNow(inCall);

  // Keyboard: digits, * and # go to the keypad while a call is up (not while typing in a field).
  useEffect(() => {
    if (!inCall) return;
    const onKey = (event: KeyboardEvent) => {
      const element = event.target as HTMLElement | null;
      if (element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName))) return;
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      if ((KEYPAD_KEYS as readonly string[]).includes(event.key)) {
        event.preventDefault();
        engine.press(event.key);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine, inCall]);

  const execution = useQuery(
    trpc.simulator.execution.queryOptions(
      { callSid: call.session?.callSid },
      { enabled: call.session !== null, refetchInterval: (query) => (query.state.data && call.phase === 'ended' ? false : 1500) },
    ),
  );

  // A sandbox call an agent took: who is on the line and what was said, polled while the call is up.
  const bridge = useQuery(
    trpc.simulator.bridge.queryOptions({ callSid: call.session?.callSid ?? '' }, { enabled: call.session !== null && call.phase === 'active', refetchInterval: 1000 }),
  );
  useEffect(() => {
    if (bridge.data) void engine.applyBridge(bridge.data);
  }, [engine, bridge.data]);

  const [speech, setSpeech] = useState('');
  const [speechNote, setSpeechNote] = useState(false);
  const [lineError, setLineError] = useState<string | null>(null);
  const onSay = (event: FormEvent) => {
    event.preventDefault();
    if (speech.trim() === '') return;
    const session = call.session;
    if (call.bridge && session) {
      // On the line with an agent, words go to them (the simulator plays the caller's phone).
      const body = speech;
      setSpeech('');
      setLineError(null);
      client.simulator.say
        .mutate({ callSid: session.callSid, body })
        .then(() => bridge.refetch())
        .catch((error: unknown) => setLineError(error instanceof Error ? error.message : String(error)));
      return;
    }
    const heard = engine.say(speech);
    setSpeechNote(!heard);
    setSpeech('');
  };

  const placeCall = () => {
    if (!target || !caller) return;
    void engine.start(() => client.simulator.placeCall.mutate({ target, caller }));
  };

  const elapsed = call.startedAt === null ? 0 : Math.max(0, Math.floor((now - call.startedAt) / 1000));
  const statusText =
    call.phase === 'active' ? t('status.active', { time: `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}` }) : t(`status.${call.phase}`);
  const secondsLeft = call.gather?.deadline ? Math.max(0, Math.ceil((call.gather.deadline - now) / 1000)) : null;
  const listening = call.gather !== null;
  const speechOpen = call.gather?.verb.input.includes('speech') ?? false;

  return (
    <div className="sim-grid">
      <section className="card sim-setup" aria-labelledby="sim-setup-title">
        <h2 id="sim-setup-title">{t('setup')}</h2>
        <label className="sim-field">
          <span>{t('target')}</span>
          <select data-testid="sim-target" value={effectiveTarget} onChange={(e) => setTargetValue(e.target.value)} disabled={inCall}>
            {effectiveTarget === '' && <option value="">{t('noTarget')}</option>}
            {numbers && numbers.length > 0 && (
              <optgroup label={t('numbersGroup')}>
                {numbers.map((n) => (
                  <option key={n.number} value={`number:${n.number}`}>
                    {[n.number, n.label, n.voiceFlow?.name ?? n.smsFlow?.name].filter(Boolean).join(' — ')}
                  </option>
                ))}
              </optgroup>
            )}
            {flows && flows.length > 0 && (
              <optgroup label={t('draftsGroup')}>
                {flows.map((f) => (
                  <option key={f.id} value={`flow:${f.id}`}>
                    {t('draftOption', { name: f.name })}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
        {testFlow && (
          <p className="sim-test-note" data-testid="sim-test-note">
            {t('testRunNote', { name: testFlow.name })}
          </p>
        )}
        <label className="sim-field">
          <span>{t('caller')}</span>
          <select data-testid="sim-caller" value={effectiveCaller} onChange={(e) => setCallerValue(e.target.value)} disabled={inCall}>
            {customers.data?.map((c) => (
              <option key={c.id} value={`customer:${c.id}`}>
                {c.name} ({c.phone})
              </option>
            ))}
            <option value={NEW_NUMBER}>{t('newNumber')}</option>
          </select>
        </label>
        {effectiveCaller === NEW_NUMBER && (
          <label className="sim-field">
            <span>{t('callerNumber')}</span>
            <input value={newNumber} onChange={(e) => setNewNumber(e.target.value.trim())} disabled={inCall} aria-invalid={!E164.test(newNumber)} inputMode="tel" />
          </label>
        )}
        {selectedCustomer && (
          <div className="sim-tags" data-testid="sim-caller-tags" aria-label={t('tags')}>
            {selectedCustomer.tags.length === 0 ? <span className="muted">{t('noTags')}</span> : selectedCustomer.tags.map((tag) => <span key={tag} className="sim-tag">{tag}</span>)}
            <span className="muted">· {selectedCustomer.locale}</span>
          </div>
        )}
        <label className="sim-check">
          <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> {t('sound')}
        </label>
      </section>

      <section className="card sim-phone" aria-labelledby="sim-phone-title">
        <div className="sim-phone-head">
          <h2 id="sim-phone-title">{t('phone')}</h2>
          <span className={`sim-status phase-${call.phase}`} data-testid="sim-status">
            {statusText}
          </span>
        </div>
        <Transcript entries={call.transcript} />
        {call.gather && (
          <div className="sim-gather" data-testid="sim-gather" role="status">
            <span>{secondsLeft === null ? t('promptPlaying') : t('listening', { seconds: secondsLeft })}</span>
            {call.gather.digits !== '' && <span className="sim-digits">{t('digitsSoFar', { digits: call.gather.digits })}</span>}
            {call.gather.deadline !== null && (
              <progress max={call.gather.verb.timeout * 1000} value={Math.max(0, call.gather.deadline - now)} aria-label={t('timeLeft')} />
            )}
          </div>
        )}
        {call.hold && (
          <div className="sim-hold" data-testid="sim-hold" role="status">
            <span className="sim-hold-note" aria-hidden>
              ♪
            </span>
            <div>
              <strong>{t('onHold', { queue: call.hold.queue })}</strong>
              {call.hold.message && <div data-testid="sim-hold-message">{call.hold.message}</div>}
              <div className="muted">{t('holdTime', { seconds: Math.max(0, Math.floor((now - call.hold.since) / 1000)) })}</div>
            </div>
          </div>
        )}
        {call.bridge && (
          <div className="sim-bridge" data-testid="sim-bridge" role="status">
            <strong>{tb('connected', { agent: call.bridge.agent })}</strong>
            <div className="muted">{tb('talkingFor', { seconds: Math.max(0, Math.floor((now - call.bridge.since) / 1000)) })}</div>
          </div>
        )}
        <Keypad onPress={(key) => engine.press(key)} disabled={call.phase !== 'active'} highlight={listening && (call.gather?.verb.input.includes('dtmf') ?? false)} />
        <form className="sim-say" method="post" onSubmit={onSay}>
          <label className="sr-only" htmlFor="sim-say-input">
            {t('saySomething')}
          </label>
          <input
            id="sim-say-input"
            data-testid="sim-say-input"
            value={speech}
            onChange={(e) => setSpeech(e.target.value)}
            placeholder={call.bridge ? tb('placeholder', { agent: call.bridge.agent }) : t('sayPlaceholder')}
            disabled={call.phase !== 'active'}
          />
          <button type="submit" disabled={call.phase !== 'active' || speech.trim() === ''} className={speechOpen || call.bridge ? 'primary' : ''} data-testid="sim-say">
            {t('say')}
          </button>
        </form>
        {speechNote && !call.bridge && <p className="muted">{t('notListening')}</p>}
        {lineError && (
          <p className="error" role="alert">
            {tb('lineFailed', { error: lineError })}
          </p>
        )}
        <div className="sim-actions">
          {inCall ? (
            <button type="button" className="sim-hangup" onClick={() => void engine.hangUp()}>
              {t('hangUp')}
            </button>
          ) : (
            <button type="button" className="primary" onClick={placeCall} disabled={!target || !caller} data-testid="sim-call">
              {t('call')}
            </button>
          )}
          {execution.data?.flowId && (
            <Link href={`/flows/${execution.data.flowId}/executions/${execution.data.id}`} data-testid="sim-execution-link">
              {call.phase === 'ended' ? t('openExecution') : t('watchExecution')}
            </Link>
          )}
        </div>
      </section>

      <SmsThread caller={caller} target={target} />

      <details className="card sim-log">
        <summary>{t('log', { count: call.log.length })}</summary>
        <ol>
          {call.log.map((entry) => (
            <li key={entry.id}>
              <div>
                <strong>{entry.label}</strong> <code>POST {new URL(entry.url).pathname + new URL(entry.url).search}</code> →{' '}
                <span className={entry.error ? 'error' : ''}>{entry.status || '—'}</span> <span className="muted">{entry.ms} ms</span>
              </div>
              <pre>{Object.entries(entry.params).map(([k, v]) => `${k}=${v}`).join('\n')}</pre>
              <pre>{entry.twiml}</pre>
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}

function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  const t = useTranslations('simulator');
  const tb = useTranslations('simulatorBridge');
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    // Braces matter: newer browsers return a promise from scrollIntoView, and an effect must not.
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [entries.length]);
  const text = useMemo(
    () => (entry: TranscriptEntry) => {
      if (entry.who !== 'system') return entry.text;
      const [kind, ...rest] = entry.text.split(':');
      const value = rest.join(':');
      switch (kind) {
        case 'dial':
          return t('system.dial', { number: value });
        case 'sms':
          return t('system.sms', { body: value });
        case 'unsupported':
          return t('system.unsupported', { name: value });
        case 'timeout':
          return t('system.timeout');
        case 'hold':
          return t('system.hold', { queue: value });
        case 'bridged':
          return tb('bridged', { agent: value });
        case 'transferring':
          return tb('transferring');
        case 'ended':
          return value === 'agent' ? tb('ended') : t(`system.ended.${value as 'flow' | 'caller' | 'error'}`);
        default:
          return entry.text;
      }
    },
    [t, tb],
  );
  return (
    <ol className="sim-transcript" data-testid="sim-transcript" role="log" aria-live="polite" aria-label={t('transcript')}>
      {entries.length === 0 && <li className="muted">{t('transcriptEmpty')}</li>}
      {entries.map((entry) => (
        <li key={entry.id} className={`who-${entry.who}`} lang={entry.language?.startsWith('cmn') ? 'zh-CN' : entry.language}>
          {entry.who !== 'system' && <span className="sim-who">{entry.who === 'agent' ? tb('agent') : t(`who.${entry.who}`)}</span>}
          <span>{text(entry)}</span>
        </li>
      ))}
      <li ref={end} aria-hidden className="sim-end" />
    </ol>
  );
}
