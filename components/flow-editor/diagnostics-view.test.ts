import { describe, expect, it } from 'vitest';
import { diagnosticsView } from './diagnostics-view';
import { sampleDocument } from './store/test-helpers';

describe('diagnostics view', () => {
  it('indexes a clean flow as clean', () => {
    const view = diagnosticsView(sampleDocument());
    expect([view.errors, view.warnings, view.nodeIssues.size]).toEqual([0, 0, 0]);
  });

  it('marks unconnected required ports and field errors on their nodes', () => {
    const doc = sampleDocument();
    doc.edges = doc.edges.filter((e) => e.id !== 'e3');
    doc.nodes[2]!.config = { ...doc.nodes[2]!.config, message: 'x'.repeat(1001) };
    const view = diagnosticsView(doc);
    expect(view.openPorts.get('menu')).toEqual(['option-2']);
    expect(view.nodeIssues.get('menu')?.errors).toBe(1);
    expect(view.fieldErrors.get('bye')?.get('message')).toEqual([expect.stringMatching(/1000/)]);
  });

  it('reuses unchanged issue objects so memoized cards keep still', () => {
    const doc = sampleDocument();
    doc.edges = doc.edges.filter((e) => e.id !== 'e3');
    const first = diagnosticsView(doc);
    const second = diagnosticsView({ ...doc, nodes: [...doc.nodes] }, first);
    expect(second.nodeIssues.get('menu')).toBe(first.nodeIssues.get('menu'));
    expect(second.openPorts.get('menu')).toBe(first.openPorts.get('menu'));
  });

  it('puts edge problems on the edge', () => {
    const doc = sampleDocument();
    doc.edges.push({ id: 'bad', source: 'menu', sourcePort: 'option-9', target: 'bye' });
    expect(diagnosticsView(doc).edgeIssues.get('bad')).toMatch(/no port 'option-9'/);
  });
});
