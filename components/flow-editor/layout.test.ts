import { describe, expect, it } from 'vitest';
import { getDefinition } from '@/nodes/registry';
import { sampleDocument } from './store/test-helpers';
import { layoutFlow } from './layout';
import { portsOf } from './registry-view';

describe('auto-layout', () => {
  it('places every node left to right along the edges, without overlaps', async () => {
    const doc = sampleDocument();
    doc.nodes.forEach((n) => (n.position = { x: 0, y: 0 }));
    const ports = (id: string) => {
      const node = doc.nodes.find((n) => n.id === id);
      const definition = node && getDefinition(node.type, node.typeVersion);
      return definition ? portsOf(definition, node.config).map((p) => p.id) : [];
    };
    const positions = await layoutFlow(doc, new Map(), ports);
    expect(Object.keys(positions).sort()).toEqual(['bye', 'menu', 'start']);
    const { start, menu, bye } = positions;
    expect(start && menu && bye).toBeDefined();
    expect(start!.x).toBeLessThan(menu!.x);
    expect(menu!.x).toBeLessThan(bye!.x);
    expect(menu!.x - start!.x).toBeGreaterThanOrEqual(260);
  });
});
