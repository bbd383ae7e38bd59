import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from './history-slice';
import { sampleDocument, sampleStore } from './test-helpers';

describe('history slice', () => {
  it('undoes and redoes changes in order', () => {
    const store = sampleStore();
    const original = store.getState().document;
    store.getState().addNode('say', { x: 0, y: 0 });
    const withSay = store.getState().document;
    store.getState().removeElements(['bye'], []);
    store.getState().undo();
    expect(store.getState().document).toBe(withSay);
    store.getState().undo();
    expect(store.getState().document).toBe(original);
    store.getState().undo();
    expect(store.getState().document).toBe(original);
    store.getState().redo();
    expect(store.getState().document).toBe(withSay);
  });

  it('drops the redo stack on a new change', () => {
    const store = sampleStore();
    store.getState().addNode('say', { x: 0, y: 0 });
    store.getState().undo();
    store.getState().addNode('end', { x: 0, y: 0 });
    expect(store.getState().future).toEqual([]);
  });

  it('merges consecutive edits of one field into one step', () => {
    const store = sampleStore();
    const config = store.getState().document.nodes[2]!.config;
    for (const message of ['B', 'By', 'Bye!']) store.getState().updateNodeConfig('bye', { ...config, message });
    store.getState().setNodeLabel('bye', 'Goodbye');
    expect(store.getState().past).toHaveLength(2);
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().document.nodes[2]?.config.message).toBe('Bye');
  });

  it('drops selected ids that an undo removes', () => {
    const store = sampleStore();
    const id = store.getState().addNode('say', { x: 0, y: 0 }) as string;
    expect(store.getState().selectedNodeIds).toEqual([id]);
    store.getState().undo();
    expect(store.getState().selectedNodeIds).toEqual([]);
  });

  it('records a finished drag as one step', () => {
    const store = sampleStore();
    const before = store.getState().document;
    store.getState().recordStep(before);
    expect(store.getState().past).toEqual([]);
    store.getState().moveNodes({ start: { x: 1, y: 1 } });
    store.getState().moveNodes({ start: { x: 2, y: 2 } });
    store.getState().recordStep(before);
    store.getState().undo();
    expect(store.getState().document).toBe(before);
  });

  it('keeps at most HISTORY_LIMIT steps and forgets history on load', () => {
    const store = sampleStore();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) store.getState().arrangeNodes({ start: { x: i + 1, y: 0 } });
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
    store.getState().loadDocument(sampleDocument());
    expect([store.getState().past.length, store.getState().future.length]).toEqual([0, 0]);
  });
});
