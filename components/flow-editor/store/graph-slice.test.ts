import { describe, expect, it } from 'vitest';
import { compileFlow } from '@/workflows/compile';
import { nodeCatalog, upgradeFor } from '@/nodes/registry';
import { sampleStore } from './test-helpers';

describe('graph slice', () => {
  it('adds a node of the newest version with its defaults, a readable id, and selects it', () => {
    const store = sampleStore();
    const id = store.getState().addNode('say', { x: 10.4, y: 20.6 });
    expect(id).toBe('say-1');
    const node = store.getState().document.nodes.at(-1);
    expect(node).toMatchObject({ id: 'say-1', type: 'say', typeVersion: 1, position: { x: 10, y: 21 } });
    expect(node?.config.text).toContain('{{customer.firstName}}');
    expect(store.getState().selectedNodeIds).toEqual(['say-1']);
    expect(store.getState().addNode('say', { x: 0, y: 0 })).toBe('say-2');
    expect(store.getState().addNode('no-such-type', { x: 0, y: 0 })).toBeUndefined();
  });

  it('connects a port to a node and re-points a port that is already connected', () => {
    const store = sampleStore();
    store.getState().addNode('say', { x: 0, y: 0 });
    const id = store.getState().connect({ source: 'menu', sourcePort: 'option-1', target: 'say-1' });
    const edges = store.getState().document.edges;
    expect(edges.filter((e) => e.source === 'menu' && e.sourcePort === 'option-1')).toEqual([{ id, source: 'menu', sourcePort: 'option-1', target: 'say-1' }]);
    expect(store.getState().connect({ source: 'menu', sourcePort: 'option-1', target: 'missing' })).toBeUndefined();
  });

  it('drops edges from ports a new config no longer has, and keeps them while the config is invalid', () => {
    const store = sampleStore();
    const menu = store.getState().document.nodes[1]!;
    const options = (menu.config.options as unknown[]).slice(0, 1);
    store.getState().updateNodeConfig('menu', { ...menu.config, prompt: '' , options: [...options, { digit: '2', label: 'Two', keywords: [] }] });
    expect(store.getState().document.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    store.getState().updateNodeConfig('menu', { ...menu.config, options });
    expect(store.getState().document.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('upgrades a node to a newer version with its migrated config, as one undoable step', () => {
    const store = sampleStore();
    const menu = store.getState().document.nodes[1]!;
    const offer = upgradeFor(menu.type, menu.typeVersion);
    expect(offer?.to.version).toBe(2);
    store.getState().setNodeVersion('menu', 2, offer?.migrate(menu.config) as Record<string, unknown>);
    const upgraded = store.getState().document.nodes[1];
    expect(upgraded?.typeVersion).toBe(2);
    expect((upgraded?.config.options as { confirm: string }[]).map((option) => option.confirm)).toEqual(['', '']);
    expect(store.getState().document.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(compileFlow(store.getState().document, nodeCatalog).compiled?.nodes.menu?.typeVersion).toBe(2);
    store.getState().undo();
    expect(store.getState().document.nodes[1]).toEqual(menu);
    store.getState().setNodeVersion('menu', 9, {});
    expect(store.getState().document.nodes[1]).toEqual(menu);
  });

  it('removes nodes with their edges and counts moves as changes but not as structure', () => {
    const store = sampleStore();
    const { structureVersion, changeVersion } = store.getState();
    store.getState().moveNodes({ bye: { x: 5, y: 5 } });
    expect(store.getState().structureVersion).toBe(structureVersion);
    expect(store.getState().changeVersion).toBe(changeVersion + 1);
    store.getState().removeElements(['menu'], []);
    expect(store.getState().document.nodes.map((n) => n.id)).toEqual(['start', 'bye']);
    expect(store.getState().document.edges).toEqual([]);
    expect(store.getState().structureVersion).toBe(structureVersion + 1);
  });

  it('labels nodes, and an empty label goes back to the type name', () => {
    const store = sampleStore();
    store.getState().setNodeLabel('menu', 'Main menu');
    expect(store.getState().document.nodes[1]?.label).toBe('Main menu');
    store.getState().setNodeLabel('menu', ' ');
    expect('label' in store.getState().document.nodes[1]!).toBe(false);
  });

  it('inserts a fragment with fresh ids and its inner edges only', () => {
    const store = sampleStore();
    const { nodes, edges } = store.getState().document;
    const ids = store.getState().insertFragment({ nodes: nodes.slice(1), edges }, { x: 40, y: 40 });
    expect(ids).toEqual(['ivr-menu-1', 'end-1']);
    const added = store.getState().document.edges.filter((e) => ids.includes(e.source));
    expect(added.map((e) => [e.source, e.sourcePort, e.target])).toEqual([
      ['ivr-menu-1', 'option-1', 'end-1'],
      ['ivr-menu-1', 'option-2', 'end-1'],
    ]);
    expect(store.getState().document.nodes.at(-1)?.position).toEqual({ x: 640, y: 40 });
  });

  it('edits a flow into one the compiler accepts', () => {
    const store = sampleStore();
    expect(compileFlow(store.getState().document, nodeCatalog).compiled).toBeDefined();
    store.getState().removeElements([], ['e3']);
    const diagnostics = compileFlow(store.getState().document, nodeCatalog).diagnostics;
    expect(diagnostics.map((d) => d.code)).toEqual(['PORT_NOT_CONNECTED']);
    store.getState().connect({ source: 'menu', sourcePort: 'option-2', target: 'bye' });
    expect(compileFlow(store.getState().document, nodeCatalog).compiled).toBeDefined();
  });
});
