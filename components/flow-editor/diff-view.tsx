'use client';

import { Background, type Edge, type Node, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { getDefinition } from '@/nodes/registry';
import type { FlowDiff } from '@/workflows/diff';
import type { FlowDocument, FlowNode } from '@/workflows/document';

export interface DiffViewProps {
  before: FlowDocument;
  after: FlowDocument;
  diff: FlowDiff;
  fromLabel: string;
  toLabel: string;
  /** The visual diff on a read-only canvas; off where there is no layout engine (jsdom). */
  canvas?: boolean;
}

function nameOf(node: FlowNode): string {
  const definition = getDefinition(node.type, node.typeVersion);
  return `${definition?.icon ?? '❔'} ${node.label || definition?.label || node.type}`;
}

/** What changed between two versions: a canvas coloured by change, and the list with changed fields. */
export function DiffView({ before, after, diff, fromLabel, toLabel, canvas = true }: DiffViewProps) {
  const t = useTranslations('editor');
  const empty =
    diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length + diff.nodes.moved.length + diff.edges.added.length + diff.edges.removed.length + diff.document.length ===
    0;
  const byId = new Map([...before.nodes, ...after.nodes].map((n) => [n.id, n]));
  const label = (id: string) => (byId.has(id) ? nameOf(byId.get(id) as FlowNode) : id);
  return (
    <div className="diff-view" data-testid="diff-view">
      <p>
        <strong>{fromLabel}</strong> → <strong>{toLabel}</strong>
      </p>
      <p className="diff-summary">
        <span className="diff-chip added">{t('diffAdded', { count: diff.nodes.added.length })}</span>
        <span className="diff-chip removed">{t('diffRemoved', { count: diff.nodes.removed.length })}</span>
        <span className="diff-chip changed">{t('diffChanged', { count: diff.nodes.changed.length })}</span>
        <span className="diff-chip">{t('diffEdges', { added: diff.edges.added.length, removed: diff.edges.removed.length })}</span>
      </p>
      {canvas && <DiffCanvas after={after} diff={diff} />}
      {empty && <p className="muted">{t('diffNone')}</p>}
      <ul className="diff-list">
        {diff.document.map((field) => (
          <li key={field} className="changed">
            {t('diffDocumentField', { field })}
          </li>
        ))}
        {diff.nodes.added.map((n) => (
          <li key={`a-${n.id}`} className="added" data-testid="diff-added">
            + {nameOf(n)} <code>{n.id}</code>
          </li>
        ))}
        {diff.nodes.removed.map((n) => (
          <li key={`r-${n.id}`} className="removed" data-testid="diff-removed">
            − {nameOf(n)} <code>{n.id}</code>
          </li>
        ))}
        {diff.nodes.changed.map((c) => (
          <li key={`c-${c.id}`} className="changed" data-testid="diff-changed">
            ~ {nameOf(c.after)} <code>{c.id}</code>: {c.fields.join(', ')}
          </li>
        ))}
        {diff.nodes.moved.length > 0 && <li className="muted">{t('diffMoved', { count: diff.nodes.moved.length })}</li>}
        {diff.edges.added.map((e) => (
          <li key={`ea-${e.id}`} className="added">
            + {label(e.source)} [{e.sourcePort}] → {label(e.target)}
          </li>
        ))}
        {diff.edges.removed.map((e) => (
          <li key={`er-${e.id}`} className="removed">
            − {label(e.source)} [{e.sourcePort}] → {label(e.target)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DiffCanvas({ after, diff }: Pick<DiffViewProps, 'after' | 'diff'>) {
  const { nodes, edges } = useMemo(() => {
    const added = new Set(diff.nodes.added.map((n) => n.id));
    const changed = new Set(diff.nodes.changed.map((n) => n.id));
    const status = (id: string) => (added.has(id) ? 'added' : changed.has(id) ? 'changed' : 'same');
    const nodes: Node[] = [
      ...after.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: nameOf(n) }, className: `diff-node ${status(n.id)}`, draggable: false })),
      ...diff.nodes.removed.map((n) => ({ id: n.id, position: n.position, data: { label: nameOf(n) }, className: 'diff-node removed', draggable: false })),
    ];
    const addedEdges = new Set(diff.edges.added.map((e) => e.id));
    const edges: Edge[] = [
      ...after.edges.map((e) => ({ id: `a:${e.id}`, source: e.source, target: e.target, label: e.sourcePort, className: addedEdges.has(e.id) ? 'diff-edge added' : 'diff-edge' })),
      ...diff.edges.removed.map((e) => ({ id: `r:${e.id}`, source: e.source, target: e.target, label: e.sourcePort, className: 'diff-edge removed' })),
    ];
    return { nodes, edges };
  }, [after, diff]);
  return (
    <div className="diff-canvas">
      <ReactFlowProvider>
        <ReactFlow nodes={nodes} edges={edges} fitView nodesConnectable={false} nodesDraggable={false} elementsSelectable={false} minZoom={0.05}>
          <Background gap={20} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
