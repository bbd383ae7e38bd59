'use client';

import { Handle, type NodeProps, Position, useUpdateNodeInternals, type Node } from '@xyflow/react';
import { useTranslations } from 'next-intl';
import { memo, useEffect, useMemo, useRef } from 'react';
import { getDefinition } from '@/nodes/registry';
import type { NodeDefinition } from '@/nodes/sdk';
import type { FlowNode } from '@/workflows/document';
import { useNodeText } from './node-text';
import { portsOf, summaryOf } from './registry-view';

export const TARGET_HANDLE = 'in';

/** Diagnostics about one node, as its card shows them. */
export interface NodeIssues {
  errors: number;
  warnings: number;
  messages: string[];
}

export interface NodeCardViewProps {
  node: FlowNode;
  definition: NodeDefinition | undefined;
  selected?: boolean;
  issues?: NodeIssues;
  /** Required ports with no edge: marked on the handle. */
  openPorts?: readonly string[];
  /** False outside React Flow (Storybook): handles render as plain dots. */
  interactive?: boolean;
}

/** A node on the canvas: icon, title, one-line summary, one labelled handle per output port. */
export function NodeCardView({ node, definition, selected = false, issues, openPorts = [], interactive = true }: NodeCardViewProps) {
  const t = useTranslations('editor');
  const text = useNodeText();
  const ports = useMemo(() => (definition ? portsOf(definition, node.config) : []), [definition, node.config]);
  const summary = useMemo(() => (definition ? summaryOf(definition, node.config) : t('unknownType', { type: node.type })), [definition, node.config, node.type, t]);
  const isTrigger = definition?.trigger !== undefined;
  const state = issues && issues.errors > 0 ? 'error' : issues && issues.warnings > 0 ? 'warning' : 'ok';
  const title = node.label || (definition ? text.label(definition) : node.type);

  return (
    <div
      className={`node-card ${selected ? 'selected' : ''} state-${state}`}
      data-testid={`node-${node.id}`}
      data-node-type={node.type}
      data-state={state}
      title={issues?.messages.join('\n')}
    >
      {!isTrigger &&
        (interactive ? (
          <Handle type="target" position={Position.Left} id={TARGET_HANDLE} className="node-target" data-testid={`target-${node.id}`} />
        ) : (
          <span className="node-target static-handle" />
        ))}
      <div className="node-header">
        <span className="node-icon" aria-hidden>
          {definition?.icon ?? '❔'}
        </span>
        <span className="node-title">{title}</span>
        {issues && issues.errors + issues.warnings > 0 && (
          <span className={`node-badge ${state}`} data-testid={`badge-${node.id}`} aria-label={t('issueCount', { count: issues.errors + issues.warnings })}>
            {issues.errors + issues.warnings}
          </span>
        )}
      </div>
      {node.label && definition && <div className="node-type">{text.label(definition)}</div>}
      <div className="node-summary">{summary}</div>
      {ports.length > 0 && (
        <ul className="node-ports">
          {ports.map((port) => {
            const open = openPorts.includes(port.id);
            return (
              <li key={port.id} className={`node-port ${open ? 'open' : ''}`} data-port={port.id}>
                <span className="port-label">{definition ? text.port(definition, port) : port.label}</span>
                {interactive ? (
                  <Handle type="source" position={Position.Right} id={port.id} className="node-source" data-testid={`port-${node.id}-${port.id}`} />
                ) : (
                  <span className="node-source static-handle" />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export interface CardData extends Record<string, unknown> {
  node: FlowNode;
  issues?: NodeIssues;
  openPorts?: readonly string[];
}

export type CardNode = Node<CardData, 'card'>;

/** The React Flow node type. Memoized: a 2,000-node canvas re-renders only the cards that changed. */
export const CanvasNodeCard = memo(function CanvasNodeCard({ id, data, selected }: NodeProps<CardNode>) {
  const definition = getDefinition(data.node.type, data.node.typeVersion);
  const updateNodeInternals = useUpdateNodeInternals();
  const portKey = definition ? portsOf(definition, data.node.config).map((p) => p.id).join('|') : '';
  const measuredPorts = useRef(portKey);
  // Handles appeared or moved (an IVR option was added): React Flow must measure them again. Not on
  // mount: React Flow measures new nodes itself, and one extra update per card is quadratic on big flows.
  useEffect(() => {
    if (measuredPorts.current === portKey) return;
    measuredPorts.current = portKey;
    updateNodeInternals(id);
  }, [id, portKey, updateNodeInternals]);
  return <NodeCardView node={data.node} definition={definition} selected={selected} issues={data.issues} openPorts={data.openPorts} />;
});
