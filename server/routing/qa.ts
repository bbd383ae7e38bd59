import type { qaRules } from '@/db/schema/routing';

/** Real-time QA on agent replies (owner: settings): pure, tested against known values. */

export type QaRule = Pick<typeof qaRules.$inferSelect, 'id' | 'name' | 'kind' | 'action' | 'terms' | 'pattern' | 'wrapCodes' | 'message'>;

export interface QaFinding {
  ruleId: string;
  ruleName: string;
  action: 'block' | 'warn';
  /** What the agent is told. */
  message: string;
  /** The text that matched (a card number masked to its last four). */
  excerpt: string;
}

/** Findings of the word and pattern rules on one reply, blocking ones first. */
export function checkReply(rules: readonly QaRule[], text: string): QaFinding[] {
  void rules; void text;
  throw new Error('not implemented yet');
}

/** Findings of the required-phrase rules for a wrap-up code, given everything the agent said. */
export function checkResolve(rules: readonly QaRule[], wrapCode: string, agentLines: readonly string[]): QaFinding[] {
  void rules; void wrapCode; void agentLines;
  throw new Error('not implemented yet');
}
