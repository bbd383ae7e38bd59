import type { CallBridge } from '@/server/routing/conversation';
import type { CallSession, WebhookExchange } from '@/server/simulator/service';
import type { EnqueueVerb, GatherVerb, TwimlVerb } from '@/server/simulator/twiml-parse';

/**
 * The simulated phone's behaviour, as Twilio's: play the verbs of each TwiML answer in order,
 * wait for keys or speech on `<Gather>` (posting an empty result when its timeout runs out),
 * poll the wait URL while on hold and follow `<Leave>` to the `<Enqueue>` action, and send the
 * status callback when the call ends. No React here, so it is tested with fake timers.
 *
 * A sandbox call an agent took is bridged by the app, not by TwiML (with Twilio, the accept
 * redirects the call to a <Dial>): the page polls the bridge and hands it to `applyBridge`, which
 * takes the caller off hold, shows the lines both ways, and hangs up when the agent's side ends.
 */

export type CallEventInput =
  | { kind: 'gather'; digits?: string; speech?: string }
  | { kind: 'wait'; queueTime: number; position: number }
  | { kind: 'queueAction'; result: 'leave' | 'hangup' | 'bridged'; queueTime: number }
  | { kind: 'redirect' }
  | { kind: 'status'; status: 'completed'; duration: number };

export type StartCall = () => Promise<{ session: CallSession; exchange: WebhookExchange }>;

export interface CallApi {
  event(session: CallSession, event: CallEventInput, url: string | undefined, documentUrl: string): Promise<WebhookExchange>;
}

export interface EngineDeps {
  speak(text: string, language?: string): Promise<void>;
  stopSpeaking(): void;
  holdTone(): void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Caps `<Pause>` lengths so the simulator stays brisk. */
  maxPauseMs: number;
  /** How long after one wait-URL answer the next poll goes out (Twilio loops the wait TwiML). */
  holdPollMs: number;
}

export interface TranscriptEntry {
  id: number;
  who: 'flow' | 'caller' | 'agent' | 'system' | 'error';
  text: string;
  language?: string;
}

export interface LogEntry extends WebhookExchange {
  id: number;
  label: string;
}

export interface GatherState {
  verb: GatherVerb;
  digits: string;
  /** When the timeout runs out; null while the prompts are still playing. */
  deadline: number | null;
}

export interface HoldState {
  queue: string;
  since: number;
  message: string | null;
  polls: number;
}

export type CallPhase = 'idle' | 'connecting' | 'active' | 'ended';

export interface CallState {
  phase: CallPhase;
  session: CallSession | null;
  startedAt: number | null;
  transcript: TranscriptEntry[];
  gather: GatherState | null;
  hold: HoldState | null;
  log: LogEntry[];
  /** Set while a webhook request is in flight. */
  busy: boolean;
  /** The agent the caller is connected to (a sandbox bridge). */
  bridge: { agent: string; since: number } | null;
  endedBy: 'flow' | 'caller' | 'agent' | 'error' | null;
}

export const initialCallState: CallState = { phase: 'idle', session: null, startedAt: null, transcript: [], gather: null, hold: null, log: [], busy: false, bridge: null, endedBy: null };

interface Pending {
  gather?: { verb: GatherVerb; rest: TwimlVerb[]; documentUrl: string; timer: unknown };
  hold?: { verb: EnqueueVerb; rest: TwimlVerb[]; documentUrl: string; timer: unknown };
}

export class CallEngine {
  private state: CallState = initialCallState;
  private listeners = new Set<(state: CallState) => void>();
  private generation = 0;
  private nextId = 1;
  private pending: Pending = {};
  private statusSent = false;
  /** Bridge lines already in the transcript, by id. */
  private shownLines = new Set<string>();
  /** Speak prompts and play hold tones; off, the call runs silently (and as fast). */
  private sound = false;

  constructor(
    private readonly api: CallApi,
    private readonly deps: EngineDeps,
  ) {}

  getState = (): CallState => this.state;

  setSound(on: boolean) {
    this.sound = on;
    if (!on) this.deps.stopSpeaking();
  }

  private speak(text: string, language?: string): Promise<void> {
    return this.sound ? this.deps.speak(text, language) : Promise.resolve();
  }

  private tone() {
    if (this.sound) this.deps.holdTone();
  }

  subscribe = (listener: (state: CallState) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<CallState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }

  private add(who: TranscriptEntry['who'], text: string, language?: string) {
    this.set({ transcript: [...this.state.transcript, { id: this.nextId++, who, text, ...(language && { language }) }] });
  }

