'use client';

import { useTranslations } from 'next-intl';
import { getDefinition } from '@/nodes/registry';
import { useEditor, useEditorStore } from './context';
import { NodeSettings } from './settings/node-settings';
import { useDiagnostics } from './use-diagnostics';

export function SettingsPanel() {
  const t = useTranslations('editor');
  const store = useEditorStore();
  const selected = useEditor((s) => s.selectedNodeIds);
  const node = useEditor((s) => (s.selectedNodeIds.length === 1 ? s.document.nodes.find((n) => n.id === s.selectedNodeIds[0]) : undefined));
  const diagnostics = useDiagnostics();

  if (!node) {
    return (
      <div className="panel-body">
        {selected.length > 1 ? (
          <>
            <p>{t('manySelected', { count: selected.length })}</p>
            <button type="button" onClick={() => store.getState().deleteSelection()}>
              {t('deleteSelection')}
            </button>
          </>
        ) : (
          <p className="muted">{t('selectNodeHint')}</p>
        )}
      </div>
    );
  }
  const issues = diagnostics.list.filter((d) => d.nodeId === node.id && d.code !== 'INVALID_CONFIG').map((d) => d.message);
  return (
    <div className="panel-body">
      <NodeSettings
        key={node.id}
        node={node}
        definition={getDefinition(node.type, node.typeVersion)}
        fieldErrors={diagnostics.fieldErrors.get(node.id)}
        messages={issues}
        onConfigChange={(config) => store.getState().updateNodeConfig(node.id, config)}
        onLabelChange={(label) => store.getState().setNodeLabel(node.id, label)}
      />
    </div>
  );
}
