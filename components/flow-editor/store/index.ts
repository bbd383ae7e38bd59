import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowDocument } from '@/workflows/document';
import { createGraphSlice, type DefinitionLookup } from './graph-slice';
import { createHistorySlice } from './history-slice';
import { createPanelSlice } from './panel-slice';
import { createSaveSlice } from './save-slice';
import { createSelectionSlice } from './selection-slice';
import type { EditorState } from './types';

export type { EditorState, Fragment, XY } from './types';
export { saveStatusOf, type SaveStatus } from './save-slice';
export type { SidePanel, EditorDialog } from './panel-slice';

export type EditorStore = StoreApi<EditorState>;

/** One store per open editor (never a module singleton): two editors on a page do not share state. */
export function createEditorStore(options: { document: FlowDocument; draftRevision?: number; lookup?: DefinitionLookup }): EditorStore {
  return createStore<EditorState>()((set, get) => ({
    ...createGraphSlice(set, get, options.document, options.lookup),
    ...createSelectionSlice(set, get),
    ...createHistorySlice(set, get),
    ...createPanelSlice(set, get),
    ...createSaveSlice(set, get, options.draftRevision ?? 1),
  }));
}
