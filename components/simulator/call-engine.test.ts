import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallSession, WebhookExchange } from '@/server/simulator/service';
import { parseTwiml } from '@/server/simulator/twiml-parse';
import { CallEngine, type CallApi, type CallEventInput, type EngineDeps } from './call-engine';

const BASE = 'http://localhost:3000';
const session: CallSession = { callSid: `CA${'a'.repeat(32)}`, to: '+15005550100', caller: { number: '+15005550001' }, testFlowId: null };

function exchange(url: string, xml: string): WebhookExchange {
  return { url, params: {}, status: 200, ms: 1, twiml: xml, verbs: parseTwiml(xml).verbs, error: null };
}

interface Posted {
  event: CallEventInput;
  url: string | undefined;
}

/** A fake webhook side: answers each posted event from a script, keyed by event kind. */
function fakeApi(first: string, answers: Partial<Record<CallEventInput['kind'], string[]>>) {
  const posted: Posted[] = [];
  const start = async () => ({ session, exchange: exchange(`${BASE}/api/twilio/voice`, first) });
  const api: CallApi = {
    event: async (_session, event, url) => {
      posted.push({ event, url });
      const xml = answers[event.kind]?.shift() ?? '<Response/>';
      return exchange(url ?? `${BASE}/api/twilio/status`, xml);
    },
  };
  return { api, posted, start };
}

function deps(): EngineDeps & { spoken: string[] } {
  const spoken: string[] = [];
  return {
    spoken,
    speak: async (text) => void spoken.push(text),
    stopSpeaking: () => {},
    holdTone: () => {},
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    maxPauseMs: 1000,
    holdPollMs: 2000,
  };
}

