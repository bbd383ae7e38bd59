import type { GetState, SetState } from './types';

export const SIDE_PANELS = ['settings', 'versions'] as const;
export type SidePanel = (typeof SIDE_PANELS)[number];
export type EditorDialog = 'publish' | 'shortcuts' | 'import';

export interface PanelSlice {
  sidePanel: SidePanel | null;
  /** The problems drawer under the canvas; it stays open while a picked problem's node is edited. */
  problemsOpen: boolean;
  dialog: EditorDialog | null;
  paletteQuery: string;
  /** Asks the canvas to centre on a node; `seq` makes asking twice for the same node count. */
  focusRequest: { nodeId: string; seq: number } | null;
  openPanel(panel: SidePanel): void;
  togglePanel(panel: SidePanel): void;
  closePanel(): void;
  setProblemsOpen(open: boolean): void;
  openDialog(dialog: EditorDialog): void;
  closeDialog(): void;
  setPaletteQuery(query: string): void;
  /** Selects the node, opens its settings and centres the canvas on it (the problems list uses this). */
  focusNode(nodeId: string): void;
}

export function createPanelSlice(set: SetState, get: GetState): PanelSlice {
  return {
    sidePanel: null,
    problemsOpen: false,
    dialog: null,
    paletteQuery: '',
    focusRequest: null,

    openPanel(panel) {
      set({ sidePanel: panel });
    },
    togglePanel(panel) {
      set((s) => ({ sidePanel: s.sidePanel === panel ? null : panel }));
    },
    closePanel() {
      set({ sidePanel: null });
    },
    setProblemsOpen(open) {
      set({ problemsOpen: open });
    },
    openDialog(dialog) {
      set({ dialog });
    },
    closeDialog() {
      set({ dialog: null });
    },
    setPaletteQuery(query) {
      set({ paletteQuery: query });
    },
    focusNode(nodeId) {
      if (!get().document.nodes.some((n) => n.id === nodeId)) return;
      get().setSelection([nodeId], []);
      set((s) => ({ sidePanel: 'settings', focusRequest: { nodeId, seq: (s.focusRequest?.seq ?? 0) + 1 } }));
    },
  };
}
