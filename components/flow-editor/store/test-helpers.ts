import type { FlowDocument } from '@/workflows/document';
import { createEditorStore } from './index';

/** A small voice flow: trigger → menu (options 1 and 2) → end. */
export function sampleDocument(): FlowDocument {
  return {
    format: 'switchboard.flow/1',
    name: 'Sample',
    nodes: [
      { id: 'start', type: 'incoming-call', typeVersion: 1, position: { x: 0, y: 0 }, config: {} },
      {
        id: 'menu',
        type: 'ivr-menu',
        typeVersion: 1,
        position: { x: 300, y: 0 },
        config: {
          prompt: 'Press 1 or 2',
          options: [
            { digit: '1', label: 'One', keywords: [] },
            { digit: '2', label: 'Two', keywords: [] },
          ],
        },
      },
      { id: 'bye', type: 'end', typeVersion: 1, position: { x: 600, y: 0 }, config: { message: 'Bye' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'menu' },
      { id: 'e2', source: 'menu', sourcePort: 'option-1', target: 'bye' },
      { id: 'e3', source: 'menu', sourcePort: 'option-2', target: 'bye' },
    ],
  };
}

export function sampleStore() {
  return createEditorStore({ document: sampleDocument(), draftRevision: 3 });
}
