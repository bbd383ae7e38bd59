import { lexiconScorer } from '@/nodes/emotion-check/scorer';
import type {
  AskSpec,
  CallerInput,
  CustomerSnapshot,
  EmotionResult,
  HandoffRequest,
  HoldOutcome,
  HoldSpec,
  PathEntry,
  SayOptions,
  SmsRequest,
  StepContext,
  VarValue,
} from '@/nodes/sdk';
import type { Channel } from '@/workflows/catalog';
import { renderTemplate, templateScope } from '@/nodes/shared/template';

export interface FakeContextOptions {
  channel?: Channel;
  node?: { id: string; type: string };
  customer?: Partial<CustomerSnapshot>;
  flowNumber?: string;
  vars?: Record<string, VarValue>;
  lastInput?: CallerInput | null;
  emotion?: EmotionResult | null;
  path?: PathEntry[];
  /** Answers to `ask`, in order; null means the caller said nothing. Running out throws. */
  answers?: (CallerInput | string | null)[];
  /** Outcomes of `hold`, in order. Running out throws. */
  holdOutcomes?: HoldOutcome[];
  /** Result of every `sendSms`. */
  smsResult?: { ok: boolean; error?: string };
  /** Scores for `scoreEmotion`; the lexicon scorer when absent. */
  scoreEmotion?: (text: string) => EmotionResult;
  activities?: Record<string, (input: unknown) => unknown>;
}

export interface FakeContext extends StepContext {
  vars: Record<string, VarValue>;
  says: { text: string; options?: SayOptions }[];
  asks: AskSpec[];
  holds: HoldSpec[];
  dials: string[];
  tagChanges: { add?: string[]; remove?: string[] }[];
  handoffs: HandoffRequest[];
  sms: SmsRequest[];
  scored: string[];
}

export const testCustomer: CustomerSnapshot = {
  id: 'cust-1',
  phone: '+15550001111',
  firstName: 'Ada',
  lastName: 'Lovelace',
  tags: [],
  value: 0.5,
  behaviour: 0.5,
  locale: 'en-US',
};

/** A recording StepContext with scripted caller answers, for step tests. */
export function fakeContext(options: FakeContextOptions = {}): FakeContext {
  const answers = [...(options.answers ?? [])];
  const holdOutcomes = [...(options.holdOutcomes ?? [])];
  let randomState = 1;

  const ctx: FakeContext = {
    channel: options.channel ?? 'voice',
    node: options.node ?? { id: 'node-1', type: 'test' },
    customer: { ...testCustomer, ...options.customer },
    flowNumber: options.flowNumber ?? '+15559990000',
    vars: { ...options.vars },
    lastInput: options.lastInput ?? null,
    emotion: options.emotion ?? null,
    path: options.path ?? [],
    says: [],
    asks: [],
    holds: [],
    dials: [],
    tagChanges: [],
    handoffs: [],
    sms: [],
    scored: [],
    render: (template) => renderTemplate(template, templateScope(ctx)),
    say: (text, sayOptions) => {
      ctx.says.push(sayOptions === undefined ? { text } : { text, options: sayOptions });
    },
    ask: async (spec) => {
      ctx.asks.push(spec);
      if (answers.length === 0) throw new Error(`unexpected ask #${ctx.asks.length}: no scripted answer left`);
      const next = answers.shift() ?? null;
      const answer: CallerInput | null =
        typeof next === 'string' ? { kind: ctx.channel === 'sms' ? 'sms' : spec.input === 'dtmf' ? 'digits' : 'speech', text: next } : next;
      if (answer !== null) ctx.lastInput = answer;
      return answer;
    },
    hold: async (spec) => {
      ctx.holds.push(spec);
      const outcome = holdOutcomes.shift();
      if (outcome === undefined) throw new Error('unexpected hold: no scripted outcome left');
      return outcome;
    },
    dial: (number) => {
      ctx.dials.push(number);
    },
    setVar: (name, value) => {
      ctx.vars[name] = value;
    },
    setTags: async (change) => {
      ctx.tagChanges.push(change);
      const tags = new Set(ctx.customer.tags);
      for (const tag of change.add ?? []) tags.add(tag);
      for (const tag of change.remove ?? []) tags.delete(tag);
      ctx.customer = { ...ctx.customer, tags: [...tags] };
    },
    scoreEmotion: async (text) => {
      ctx.scored.push(text);
      const result = options.scoreEmotion ? options.scoreEmotion(text) : lexiconScorer.score(text);
      ctx.emotion = result;
      return result;
    },
    createHandoff: async (request) => {
      ctx.handoffs.push(request);
      return { handoffId: `handoff-${ctx.handoffs.length}` };
    },
    sendSms: async (request) => {
      ctx.sms.push(request);
      return options.smsResult ?? { ok: true };
    },
    activity: async <T>(name: string, input: unknown): Promise<T> => {
      const activity = options.activities?.[name];
      if (activity === undefined) throw new Error(`no fake activity ${name}`);
      return (await activity(input)) as T;
    },
    random: () => {
      randomState = (randomState * 16807) % 2147483647;
      return (randomState - 1) / 2147483646;
    },
    now: () => Date.UTC(2025, 0, 1, 12),
  };
  return ctx;
}

/** Shorthand for a caller input. */
export function input(text: string, kind: CallerInput['kind'] = 'speech'): CallerInput {
  return { kind, text };
}
