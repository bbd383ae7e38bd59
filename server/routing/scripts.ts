import type { scripts } from '@/db/schema/routing';

/** Suggested scripts for agents (owner: settings): pure, tested against known values. */

export type Script = Pick<typeof scripts.$inferSelect, 'id' | 'title' | 'language' | 'trigger' | 'tag' | 'body'>;

export interface ScriptSituation {
  /** The emotion score is below the upset threshold. */
  upset: boolean;
  tags: readonly string[];
  language: 'en' | 'zh-CN';
}

/** The scripts for this situation: upset first, then by tag, then always; the agent's language first. */
export function suggestScripts(all: readonly Script[], situation: ScriptSituation): Script[] {
  void all; void situation;
  throw new Error('not implemented yet');
}

/** Fills `{{customer.firstName}}`-style variables; unknown ones are left visible for the agent to fix. */
export function renderScript(body: string, vars: Record<string, unknown>): string {
  void body; void vars;
  throw new Error('not implemented yet');
}
