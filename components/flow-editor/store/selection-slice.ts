import type { Fragment, GetState, SetState } from './types';

/** How far each paste lands from the copied nodes, so pastes do not stack exactly. */
export const PASTE_OFFSET = 40;

export interface SelectionSlice {
  selectedNodeIds: string[];
  selectedEdgeIds: string[];
  clipboard: Fragment | null;
  /** Pastes since the last copy; each one lands a little further away. */
  pasteCount: number;
  setSelection(nodeIds: readonly string[], edgeIds: readonly string[]): void;
  selectAll(): void;
  clearSelection(): void;
  copySelection(): Fragment | null;
  cutSelection(): void;
  paste(fragment?: Fragment): string[];
  duplicateSelection(): string[];
  deleteSelection(): void;
}

export function createSelectionSlice(set: SetState, get: GetState): SelectionSlice {
  const selectedFragment = (): Fragment | null => {
    const { document, selectedNodeIds } = get();
    if (selectedNodeIds.length === 0) return null;
    const ids = new Set(selectedNodeIds);
    return {
      nodes: structuredClone(document.nodes.filter((n) => ids.has(n.id))),
      edges: structuredClone(document.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
    };
  };

  return {
    selectedNodeIds: [],
    selectedEdgeIds: [],
    clipboard: null,
    pasteCount: 0,

    setSelection(nodeIds, edgeIds) {
      const s = get();
      if (sameList(s.selectedNodeIds, nodeIds) && sameList(s.selectedEdgeIds, edgeIds)) return;
      set({ selectedNodeIds: [...nodeIds], selectedEdgeIds: [...edgeIds] });
    },

    selectAll() {
      const { document } = get();
      set({ selectedNodeIds: document.nodes.map((n) => n.id), selectedEdgeIds: document.edges.map((e) => e.id) });
    },

    clearSelection() {
      get().setSelection([], []);
    },

    copySelection() {
      const fragment = selectedFragment();
      if (fragment) set({ clipboard: fragment, pasteCount: 0 });
      return fragment;
    },

    cutSelection() {
      if (get().copySelection()) get().deleteSelection();
    },

    paste(fragment) {
      const source = fragment ?? get().clipboard;
      if (!source) return [];
      const count = get().pasteCount + 1;
      set({ pasteCount: count });
      return get().insertFragment(source, { x: PASTE_OFFSET * count, y: PASTE_OFFSET * count });
    },

    duplicateSelection() {
      const fragment = selectedFragment();
      return fragment ? get().insertFragment(fragment, { x: PASTE_OFFSET, y: PASTE_OFFSET }) : [];
    },

    deleteSelection() {
      const { selectedNodeIds, selectedEdgeIds } = get();
      get().removeElements(selectedNodeIds, selectedEdgeIds);
    },
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
