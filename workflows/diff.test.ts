import { describe, expect, it } from 'vitest';
import { diffFlows, isEmptyDiff } from './diff';
import type { FlowDocument } from './document';

const base: FlowDocument = {
  format: 'switchboard.flow/1',
  name: 'Flow',
  nodes: [
    { id: 'start', type: 'incoming-call', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
    {
      id: 'menu',
      type: 'ivr-menu',
      typeVersion: 1,
      position: { x: 300, y: 0 },
      config: { prompt: 'Press 1', options: [{ digit: '1', label: 'Sales', keywords: [] }] },
    },
    { id: 'bye', type: 'end', typeVersion: 1, position: { x: 600, y: 0 }, config: { message: 'Bye' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourcePort: 'next', target: 'menu' },
    { id: 'e2', source: 'menu', sourcePort: 'option-1', target: 'bye' },
  ],
};

function edit(change: (doc: FlowDocument) => void): FlowDocument {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

describe('diffFlows', () => {
  it('finds nothing between a document and its copy', () => {
    expect(isEmptyDiff(diffFlows(base, structuredClone(base)))).toBe(true);
  });

  it('lists added and removed nodes and edges', () => {
    const after = edit((doc) => {
      doc.nodes = doc.nodes.filter((n) => n.id !== 'bye');
      doc.nodes.push({ id: 'sms', type: 'send-sms', typeVersion: 1, position: { x: 0, y: 0 }, config: { body: 'Hi' } });
      doc.edges = [doc.edges[0]!, { id: 'e3', source: 'menu', sourcePort: 'option-1', target: 'sms' }];
    });
    const diff = diffFlows(base, after);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(['sms']);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(['bye']);
    expect(diff.edges.added.map((e) => e.id)).toEqual(['e3']);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(['e2']);
    expect(diff.nodes.changed).toEqual([]);
  });

  it('names the changed config fields, deep inside arrays', () => {
    const after = edit((doc) => {
      const menu = doc.nodes[1]!;
      menu.label = 'Main menu';
      (menu.config.options as { label: string }[])[0]!.label = 'Billing';
      (menu.config.options as unknown[]).push({ digit: '2', label: 'Support', keywords: [] });
      menu.config.timeoutSeconds = 8;
    });
    const diff = diffFlows(base, after);
    expect(diff.nodes.changed).toHaveLength(1);
    expect(diff.nodes.changed[0]?.id).toBe('menu');
    expect(diff.nodes.changed[0]?.fields).toEqual(['label', 'config.options[0].label', 'config.options[1]', 'config.timeoutSeconds']);
  });

  it('reports a move separately from a change', () => {
    const after = edit((doc) => {
      doc.nodes[2]!.position = { x: 10, y: 10 };
    });
    const diff = diffFlows(base, after);
    expect(diff.nodes.moved).toEqual(['bye']);
    expect(diff.nodes.changed).toEqual([]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('matches edges by what they connect, not by id', () => {
    const after = edit((doc) => {
      doc.edges[0]!.id = 'renamed';
    });
    const diff = diffFlows(base, after);
    expect(diff.edges).toEqual({ added: [], removed: [] });
  });

  it('reports document name and description changes', () => {
    const after = edit((doc) => {
      doc.name = 'Renamed';
      doc.description = 'Now described';
    });
    expect(diffFlows(base, after).document).toEqual(['name', 'description']);
  });
});