  private record(label: string, exchange: WebhookExchange) {
    this.set({ log: [...this.state.log, { ...exchange, id: this.nextId++, label }] });
  }

  private sleep(ms: number, generation: number): Promise<boolean> {
    return new Promise((resolve) => this.deps.setTimer(() => resolve(generation === this.generation), ms));
  }

  private live(generation: number) {
    return generation === this.generation && this.state.phase === 'active';
  }

  /** Dials (`begin` posts the incoming-call webhook), then plays its answer. */
  async start(begin: StartCall): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    this.pending = {};
    this.statusSent = false;
    this.shownLines = new Set();
    this.set({ ...initialCallState, phase: 'connecting', busy: true });
    let started: Awaited<ReturnType<StartCall>>;
    try {
      started = await begin();
    } catch (error) {
      this.add('error', message(error));
      this.set({ phase: 'ended', busy: false, endedBy: 'error' });
      return;
    }
    if (generation !== this.generation) {
      // Hung up while it was ringing: the call exists on the server now, so end it there too.
      await this.api.event(started.session, { kind: 'status', status: 'completed', duration: 0 }, undefined, started.exchange.url).catch(() => undefined);
      return;
    }
    this.set({ session: started.session, phase: 'active', startedAt: this.deps.now(), busy: false });
    this.record('voice', started.exchange);
    await this.play(started.exchange, generation);
  }

  private async post(label: string, event: CallEventInput, url: string | undefined, documentUrl: string, generation: number): Promise<WebhookExchange | null> {
    const session = this.state.session;
    if (!session) return null;
    this.set({ busy: true });
    try {
      const exchange = await this.api.event(session, event, url, documentUrl);
      if (generation === this.generation || event.kind === 'status' || event.kind === 'queueAction') this.record(label, exchange);
      return exchange;
    } catch (error) {
      if (generation === this.generation) this.add('error', message(error));
      return null;
    } finally {
      this.set({ busy: false });
    }
  }

  /** Plays one TwiML answer from the start. */
  private async play(exchange: WebhookExchange, generation: number): Promise<void> {
    if (exchange.error) {
      this.add('error', exchange.error);
      await this.end('error');
      return;
    }
    await this.playVerbs(exchange.verbs, exchange.url, generation);
  }

  private async playVerbs(verbs: TwimlVerb[], documentUrl: string, generation: number): Promise<void> {
    for (const [i, verb] of verbs.entries()) {
      if (!this.live(generation)) return;
      const rest = verbs.slice(i + 1);
      switch (verb.verb) {
        case 'say':
          for (let n = 0; n < Math.max(1, verb.loop); n += 1) {
            this.add('flow', verb.text, verb.language);
            await this.speak(verb.text, verb.language);
          }
          break;
        case 'play':
          this.add('system', `♪ ${verb.url}`);
          this.tone();
          break;
        case 'pause':
          if (!(await this.sleep(Math.min(verb.length * 1000, this.deps.maxPauseMs), generation))) return;
          break;
        case 'gather':
          await this.beginGather(verb, rest, documentUrl, generation);
          return;
        case 'enqueue':
          this.beginHold(verb, rest, documentUrl, generation);
          return;
        case 'dial':
          this.add('system', `dial:${verb.number}`);
          break;
        case 'redirect': {
          const next = await this.post('redirect', { kind: 'redirect' }, verb.url, documentUrl, generation);
          if (next && this.live(generation)) await this.play(next, generation);
          return;
        }
        case 'hangup':
        case 'reject':
          await this.end('flow');
          return;
        case 'leave':
          break;
        case 'message':
          this.add('system', `sms:${verb.body}`);
          break;
        case 'unknown':
          this.add('system', `unsupported:${verb.name}`);
          break;
        default: {
          const unknown: never = verb;
          throw new Error(`unknown verb ${JSON.stringify(unknown)}`);
        }
      }
    }
    // Twilio hangs up when a document runs out of verbs.
    if (this.live(generation)) await this.end('flow');
  }

  // --- <Gather> -----------------------------------------------------------------------------

  private async beginGather(verb: GatherVerb, rest: TwimlVerb[], documentUrl: string, generation: number) {
    this.pending.gather = { verb, rest, documentUrl, timer: undefined };
    this.set({ gather: { verb, digits: '', deadline: null } });
    for (const prompt of verb.prompts) {
      if (!this.live(generation) || this.pending.gather?.verb !== verb) return;
      if (prompt.verb === 'say') {
        this.add('flow', prompt.text, prompt.language);
        await this.speak(prompt.text, prompt.language);
      } else if (prompt.verb === 'pause') {
        if (!(await this.sleep(Math.min(prompt.length * 1000, this.deps.maxPauseMs), generation))) return;
      } else {
        this.add('system', `♪ ${prompt.url}`);
      }
    }
    if (this.live(generation) && this.pending.gather?.verb === verb) this.armGatherTimer(generation);
  }

  private armGatherTimer(generation: number) {
    const pending = this.pending.gather;
    if (!pending || !this.state.gather) return;
    this.deps.clearTimer(pending.timer);
    const ms = pending.verb.timeout * 1000;
    pending.timer = this.deps.setTimer(() => void this.gatherTimedOut(generation), ms);
    this.set({ gather: { ...this.state.gather, deadline: this.deps.now() + ms } });
  }

  private async gatherTimedOut(generation: number) {
    const pending = this.pending.gather;
    if (!pending || !this.live(generation)) return;
    const digits = this.state.gather?.digits ?? '';
    if (digits !== '' || pending.verb.actionOnEmptyResult) {
      await this.submitGather({ digits }, generation);
      return;
    }
    // Without actionOnEmptyResult Twilio moves on to the verbs after the <Gather>.
    this.pending.gather = undefined;
    this.set({ gather: null });
    this.add('system', 'timeout');
    await this.playVerbs(pending.rest, pending.documentUrl, generation);
  }

  private async submitGather(input: { digits?: string; speech?: string }, generation: number) {
    const pending = this.pending.gather;
    if (!pending) return;
    this.deps.clearTimer(pending.timer);
    this.deps.stopSpeaking();
    this.pending.gather = undefined;
    this.set({ gather: null });
    if (!input.digits && !input.speech) this.add('system', 'timeout');
    const next = await this.post('gather', { kind: 'gather', ...input }, pending.verb.action, pending.documentUrl, generation);
    if (next && this.live(generation)) await this.play(next, generation);
  }

  /** A key on the keypad: collected by an open `<Gather>`, else heard by nobody. */
  press(key: string): void {
    const generation = this.generation;
    if (this.state.phase !== 'active') return;
    this.add('caller', key);
    const pending = this.pending.gather;
    const gather = this.state.gather;
    if (!pending || !gather || !pending.verb.input.includes('dtmf')) return;
    if (key === pending.verb.finishOnKey) {
      void this.submitGather({ digits: gather.digits }, generation);
      return;
    }
    const digits = gather.digits + key;
    this.set({ gather: { ...gather, digits } });
    if (pending.verb.numDigits !== undefined && digits.length >= pending.verb.numDigits) {
      void this.submitGather({ digits }, generation);
      return;
    }
    // After the first key, the timeout is the wait for the next one.
    if (gather.deadline !== null) this.armGatherTimer(generation);
  }

  /** Words said to an open speech `<Gather>`. Returns false when nothing is listening. */
  say(text: string): boolean {
    const speech = text.trim();
    if (this.state.phase !== 'active' || speech === '') return false;
    this.add('caller', speech);
    const pending = this.pending.gather;
    if (!pending || !pending.verb.input.includes('speech')) return false;
    void this.submitGather({ speech }, this.generation);
    return true;
  }

  // --- <Enqueue> ----------------------------------------------------------------------------

  private beginHold(verb: EnqueueVerb, rest: TwimlVerb[], documentUrl: string, generation: number) {
    this.pending.hold = { verb, rest, documentUrl, timer: undefined };
    this.set({ hold: { queue: verb.queue, since: this.deps.now(), message: null, polls: 0 } });
    this.add('system', `hold:${verb.queue}`);
    if (verb.waitUrl) void this.pollHold(generation);
  }

  private async pollHold(generation: number): Promise<void> {
    const pending = this.pending.hold;
    const hold = this.state.hold;
    if (!pending || !hold || !this.live(generation) || !pending.verb.waitUrl) return;
    const queueTime = Math.round((this.deps.now() - hold.since) / 1000);
    const answer = await this.post('wait', { kind: 'wait', queueTime, position: 1 }, pending.verb.waitUrl, pending.documentUrl, generation);
    if (!this.live(generation) || this.pending.hold !== pending) return;
    let leave = false;
    let pausedMs = 0;
    if (answer && !answer.error) {
      for (const verb of answer.verbs) {
        if (!this.live(generation) || this.pending.hold !== pending) return;
        if (verb.verb === 'say') {
          const first = this.state.hold?.message !== verb.text;
          this.set({ hold: { ...(this.state.hold ?? hold), message: verb.text } });
          if (first) {
            this.add('flow', verb.text, verb.language);
            await this.speak(verb.text, verb.language);
          }
        } else if (verb.verb === 'play') {
          this.tone();
        } else if (verb.verb === 'pause') {
          const ms = Math.min(verb.length * 1000, this.deps.maxPauseMs);
          pausedMs += ms;
          if (!(await this.sleep(ms, generation))) return;
        } else if (verb.verb === 'leave') {
          leave = true;
          break;
        } else if (verb.verb === 'hangup') {
          await this.end('flow');
          return;
        }
      }
    } else if (answer?.error) {
      this.add('error', answer.error);
    }
    if (!this.live(generation) || this.pending.hold !== pending) return;
    this.set({ hold: this.state.hold && { ...this.state.hold, polls: this.state.hold.polls + 1 } });
    if (leave) {
      await this.leaveHold('leave', generation);
      return;
    }
    this.tone();
    pending.timer = this.deps.setTimer(() => void this.pollHold(generation), Math.max(0, this.deps.holdPollMs - pausedMs));
  }

  private async leaveHold(result: 'leave' | 'hangup', generation: number) {
    const pending = this.pending.hold;
    const hold = this.state.hold;
    if (!pending || !hold) return;
    this.deps.clearTimer(pending.timer);
    this.pending.hold = undefined;
    this.set({ hold: null });
    const queueTime = Math.round((this.deps.now() - hold.since) / 1000);
    if (!pending.verb.action) {
      if (result === 'leave') await this.playVerbs(pending.rest, pending.documentUrl, generation);
      return;
    }
    const next = await this.post('queue', { kind: 'queueAction', result, queueTime }, pending.verb.action, pending.documentUrl, generation);
    if (result === 'leave' && next && this.live(generation)) await this.play(next, generation);
  }

  // --- the bridge to an agent ---------------------------------------------------------------

  /** The bridge as the app last reported it (polled by the page while the call is up). */
  async applyBridge(bridge: CallBridge): Promise<void> {
    if (this.state.phase !== 'active') return;
    if (bridge.state === 'connected' && bridge.agentName !== null && this.state.bridge?.agent !== bridge.agentName) {
      // Twilio takes a redirected call out of its queue: no more hold polls, no queue action.
      if (this.pending.hold) this.deps.clearTimer(this.pending.hold.timer);
      this.pending.hold = undefined;
      this.deps.stopSpeaking();
      this.set({ hold: null, bridge: { agent: bridge.agentName, since: this.deps.now() } });
      this.add('system', `bridged:${bridge.agentName}`);
    }
    for (const line of bridge.lines) {
      if (this.shownLines.has(line.id)) continue;
      this.shownLines.add(line.id);
      this.add(line.who, line.body);
      if (line.who === 'agent') await this.speak(line.body);
    }
    if (this.state.bridge === null) return;
    if (bridge.state === 'waiting') {
      this.set({ bridge: null });
      this.add('system', 'transferring');
    } else if (bridge.state === 'ended' || bridge.state === 'none') {
      await this.end('agent');
    }
  }

  // --- the end ------------------------------------------------------------------------------

  /** The caller hangs up. */
  async hangUp(): Promise<void> {
    if (this.state.phase === 'connecting') {
      this.generation += 1;
      this.set({ phase: 'ended', busy: false, endedBy: 'caller' });
      return;
    }
    if (this.state.phase !== 'active') return;
    await this.end('caller');
  }

  private async end(by: 'flow' | 'caller' | 'agent' | 'error') {
    if (this.state.phase === 'ended') return;
    const generation = this.generation;
    this.deps.stopSpeaking();
    if (this.pending.gather) this.deps.clearTimer(this.pending.gather.timer);
    const holding = this.pending.hold !== undefined;
    // A caller who hangs up on hold leaves the queue first: Twilio posts the <Enqueue> action.
    if (holding && by === 'caller') await this.leaveHold('hangup', generation);
    if (this.pending.hold) this.deps.clearTimer(this.pending.hold.timer);
    this.pending = {};
    this.generation += 1;
    this.set({ phase: 'ended', gather: null, hold: null, bridge: null, endedBy: by });
    this.add('system', `ended:${by}`);
    if (this.state.session && !this.statusSent) {
      this.statusSent = true;
      const duration = this.state.startedAt === null ? 0 : Math.round((this.deps.now() - this.state.startedAt) / 1000);
      await this.post('status', { kind: 'status', status: 'completed', duration }, undefined, this.state.log[0]?.url ?? '', this.generation);
    }
  }

  dispose() {
    this.generation += 1;
    if (this.pending.gather) this.deps.clearTimer(this.pending.gather.timer);
    if (this.pending.hold) this.deps.clearTimer(this.pending.hold.timer);
    this.pending = {};
    this.deps.stopSpeaking();
    this.listeners.clear();
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
