import { describe, expect, it } from 'vitest';
import { testCustomer } from '@/nodes/testing/fake-context';
import { renderTemplate, templateScope, templateVariables } from './template';

const scope = templateScope({
  customer: { ...testCustomer, tags: ['vip', 'gold'] },
  vars: { account: '0012', count: 3, ok: true },
  lastInput: { kind: 'speech', text: 'billing' },
  emotion: { score: -0.5, label: 'upset', language: 'en-US' },
  flowNumber: '+15550000000',
});

describe('renderTemplate', () => {
  it('fills customer, vars, input and emotion placeholders, with or without spaces', () => {
    expect(renderTemplate('Hi {{customer.firstName}} {{ customer.lastName }}, account {{vars.account}} ({{vars.count}}, {{vars.ok}})', scope)).toBe(
      'Hi Ada Lovelace, account 0012 (3, true)',
    );
    expect(renderTemplate('You said {{input}}; you seem {{emotion.label}} ({{emotion.score}})', scope)).toBe('You said billing; you seem upset (-0.5)');
    expect(renderTemplate('{{customer.tags}} on {{flowNumber}}', scope)).toBe('vip, gold on +15550000000');
  });

  it('renders missing values as empty text', () => {
    expect(renderTemplate('[{{vars.nope}}][{{customer.middleName}}][{{unknown}}][{{vars.constructor}}]', scope)).toBe('[][][][]');
    const empty = templateScope({ customer: null, vars: {}, lastInput: null, emotion: null });
    expect(renderTemplate('Hi {{customer.firstName}}! {{input}}{{emotion.label}}', empty)).toBe('Hi ! ');
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(renderTemplate('{{ not a placeholder }} and {single}', scope)).toBe('{{ not a placeholder }} and {single}');
  });

  it('lists the variables for autocomplete', () => {
    expect(templateVariables.map((variable) => variable.path)).toEqual(
      expect.arrayContaining(['customer.firstName', 'vars.<name>', 'input', 'emotion.label']),
    );
  });
});
