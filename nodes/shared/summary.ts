import type { PathEntry, StepContext } from '@/nodes/sdk';

export type SummarySource = Pick<StepContext, 'channel' | 'customer' | 'emotion' | 'path' | 'vars' | 'lastInput'>;

/**
 * The handoff note an agent reads before picking up: who the customer is, how they feel,
 * the way they came through the flow and what they said. Plain multi-line text.
 */
export function buildSummary(source: SummarySource): string {
  const { customer } = source;
  const name = [customer.firstName, customer.lastName].filter((part) => part !== null && part !== '').join(' ') || 'Unknown caller';
  const lines = [
    `Customer: ${name} (${customer.phone || 'no number'})`,
    `Tags: ${customer.tags.length > 0 ? customer.tags.join(', ') : 'none'}`,
    `Value ${customer.value.toFixed(2)} · behaviour ${customer.behaviour.toFixed(2)} · language ${customer.locale}`,
    `Channel: ${source.channel === 'voice' ? 'voice call' : 'SMS'}`,
    `Emotion: ${source.emotion === null ? 'not scored' : `${source.emotion.label} (${source.emotion.score.toFixed(2)})`}`,
  ];

  const steps = source.path.map((entry) => {
    const label = labelOf(entry);
    return entry.port === null ? label : `${label} [${entry.port}]`;
  });
  lines.push(`Path: ${steps.length > 0 ? steps.join(' → ') : 'none'}`);

  const inputs = source.path.filter((entry) => entry.input !== undefined && entry.input.trim() !== '');
  if (inputs.length > 0) {
    lines.push('Caller said:');
    for (const entry of inputs) lines.push(`  - ${labelOf(entry)}: "${entry.input?.trim()}"`);
  } else if (source.lastInput !== null && source.lastInput.text.trim() !== '') {
    lines.push(`Caller said: "${source.lastInput.text.trim()}"`);
  }

  const vars = Object.entries(source.vars);
  if (vars.length > 0) lines.push(`Variables: ${vars.map(([key, value]) => `${key}=${String(value)}`).join(', ')}`);
  return lines.join('\n');
}

function labelOf(entry: PathEntry): string {
  return entry.typeLabel ?? entry.type;
}
