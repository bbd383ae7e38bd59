import { describe, expect, it } from 'vitest';
import { sampleStore } from './test-helpers';

describe('panel slice', () => {
  it('opens, toggles and closes side panels and dialogs', () => {
    const store = sampleStore();
    store.getState().togglePanel('versions');
    expect(store.getState().sidePanel).toBe('versions');
    store.getState().togglePanel('versions');
    expect(store.getState().sidePanel).toBeNull();
    store.getState().setProblemsOpen(true);
    store.getState().focusNode('menu');
    expect([store.getState().problemsOpen, store.getState().sidePanel]).toEqual([true, 'settings']);
    store.getState().openPanel('versions');
    store.getState().openDialog('shortcuts');
    expect([store.getState().sidePanel, store.getState().dialog]).toEqual(['versions', 'shortcuts']);
    store.getState().closeDialog();
    store.getState().closePanel();
    expect([store.getState().sidePanel, store.getState().dialog]).toEqual([null, null]);
  });

  it('focuses a node: selects it, opens its settings and asks the canvas to centre on it', () => {
    const store = sampleStore();
    store.getState().focusNode('menu');
    store.getState().focusNode('menu');
    expect(store.getState().selectedNodeIds).toEqual(['menu']);
    expect(store.getState().sidePanel).toBe('settings');
    expect(store.getState().focusRequest).toEqual({ nodeId: 'menu', seq: 2 });
    store.getState().focusNode('missing');
    expect(store.getState().focusRequest?.seq).toBe(2);
  });

  it('keeps the palette search', () => {
    const store = sampleStore();
    store.getState().setPaletteQuery('sms');
    expect(store.getState().paletteQuery).toBe('sms');
  });
});
