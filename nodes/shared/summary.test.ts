import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { buildSummary } from './summary';

describe('buildSummary', () => {
  it('writes who, how they feel, the path, what they said and the variables', () => {
    const ctx = fakeContext({
      customer: { tags: ['vip', 'churn-risk'], value: 0.8, behaviour: 0.25 },
      emotion: { score: -0.62, label: 'upset', language: 'en-US' },
      vars: { accountNumber: '0012' },
      path: [
        { nodeId: 'n1', type: 'incoming-call', typeLabel: 'Incoming call', port: 'next' },
        { nodeId: 'n2', type: 'ivr-menu', typeLabel: 'IVR menu', port: 'option-2', input: 'billing' },
        { nodeId: 'n3', type: 'emotion-check', typeLabel: 'Emotion check', port: 'upset' },
        { nodeId: 'n4', type: 'my-custom-node', port: null },
      ],
    });
    expect(buildSummary(ctx).split('\n')).toEqual([
      'Customer: Ada Lovelace (+15550001111)',
      'Tags: vip, churn-risk',
      'Value 0.80 · behaviour 0.25 · language en-US',
      'Channel: voice call',
      'Emotion: upset (-0.62)',
      'Path: Incoming call [next] → IVR menu [option-2] → Emotion check [upset] → my-custom-node',
      'Caller said:',
      '  - IVR menu: "billing"',
      'Variables: accountNumber=0012',
    ]);
  });

  it('copes with an unknown caller and an empty run', () => {
    const ctx = fakeContext({ channel: 'sms', customer: { firstName: null, lastName: null }, lastInput: { kind: 'sms', text: 'help' } });
    const text = buildSummary(ctx);
    expect(text).toContain('Customer: Unknown caller (+15550001111)');
    expect(text).toContain('Tags: none');
    expect(text).toContain('Channel: SMS');
    expect(text).toContain('Emotion: not scored');
    expect(text).toContain('Path: none');
    expect(text).toContain('Caller said: "help"');
    expect(text).not.toContain('Variables');
  });
});
