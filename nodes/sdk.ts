import type { z } from 'zod';
import type { Channel, NodeSpec, PortSpec } from '@/workflows/catalog';

/**
 * The node SDK. A node type is one folder under `nodes/` with:
 *  - `definition.ts`: `defineNode({...})`, isomorphic (canvas, compiler, worker);
 *  - `step.ts`: `defineStep(definition, async (config, ctx) => ...)`, deterministic workflow code;
 *  - `activities.ts` (optional): Node-side side effects, called from the step with `ctx.activity`.
 */

export const NODE_CATEGORIES = ['trigger', 'voice', 'logic', 'routing', 'messaging', 'data'] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

export interface PortDef extends PortSpec {
  /** Shown on the handle. Plain text; option ports use the option's own label. */
  label: string;
}

export interface NodeDefinition<S extends z.ZodType = z.ZodType> extends NodeSpec {
  label: string;
  description: string;
  category: NodeCategory;
  /** A short glyph shown on the card and in the palette. */
  icon: string;
  configSchema: S;
  /** Config a freshly dropped node starts with; must parse with `configSchema`. */
  defaults: z.input<S>;
  ports(config: z.output<S>): readonly PortDef[];
  /** One line describing the config, shown on the canvas card. */
  summary(config: z.output<S>): string;
}

export function defineNode<S extends z.ZodType>(definition: NodeDefinition<S>): NodeDefinition<S> {
  return definition;
}

// ---------------------------------------------------------------------------------------------
// Workflow side

export type Language = 'en-US' | 'zh-CN';

export interface CallerInput {
  kind: 'digits' | 'speech' | 'sms';
  text: string;
  /** Speech recognition confidence, when Twilio sends one. */
  confidence?: number;
}

export interface EmotionResult {
  /** -1 (very upset) … 1 (very positive). */
  score: number;
  label: 'upset' | 'neutral' | 'positive';
  language: Language;
}

export interface CustomerSnapshot {
  id: string;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  /** 0..1: how valuable the customer is (spend, tier). */
  value: number;
  /** 0..1: behaviour signal (recent contacts, complaints, churn risk). */
  behaviour: number;
  locale: Language;
}

export interface SayOptions {
  voice?: string;
  language?: Language;
}

export interface Utterance extends SayOptions {
  text: string;
  /** Seconds of silence after the text (slower prompts for some callers). */
  pauseAfter?: number;
}

export interface AskSpec {
  prompt: Utterance[];
  input: 'dtmf' | 'speech' | 'dtmf speech';
  timeoutSeconds: number;
  numDigits?: number;
  finishOnKey?: string;
  hints?: string[];
  language?: Language;
}

export interface HoldSpec {
  queue: string;
  waitMessage: string;
  timeoutSeconds: number;
  language?: Language;
}

export type HoldOutcome = 'timeout' | 'bridged' | 'hangup';

export interface PathEntry {
  nodeId: string;
  type: string;
  port: string | null;
  input?: string;
}

export interface HandoffRequest {
  skill: string;
  priority: number;
  urgent: boolean;
  reason: string;
  summary: string;
}

export interface SmsRequest {
  to: string;
  body: string;
}

export type VarValue = string | number | boolean;

/** What a step can see and do. Implemented by the interpreter workflow; deterministic by contract. */
export interface StepContext {
  channel: Channel;
  node: { id: string; type: string };
  customer: CustomerSnapshot;
  /** The number the customer called or texted (the flow's number). */
  flowNumber: string;
  vars: Readonly<Record<string, VarValue>>;
  lastInput: CallerInput | null;
  emotion: EmotionResult | null;
  path: readonly PathEntry[];
  /** Replaces `{{customer.firstName}}`, `{{vars.name}}`, `{{input}}` … in a template. */
  render(template: string): string;
  /** Queue words for the caller (voice: `<Say>`; SMS: an outbound message). */
  say(text: string, options?: SayOptions): void;
  /** Prompt and wait for the caller; null when they said nothing before the timeout. */
  ask(spec: AskSpec): Promise<CallerInput | null>;
  /** Put the caller on hold in a queue until bridged, hung up, or timed out. */
  hold(spec: HoldSpec): Promise<HoldOutcome>;
  /** Voice only: connect the call to a number. Ends the flow. */
  dial(number: string): void;
  setVar(name: string, value: VarValue): void;
  setTags(change: { add?: string[]; remove?: string[] }): Promise<void>;
  scoreEmotion(text: string): Promise<EmotionResult>;
  createHandoff(request: HandoffRequest): Promise<{ handoffId: string }>;
  sendSms(request: SmsRequest): Promise<{ ok: boolean; error?: string }>;
  /** Run a custom node type's activity (from its `activities.ts`) by name. */
  activity<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Deterministic 0 ≤ x < 1, stable across replays. */
  random(): number;
  now(): number;
}

export type StepResult =
  | { port: string }
  | { end: 'completed' | 'escalated' | 'hangup' };

export interface NodeStep<S extends z.ZodType = z.ZodType> {
  definition: NodeDefinition<S>;
  run(config: z.output<S>, ctx: StepContext): Promise<StepResult>;
}

export function defineStep<S extends z.ZodType>(
  definition: NodeDefinition<S>,
  run: (config: z.output<S>, ctx: StepContext) => Promise<StepResult>,
): NodeStep<S> {
  return { definition, run };
}
