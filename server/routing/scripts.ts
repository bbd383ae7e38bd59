import type { scripts } from '@/db/schema/routing';

/**
 * Suggested scripts for agents (owner: settings): pure, tested against known values. Isomorphic,
 * so the settings preview and the inbox's reply box render exactly what the server would.
 */

export type Script = Pick<typeof scripts.$inferSelect, 'id' | 'title' | 'language' | 'trigger' | 'tag' | 'body'>;

export interface ScriptSituation {
  /** The emotion score is below the upset threshold. */
  upset: boolean;
  tags: readonly string[];
  language: 'en' | 'zh-CN';
}

/** The variables a script may use; anything else is left as written for the agent to fix. */
export const SCRIPT_VARIABLES = ['customer.firstName', 'customer.lastName', 'customer.name', 'agent.name', 'agent.firstName'] as const;

const normalTag = (tag: string) => tag.trim().toLowerCase();

/**
 * The scripts for this situation: upset first (soothing), then one group per matching tag in the
 * order the customer's tags come, then always. Within a group the agent's language is used; the
 * other language only when the group has nothing in the agent's.
 */
export function suggestScripts(all: readonly Script[], situation: ScriptSituation): Script[] {
  const groups: Script[][] = [];
  if (situation.upset) groups.push(all.filter((s) => s.trigger === 'upset'));
  const tags = [...new Set(situation.tags.map(normalTag))];
  for (const tag of tags) groups.push(all.filter((s) => s.trigger === 'tag' && s.tag !== null && normalTag(s.tag) === tag));
  groups.push(all.filter((s) => s.trigger === 'always'));
  return groups.flatMap((group) => {
    const own = group.filter((s) => s.language === situation.language);
    return own.length > 0 ? own : group;
  });
}

const VARIABLE = /\{\{\s*([\w.]+)\s*\}\}/g;

function lookup(vars: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), vars);
}

/**
 * Fills `{{customer.firstName}}`-style variables; unknown ones, and known ones without a value
 * (a customer with no first name), are left visible for the agent to fix.
 */
export function renderScript(body: string, vars: Record<string, unknown>): string {
  return body.replace(VARIABLE, (written, path: string) => {
    const value = lookup(vars, path);
    return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value) : written;
  });
}

/** The variables in a body that no script variable names (shown as a warning in settings). */
export function unknownVariables(body: string): string[] {
  const known: readonly string[] = SCRIPT_VARIABLES;
  return [...new Set([...body.matchAll(VARIABLE)].map((m) => m[1] ?? ''))].filter((name) => !known.includes(name));
}

/** The variables of a script from the customer's and the agent's names. */
export function scriptVariables(input: { customer?: { firstName?: string | null; lastName?: string | null }; agent?: { name?: string | null } }) {
  const first = input.customer?.firstName?.trim() ?? '';
  const last = input.customer?.lastName?.trim() ?? '';
  const agentName = input.agent?.name?.trim() ?? '';
  // Chinese names are written family name first, with no space.
  const cjk = /\p{Script=Han}/u.test(`${first}${last}`);
  return {
    customer: { firstName: first, lastName: last, name: cjk ? `${last}${first}` : [first, last].filter(Boolean).join(' ') },
    agent: { name: agentName, firstName: agentName.split(/\s+/)[0] ?? '' },
  };
}

/** The customer a preview in settings is rendered with. */
export function sampleVariables(language: 'en' | 'zh-CN', agentName: string) {
  return scriptVariables({ customer: language === 'zh-CN' ? { firstName: '伟', lastName: '王' } : { firstName: 'Alice', lastName: 'Chen' }, agent: { name: agentName } });
}
