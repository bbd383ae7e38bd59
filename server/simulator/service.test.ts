import { describe, expect, it } from 'vitest';
import { nodeDefinitions } from '@/nodes/registry';
import { draftChannel } from './service';

const node = (type: string, typeVersion = 1) => ({ id: type, type, typeVersion, position: { x: 0, y: 0 }, config: {} });

describe('draftChannel', () => {
  it.each(nodeDefinitions.filter((d) => d.trigger !== undefined).map((d) => [d.type, d] as const))('is the channel the %s trigger declares', (_type, trigger) => {
    expect(draftChannel({ nodes: [node('say'), node(trigger.type, trigger.version)] })).toBe(trigger.trigger);
  });

  it('is null without a known trigger', () => {
    expect(draftChannel({ nodes: [node('say'), node('not-a-type')] })).toBeNull();
    expect(draftChannel({})).toBeNull();
  });
});
