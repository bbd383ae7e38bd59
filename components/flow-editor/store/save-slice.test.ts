import { describe, expect, it } from 'vitest';
import { saveStatusOf } from './save-slice';
import { sampleDocument, sampleStore } from './test-helpers';
import type { EditorState } from './types';

const status = (s: EditorState) => saveStatusOf(s);

describe('save slice', () => {
  it('goes unsaved on a change, saving, then saved at the new revision', () => {
    const store = sampleStore();
    expect(status(store.getState())).toBe('saved');
    store.getState().addNode('say', { x: 0, y: 0 });
    expect(status(store.getState())).toBe('unsaved');
    const version = store.getState().changeVersion;
    store.getState().markSaving();
    expect(status(store.getState())).toBe('saving');
    store.getState().markSaved(4, version);
    expect([status(store.getState()), store.getState().draftRevision]).toEqual(['saved', 4]);
  });

  it('stays unsaved when changes arrived while saving', () => {
    const store = sampleStore();
    store.getState().addNode('say', { x: 0, y: 0 });
    const version = store.getState().changeVersion;
    store.getState().markSaving();
    store.getState().moveNodes({ start: { x: 9, y: 9 } });
    store.getState().markSaved(4, version);
    expect(status(store.getState())).toBe('unsaved');
  });

  it('reports a conflict until the server draft is loaded', () => {
    const store = sampleStore();
    store.getState().addNode('say', { x: 0, y: 0 });
    store.getState().markConflict();
    expect(status(store.getState())).toBe('conflict');
    store.getState().loadDocument(sampleDocument());
    store.getState().markLoaded(7);
    expect([status(store.getState()), store.getState().draftRevision]).toEqual(['saved', 7]);
  });

  it('reports a failed save', () => {
    const store = sampleStore();
    store.getState().markSaveFailed('offline');
    expect(status(store.getState())).toBe('error');
  });
});
