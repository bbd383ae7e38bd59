import { describe, expect, it } from 'vitest';
import { PASTE_OFFSET } from './selection-slice';
import { sampleStore } from './test-helpers';

describe('selection slice', () => {
  it('selects everything and clears', () => {
    const store = sampleStore();
    store.getState().selectAll();
    expect(store.getState().selectedNodeIds).toEqual(['start', 'menu', 'bye']);
    expect(store.getState().selectedEdgeIds).toEqual(['e1', 'e2', 'e3']);
    store.getState().clearSelection();
    expect(store.getState().selectedNodeIds).toEqual([]);
  });

  it('copies the selection with its inner edges and pastes further away each time', () => {
    const store = sampleStore();
    store.getState().setSelection(['menu', 'bye'], []);
    expect(store.getState().copySelection()?.edges.map((e) => e.id)).toEqual(['e2', 'e3']);
    const first = store.getState().paste();
    const second = store.getState().paste();
    const byId = new Map(store.getState().document.nodes.map((n) => [n.id, n]));
    expect(byId.get(first[0]!)?.position).toEqual({ x: 300 + PASTE_OFFSET, y: PASTE_OFFSET });
    expect(byId.get(second[0]!)?.position).toEqual({ x: 300 + 2 * PASTE_OFFSET, y: 2 * PASTE_OFFSET });
    expect(store.getState().selectedNodeIds).toEqual(second);
  });

  it('cuts and deletes the selection, edges included', () => {
    const store = sampleStore();
    store.getState().setSelection(['bye'], ['e1']);
    store.getState().cutSelection();
    expect(store.getState().document.nodes.map((n) => n.id)).toEqual(['start', 'menu']);
    expect(store.getState().document.edges).toEqual([]);
    expect(store.getState().clipboard?.nodes.map((n) => n.id)).toEqual(['bye']);
    expect(store.getState().selectedNodeIds).toEqual([]);
  });

  it('duplicates the selection in one undoable step', () => {
    const store = sampleStore();
    store.getState().setSelection(['start'], []);
    expect(store.getState().duplicateSelection()).toEqual(['incoming-call-1']);
    store.getState().undo();
    expect(store.getState().document.nodes).toHaveLength(3);
  });

  it('does nothing with an empty selection', () => {
    const store = sampleStore();
    expect(store.getState().copySelection()).toBeNull();
    expect(store.getState().paste()).toEqual([]);
    expect(store.getState().duplicateSelection()).toEqual([]);
  });
});
