import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeDefinitions, getDefinition } from '@/nodes/registry';
import { defineNode, type NodeDefinition } from '@/nodes/sdk';
import { paletteGroups, portsOf, summaryOf } from './registry-view';

const custom = (version: number): NodeDefinition =>
  defineNode({
    type: 'crm-lookup',
    version,
    label: `CRM lookup v${version}`,
    description: 'Looks the caller up in the CRM',
    category: 'data',
    icon: '🔎',
    channels: ['voice', 'sms'],
    waitsForCaller: false,
    configSchema: z.object({ system: z.string().min(1) }),
    defaults: { system: 'crm' },
    ports: () => [{ id: 'found', label: 'Found', required: true }],
    summary: (config) => `In ${config.system}`,
  }) as NodeDefinition;

describe('palette', () => {
  it('groups every registered type by category in order', () => {
    const groups = paletteGroups(nodeDefinitions);
    expect(groups.map((g) => g.category)).toEqual(['trigger', 'voice', 'logic', 'routing', 'messaging', 'data']);
    expect(groups.flatMap((g) => g.items).length).toBe(new Set(nodeDefinitions.map((d) => d.type)).size);
  });

  it('shows a custom node type, newest version only, with no canvas change', () => {
    const groups = paletteGroups([...nodeDefinitions, custom(1), custom(2)]);
    const data = groups.find((g) => g.category === 'data')?.items.map((d) => d.label);
    expect(data).toContain('CRM lookup v2');
    expect(data).not.toContain('CRM lookup v1');
  });

  it('searches label, type and description', () => {
    expect(paletteGroups(nodeDefinitions, 'Escal').flatMap((g) => g.items.map((d) => d.type))).toEqual(['escalate']);
    expect(paletteGroups(nodeDefinitions, 'sms').flatMap((g) => g.items.map((d) => d.type))).toEqual(expect.arrayContaining(['incoming-sms', 'send-sms']));
    expect(paletteGroups(nodeDefinitions, 'zzz')).toEqual([]);
  });
});

describe('ports and summaries', () => {
  const menu = getDefinition('ivr-menu') as NodeDefinition;

  it('follow the config: one port per IVR option', () => {
    const config = { ...(menu.defaults as object), options: [{ digit: '1', label: 'A', keywords: [] }, { digit: '2', label: 'B', keywords: [] }, { digit: '3', label: 'C', keywords: [] }] };
    expect(portsOf(menu, config).map((p) => p.id)).toEqual(['option-1', 'option-2', 'option-3', 'timeout', 'invalid']);
    expect(summaryOf(menu, config)).toBe('1 A · 2 B · 3 C');
  });

  it('keep the ports an invalid config still has, and fall back to the description', () => {
    const config = { ...(menu.defaults as object), prompt: '' };
    expect(portsOf(menu, config).map((p) => p.id)).toEqual(['option-1', 'option-2', 'timeout', 'invalid']);
    expect(summaryOf(menu, config)).toBe(menu.description);
    expect(portsOf(menu, {})).toEqual([]);
  });
});
