'use client';

import { useTranslations } from 'next-intl';
import { getDefinition, upgradeFor } from '@/nodes/registry';
import type { FlowNode } from '@/workflows/document';
import { useEditor, useEditorStore } from './context';
import { useNodeText } from './node-text';
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
      <UpgradeOffer node={node} />
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

/** A node saved with an older version of its type keeps it until the designer upgrades it here. */
function UpgradeOffer({ node }: { node: FlowNode }) {
  const t = useTranslations('editor');
  const text = useNodeText();
  const store = useEditorStore();
  const offer = upgradeFor(node.type, node.typeVersion);
  if (offer === undefined) return null;
  let migrated: Record<string, unknown> | undefined;
  try {
    migrated = offer.migrate(node.config) as Record<string, unknown>;
  } catch {
    migrated = undefined;
  }
  return (
    <div className="upgrade-offer" role="note" data-testid="upgrade-offer">
      <p>
        <strong>{t('upgradeAvailable', { version: offer.to.version })}</strong> {text.upgrade(node.type, offer.changes)}
      </p>
      {migrated === undefined && <p className="muted">{t('upgradeNeedsValid')}</p>}
      <button type="button" disabled={migrated === undefined} onClick={() => migrated && store.getState().setNodeVersion(node.id, offer.to.version, migrated)}>
        {t('upgradeTo', { version: offer.to.version })}
      </button>
    </div>
  );
}
