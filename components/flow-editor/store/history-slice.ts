import type { FlowDocument } from '@/workflows/document';
import type { GetState, SetState } from './types';

export const HISTORY_LIMIT = 100;

export interface HistorySlice {
  past: FlowDocument[];
  future: FlowDocument[];
  /** Consecutive changes with the same key (typing in one field) make one undo step. */
  lastHistoryKey: string | null;
  /** Records the current document as an undo step; called before every change. */
  checkpoint(key?: string): void;
  /** Records `before` as an undo step for a change already applied (a finished drag). */
  recordStep(before: FlowDocument): void;
  undo(): void;
  redo(): void;
}

export function createHistorySlice(set: SetState, get: GetState): HistorySlice {
  const restore = (document: FlowDocument, past: FlowDocument[], future: FlowDocument[]) => {
    const nodeIds = new Set(document.nodes.map((n) => n.id));
    const edgeIds = new Set(document.edges.map((e) => e.id));
    set((s) => ({
      document,
      past,
      future,
      lastHistoryKey: null,
      structureVersion: s.structureVersion + 1,
      changeVersion: s.changeVersion + 1,
      selectedNodeIds: s.selectedNodeIds.filter((id) => nodeIds.has(id)),
      selectedEdgeIds: s.selectedEdgeIds.filter((id) => edgeIds.has(id)),
    }));
  };

  return {
    past: [],
    future: [],
    lastHistoryKey: null,

    checkpoint(key) {
      const { past, lastHistoryKey, document } = get();
      if (key !== undefined && key === lastHistoryKey && past.length > 0) {
        set({ future: [] });
        return;
      }
      set({ past: [...past.slice(-(HISTORY_LIMIT - 1)), document], future: [], lastHistoryKey: key ?? null });
    },

    recordStep(before) {
      const { past, document } = get();
      if (before === document) return;
      set({ past: [...past.slice(-(HISTORY_LIMIT - 1)), before], future: [], lastHistoryKey: null });
    },

    undo() {
      const { past, future, document } = get();
      const previous = past.at(-1);
      if (previous === undefined) return;
      restore(previous, past.slice(0, -1), [document, ...future]);
    },

    redo() {
      const { past, future, document } = get();
      const [next, ...later] = future;
      if (next === undefined) return;
      restore(next, [...past, document], later);
    },
  };
}
