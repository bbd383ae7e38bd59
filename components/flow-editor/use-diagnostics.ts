'use client';

import { useEditor, useEditorStore } from './context';
import { diagnosticsView, type DiagnosticsView } from './diagnostics-view';
import type { EditorStore } from './store';

const cache = new WeakMap<EditorStore, { version: number; view: DiagnosticsView }>();

/** Live compiler diagnostics, recomputed once per structural change (moves do not count) and shared by every panel. */
export function diagnosticsOf(store: EditorStore): DiagnosticsView {
  const { structureVersion, document } = store.getState();
  const cached = cache.get(store);
  if (cached && cached.version === structureVersion) return cached.view;
  const view = diagnosticsView(document, cached?.view);
  cache.set(store, { version: structureVersion, view });
  return view;
}

export function useDiagnostics(): DiagnosticsView {
  const store = useEditorStore();
  useEditor((s) => s.structureVersion);
  return diagnosticsOf(store);
}
