import type { z } from 'zod';
import type { Channel, NodeSpec, PortSpec } from '@/workflows/catalog';

/**
 * The node SDK. A node type is one folder under `nodes/` with, per version:
 *  - `definition.ts`: `defineNode({...})`, isomorphic (canvas, compiler, worker);
 *  - `step.ts`: `defineStep<Config>(async (config, ctx) => ...)`, deterministic workflow code. It
 *    imports its definition for types only: the workflow sandbox carries steps, not zod schemas;
 * and once per type, optionally:
 *  - `activities.ts`: Node-side side effects, exported functions a step calls with `ctx.activity`.
 * Version 1 lives in the folder itself; later versions in `v2/`, `v3/` … beside it (or every
 * version in `v<N>/`). `npm run nodes:registry` writes the registries in `nodes/generated/`.
 */

export const NODE_CATEGORIES = ['trigger', 'voice', 'logic', 'routing', 'messaging', 'data'] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/**
 * The purpose-built editors a config field can ask the generated settings form for, with
 * `.meta({ widget })`; a field without one gets the editor its type calls for. The form has a
 * renderer for every name here, and zod's meta type accepts no other name (see below).
 */
export const FIELD_WIDGETS = [
  // A `{{variable}}` template on one line or a few.
  'template',
  // A longer `{{variable}}` template, such as an SMS body.
  'textarea',
  // Customer tags, suggested from the tags the database knows: one tag, or a list of them.
  'tags',
  // A list of free words (spoken keywords), with no suggestions.
  'word-list',
  // A skill from the skills list.
  'skill',
  // A text-to-speech voice for the `language` field beside it; empty means the language's default.
  'voice',
  // "caller" or a phone number.
  'phone-or-caller',
  // A list of objects as a table of rows (IVR options, split branches).
  'options-table',
] as const;
export type FieldWidget = (typeof FIELD_WIDGETS)[number];

// Form metadata is typed: `.meta({ widget: 'tagz' })` fails the type check instead of silently
// falling back to a plain input (zod merges `GlobalMeta` into what `.meta()` accepts).
declare module 'zod' {
  interface GlobalMeta {
    widget?: FieldWidget;
  }
}

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
  /** Set on a version > 1: how a node saved with the previous version is upgraded on the canvas. */
  upgrade?: NodeUpgrade<S>;
}

export interface NodeUpgrade<S extends z.ZodType = z.ZodType> {
  /** What the new version does differently, shown beside the upgrade button. */
  changes: string;
  /** The previous version's parsed config → this version's config. Pure. */
  migrate(previous: never): z.input<S>;
}

/** The parsed config type of a definition: `ConfigOf<typeof definition>` in a step. */
export type ConfigOf<D> = D extends NodeDefinition<infer S> ? z.output<S> : never;

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
  /** The type's human name ("IVR menu"), from the compiled program. */
  typeLabel?: string;
  port: string | null;
  input?: string;
}

export interface HandoffRequest {
  skill: string;
  priority: number;
  urgent: boolean;
  reason: string;
  summary: string;
  /**
   * How the skill requirement relaxes while the customer waits: from `afterSeconds` on, agents
   * with `skill` at `minLevel` or above (senior ones only, when `seniorOnly`) are eligible. None:
   * any agent with `skill`.
   */
  requirements?: { afterSeconds: number; skill: string; minLevel: number; seniorOnly?: boolean }[];
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
  /** Run one of this node type's activities (an export of its `activities.ts`) by name. */
  activity<T = unknown>(name: string, input: unknown): Promise<T>;
  /** Deterministic 0 ≤ x < 1, stable across replays. */
  random(): number;
  now(): number;
}

export type StepResult =
  | { port: string }
  | { end: 'completed' | 'escalated' | 'hangup' };

/** Workflow-side code of one node version; paired with its definition by the generated registry. */
export interface NodeStep<C = never> {
  run: (config: C, ctx: StepContext) => Promise<StepResult>;
}

export function defineStep<C>(run: (config: C, ctx: StepContext) => Promise<StepResult>): NodeStep<C> {
  return { run };
}