const MENU = `<Response><Say>Hello Alice</Say><Gather input="dtmf speech" numDigits="1" timeout="5" action="${BASE}/api/twilio/gather?seq=0" actionOnEmptyResult="true"><Say>Press 1 for billing.</Say></Gather></Response>`;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('CallEngine', () => {
  it('plays a call through a menu, speech, a hold that ends with <Leave>, and hangs up with a status callback', async () => {
    const { api, posted, start } = fakeApi(MENU, {
      gather: [
        `<Response><Gather input="speech" timeout="6" action="${BASE}/api/twilio/gather?seq=1" actionOnEmptyResult="true"><Say>What is your question?</Say></Gather></Response>`,
        `<Response><Enqueue waitUrl="${BASE}/api/twilio/wait?seq=2" action="${BASE}/api/twilio/gather?seq=2&amp;kind=queue">billing</Enqueue></Response>`,
      ],
      wait: ['<Response><Say>All our billing specialists are busy. Please hold.</Say><Pause length="1"/></Response>', '<Response><Leave/></Response>'],
      queueAction: ['<Response><Say>Goodbye.</Say><Hangup/></Response>'],
    });
    const d = deps();
    const engine = new CallEngine(api, d);
    engine.setSound(true);
    await engine.start(start);
    expect(engine.getState().gather?.deadline).not.toBeNull();
    expect(d.spoken).toEqual(['Hello Alice', 'Press 1 for billing.']);

    engine.press('1');
    await vi.advanceTimersByTimeAsync(0);
    expect(posted[0]).toEqual({ event: { kind: 'gather', digits: '1' }, url: `${BASE}/api/twilio/gather?seq=0` });
    expect(engine.getState().gather?.verb.input).toEqual(['speech']);

    expect(engine.say('This is ridiculous, I am furious about this bill!')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(posted[1]?.event).toEqual({ kind: 'gather', speech: 'This is ridiculous, I am furious about this bill!' });
    expect(engine.getState().hold?.queue).toBe('billing');
    expect(posted[2]).toMatchObject({ event: { kind: 'wait', position: 1 }, url: `${BASE}/api/twilio/wait?seq=2` });
    expect(engine.getState().hold?.message).toBe('All our billing specialists are busy. Please hold.');

    await vi.advanceTimersByTimeAsync(2500);
    expect(posted[3]?.event.kind).toBe('wait');
    expect(posted[4]).toMatchObject({ event: { kind: 'queueAction', result: 'leave' }, url: `${BASE}/api/twilio/gather?seq=2&kind=queue` });
    expect(posted[5]?.event).toMatchObject({ kind: 'status', status: 'completed' });
    const state = engine.getState();
    expect(state.phase).toBe('ended');
    expect(state.endedBy).toBe('flow');
    expect(state.transcript.filter((t) => t.who === 'flow').map((t) => t.text)).toContain('Goodbye.');
    expect(state.log.map((l) => l.label)).toEqual(['voice', 'gather', 'gather', 'wait', 'wait', 'queue', 'status']);
  });

  it('posts an empty result when the gather timeout runs out, restarting the wait after each key', async () => {
    const { api, posted, start } = fakeApi(MENU.replace('numDigits="1"', 'numDigits="3"'), { gather: ['<Response><Hangup/></Response>'] });
    const engine = new CallEngine(api, deps());
    await engine.start(start);
    await vi.advanceTimersByTimeAsync(4000);
    engine.press('4');
    await vi.advanceTimersByTimeAsync(4000);
    expect(posted).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1100);
    expect(posted[0]?.event).toEqual({ kind: 'gather', digits: '4' });

    const silent = fakeApi(MENU, { gather: ['<Response><Hangup/></Response>'] });
    const quiet = new CallEngine(silent.api, deps());
    await quiet.start(silent.start);
    await vi.advanceTimersByTimeAsync(5100);
    expect(silent.posted[0]?.event).toEqual({ kind: 'gather', digits: '' });
  });

  it('moves on to the next verb when a Gather without actionOnEmptyResult times out, and submits on finishOnKey', async () => {
    const { api, posted, start } = fakeApi('<Response><Gather timeout="2"><Say>Enter your code</Say></Gather><Say>We did not get that.</Say></Response>', {});
    const d = deps();
    const engine = new CallEngine(api, d);
    engine.setSound(true);
    await engine.start(start);
    await vi.advanceTimersByTimeAsync(2100);
    expect(d.spoken).toContain('We did not get that.');
    expect(engine.getState().phase).toBe('ended');
    expect(posted.map((p) => p.event.kind)).toEqual(['status']);

    const keyed = fakeApi('<Response><Gather timeout="2" action="/api/twilio/gather?seq=9"/></Response>', {});
    const second = new CallEngine(keyed.api, deps());
    await second.start(keyed.start);
    second.press('1');
    second.press('2');
    second.press('#');
    await vi.advanceTimersByTimeAsync(0);
    expect(keyed.posted[0]).toEqual({ event: { kind: 'gather', digits: '12' }, url: '/api/twilio/gather?seq=9' });
  });

  it('leaves the queue with QueueResult=hangup, then sends the status callback, when the caller hangs up on hold', async () => {
    const { api, posted, start } = fakeApi(`<Response><Enqueue waitUrl="/api/twilio/wait?seq=1" action="/api/twilio/gather?seq=1&amp;kind=queue">general</Enqueue></Response>`, {
      wait: ['<Response><Say>Please hold.</Say></Response>'],
    });
    const engine = new CallEngine(api, deps());
    await engine.start(start);
    await vi.advanceTimersByTimeAsync(0);
    await engine.hangUp();
    expect(posted.map((p) => [p.event.kind, 'result' in p.event ? p.event.result : undefined])).toEqual([
      ['wait', undefined],
      ['queueAction', 'hangup'],
      ['status', undefined],
    ]);
    expect(engine.getState()).toMatchObject({ phase: 'ended', endedBy: 'caller', hold: null });
    await vi.advanceTimersByTimeAsync(5000);
    expect(posted).toHaveLength(3);
  });

  it('ends the call with the error when the webhook fails', async () => {
    const api: CallApi = { event: async (_s, _e, url) => exchange(url ?? '', '<Response/>') };
    const engine = new CallEngine(api, deps());
    await engine.start(async () => ({ session, exchange: { ...exchange(`${BASE}/api/twilio/voice`, '<Response/>'), status: 403, error: 'The webhook answered 403' } }));
    expect(engine.getState()).toMatchObject({ phase: 'ended', endedBy: 'error' });
    expect(engine.getState().transcript.some((t) => t.who === 'error' && t.text.includes('403'))).toBe(true);
  });

  describe('a bridge to an agent', () => {
    const HOLD = `<Response><Enqueue waitUrl="/api/twilio/wait?seq=1" action="/api/twilio/gather?seq=1&amp;kind=queue">billing</Enqueue></Response>`;
    const line = (id: string, who: 'caller' | 'agent', body: string) => ({ id, who, body, at: '2025-01-01T00:00:00.000Z' });

    it('takes the caller off hold without a queue action, shows both sides’ lines once, and a hang-up sends only the status callback', async () => {
      const { api, posted, start } = fakeApi(HOLD, { wait: ['<Response><Say>Please hold.</Say><Pause length="1"/></Response>', '<Response><Say>Please hold.</Say></Response>'] });
      const d = deps();
      const engine = new CallEngine(api, d);
      engine.setSound(true);
      await engine.start(start);
      await vi.advanceTimersByTimeAsync(0);
      await engine.applyBridge({ state: 'waiting', agentName: null, lines: [] });
      expect(engine.getState().hold?.queue).toBe('billing');

      await engine.applyBridge({ state: 'connected', agentName: 'Ann Agent', lines: [line('1', 'agent', 'Hi, Ann here.')] });
      expect(engine.getState()).toMatchObject({ hold: null, bridge: { agent: 'Ann Agent' } });
      await engine.applyBridge({ state: 'connected', agentName: 'Ann Agent', lines: [line('1', 'agent', 'Hi, Ann here.'), line('2', 'caller', 'My bill is wrong.')] });
      await vi.advanceTimersByTimeAsync(10_000);
      // The hold's polls stopped with the bridge (the one in flight finished its pause and left it).
      expect(posted.map((p) => p.event.kind)).toEqual(['wait']);
      expect(d.spoken).toContain('Hi, Ann here.');
      expect(engine.getState().transcript.filter((t) => t.who !== 'flow').map((t) => [t.who, t.text])).toEqual([
        ['system', 'hold:billing'],
        ['system', 'bridged:Ann Agent'],
        ['agent', 'Hi, Ann here.'],
        ['caller', 'My bill is wrong.'],
      ]);

      await engine.hangUp();
      expect(posted.map((p) => p.event.kind)).toEqual(['wait', 'status']);
      expect(engine.getState()).toMatchObject({ phase: 'ended', endedBy: 'caller', bridge: null });
    });

    it('hangs up when the agent’s side ends, and waits again while a transfer finds the next agent', async () => {
      const { api, posted, start } = fakeApi(HOLD, {});
      const engine = new CallEngine(api, deps());
      await engine.start(start);
      await engine.applyBridge({ state: 'connected', agentName: 'Ann Agent', lines: [] });
      await engine.applyBridge({ state: 'waiting', agentName: null, lines: [] });
      expect(engine.getState()).toMatchObject({ phase: 'active', bridge: null });
      await engine.applyBridge({ state: 'connected', agentName: 'Bob Agent', lines: [] });
      expect(engine.getState().bridge?.agent).toBe('Bob Agent');
      await engine.applyBridge({ state: 'ended', agentName: null, lines: [] });
      expect(engine.getState()).toMatchObject({ phase: 'ended', endedBy: 'agent' });
      expect(posted.filter((p) => p.event.kind !== 'wait').map((p) => p.event.kind)).toEqual(['status']);
      expect(engine.getState().transcript.filter((t) => t.who === 'system').map((t) => t.text)).toEqual([
        'hold:billing',
        'bridged:Ann Agent',
        'transferring',
        'bridged:Bob Agent',
        'ended:agent',
      ]);
    });
  });
});
