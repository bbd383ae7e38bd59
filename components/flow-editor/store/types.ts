import type { FlowDocument, FlowEdge, FlowNode } from '@/workflows/document';
import type { GraphSlice } from './graph-slice';
import type { HistorySlice } from './history-slice';
import type { PanelSlice } from './panel-slice';
import type { SaveSlice } from './save-slice';
import type { SelectionSlice } from './selection-slice';

export type EditorState = GraphSlice & SelectionSlice & HistorySlice & PanelSlice & SaveSlice;

export type SetState = (partial: Partial<EditorState> | ((state: EditorState) => Partial<EditorState>)) => void;
export type GetState = () => EditorState;

/** Copied nodes and the edges between them. */
export interface Fragment {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface XY {
  x: number;
  y: number;
}

export type { FlowDocument };
