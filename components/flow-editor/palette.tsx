'use client';

import { useReactFlow } from '@xyflow/react';
import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { nodeDefinitions } from '@/nodes/registry';
import type { NodeDefinition } from '@/nodes/sdk';
import { useEditor, useEditorStore } from './context';
import { useNodeText } from './node-text';
import { NODE_DRAG_MIME, paletteGroups } from './registry-view';

/** Every node type from the registry, by category. Drag one onto the canvas, or press Enter to drop it in the middle. */
export function Palette({ definitions = nodeDefinitions }: { definitions?: readonly NodeDefinition[] }) {
  const t = useTranslations('editor');
  const store = useEditorStore();
  const query = useEditor((s) => s.paletteQuery);
  const text = useNodeText();
  const groups = useMemo(() => paletteGroups(definitions, query, (d) => [text.label(d), text.description(d)]), [definitions, query, text]);
  const flow = useReactFlow();

  const addAtCentre = (definition: NodeDefinition) => {
    const pane = document.querySelector('.flow-canvas')?.getBoundingClientRect();
    const point = pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    store.getState().addNode(definition.type, point, definition.version);
  };

  return (
    <aside className="palette" aria-label={t('palette')} data-testid="palette">
      <input
        type="search"
        className="palette-search"
        placeholder={t('searchNodes')}
        aria-label={t('searchNodes')}
        value={query}
        onChange={(e) => store.getState().setPaletteQuery(e.target.value)}
      />
      {groups.length === 0 && <p className="muted">{t('noNodesMatch')}</p>}
      {groups.map((group) => (
        <section key={group.category} className="palette-group">
          <h3>{t.has(`category.${group.category}`) ? t(`category.${group.category}`) : group.category}</h3>
          {group.items.map((definition) => (
            <button
              type="button"
              key={definition.type}
              className="palette-item"
              draggable
              data-testid={`palette-${definition.type}`}
              title={text.description(definition)}
              onDragStart={(e) => {
                e.dataTransfer.setData(NODE_DRAG_MIME, `${definition.type}@${definition.version}`);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => addAtCentre(definition)}
            >
              <span className="node-icon" aria-hidden>
                {definition.icon}
              </span>
              <span>
                <span className="palette-label">{text.label(definition)}</span>
                <span className="palette-description">{text.description(definition)}</span>
              </span>
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
