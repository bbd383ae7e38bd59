import type { CallerInput, CustomerSnapshot, EmotionResult, VarValue } from '@/nodes/sdk';

/** What `{{…}}` placeholders can read. Built from the run state with `templateScope`. */
export interface TemplateScope {
  customer: CustomerSnapshot | null;
  vars: Readonly<Record<string, VarValue>>;
  /** The caller's latest input text, '' when none. */
  input: string;
  emotion: EmotionResult | null;
  flowNumber: string;
}

export function templateScope(state: {
  customer: CustomerSnapshot | null;
  vars: Readonly<Record<string, VarValue>>;
  lastInput: CallerInput | null;
  emotion: EmotionResult | null;
  flowNumber?: string;
}): TemplateScope {
  return {
    customer: state.customer,
    vars: state.vars,
    input: state.lastInput?.text ?? '',
    emotion: state.emotion,
    flowNumber: state.flowNumber ?? '',
  };
}

export interface TemplateVariable {
  /** What goes between the braces, e.g. `customer.firstName`; `vars.<name>` stands for any variable. */
  path: string;
  description: string;
}

/** Offered by the template editor's autocomplete. */
export const templateVariables: readonly TemplateVariable[] = [
  { path: 'customer.firstName', description: "Customer's first name" },
  { path: 'customer.lastName', description: "Customer's last name" },
  { path: 'customer.phone', description: "Customer's phone number" },
  { path: 'customer.tags', description: "Customer's tags, comma separated" },
  { path: 'customer.locale', description: "Customer's language (en-US, zh-CN)" },
  { path: 'vars.<name>', description: 'A flow variable set by Collect input or Set variable' },
  { path: 'input', description: "The caller's latest answer" },
  { path: 'emotion.label', description: 'Latest emotion: upset, neutral or positive' },
  { path: 'emotion.score', description: 'Latest emotion score, -1 … 1' },
  { path: 'flowNumber', description: 'The number the customer called or texted' },
];

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

/**
 * Replaces `{{customer.firstName}}`, `{{vars.x}}`, `{{input}}`, `{{emotion.label}}` …
 * Missing values render as ''; lists render comma separated. Only own properties are read,
 * so `{{vars.constructor}}` is empty rather than leaking prototype internals.
 */
export function renderTemplate(template: string, scope: TemplateScope): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => format(lookup(scope, path.split('.'))));
}

function lookup(root: unknown, keys: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string' || typeof item === 'number').join(', ');
  return '';
}
