'use client';

import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import {
  Background,
  BaseEdge,
  Controls,
  type Edge,
  EdgeLabelRenderer,
  type EdgeProps,
  getBezierPath,
  MarkerType,
  type Node,
  type NodeProps,
  ReactFlow,
  ReactFlowProvider,
} from '@xyflow/react';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { TARGET_HANDLE } from '@/components/flow-editor/node-card';
import { useNodeText } from '@/components/flow-editor/node-text';
import { portsOf } from '@/components/flow-editor/registry-view';
import { useTRPC } from '@/components/trpc-provider';
import { getDefinition } from '@/nodes/registry';
import type { NodeFigures } from '@/server/analytics/queries';
import type { FlowDocument, FlowNode } from '@/workflows/document';
import { dropShare, dropTone, durationText, OverlayNodeView, percentText } from './overlay-node';

interface OverlayNodeData extends Record<string, unknown> {
  node: FlowNode;
  figures: NodeFigures | undefined;
  selected: boolean;
}
type OverlayNode = Node<OverlayNodeData, 'overlay'>;

interface ShareEdgeData extends Record<string, unknown> {
  count: number;
  total: number;
}
type ShareEdgeType = Edge<ShareEdgeData, 'share'>;

const OverlayNodeCard = memo(function OverlayNodeCard({ data }: NodeProps<OverlayNode>) {
  return <OverlayNodeView node={data.node} figures={data.figures} selected={data.selected} />;
});

/** An edge labelled with its port's share of the source node's exits; thicker the more it carries. */
const ShareEdge = memo(function ShareEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, markerEnd }: EdgeProps<ShareEdgeType>) {
  const t = useTranslations('performance.overlay');
  const locale = useLocale();
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const share = data && data.total > 0 ? data.count / data.total : null;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className="overlay-edge" style={{ strokeWidth: 1.5 + (share ?? 0) * 5, opacity: share === null || share > 0 ? 1 : 0.45 }} />
      {share !== null && data && (
        <EdgeLabelRenderer>
          <div
            className="overlay-edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`overlay-edge-${id}`}
            title={t('edgeTitle', { count: data.count, total: data.total })}
          >
            {percentText(share, locale)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

const nodeTypes = { overlay: OverlayNodeCard };
const edgeTypes = { share: ShareEdge };
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

export interface OverlayCanvasProps {
  document: FlowDocument;
  figures: readonly NodeFigures[];
  selectedNodeId?: string | null;
  onNodeClick?: (nodeId: string) => void;
}

/** The flow, read-only, with each node's figures and each edge's share of its source's exits. */
export function OverlayCanvas(props: OverlayCanvasProps) {
  return (
    <ReactFlowProvider>
      <OverlayCanvasInner {...props} />
    </ReactFlowProvider>
  );
}

function OverlayCanvasInner({ document, figures, selectedNodeId, onNodeClick }: OverlayCanvasProps) {
  const t = useTranslations('performance.overlay');
  const byNode = useMemo(() => new Map(figures.map((f) => [f.nodeId, f])), [figures]);
  const nodes: OverlayNode[] = useMemo(
    () =>
      document.nodes.map((node) => ({
        id: node.id,
        type: 'overlay',
        position: node.position,
        data: { node, figures: byNode.get(node.id), selected: node.id === selectedNodeId },
        draggable: false,
        connectable: false,
      })),
    [document.nodes, byNode, selectedNodeId],
  );
  const edges: ShareEdgeType[] = useMemo(
    () =>
      document.edges.map((edge) => {
        const exits = byNode.get(edge.source)?.exits ?? {};
        return {
          id: edge.id,
          type: 'share',
          source: edge.source,
          sourceHandle: edge.sourcePort,
          target: edge.target,
          targetHandle: TARGET_HANDLE,
          markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, markerUnits: 'userSpaceOnUse', color: '#8a94a8' },
          data: { count: exits[edge.sourcePort] ?? 0, total: sum(Object.values(exits)) },
        };
      }),
    [document.edges, byNode],
  );
  return (
    <div className="overlay-flow" aria-label={t('canvas')}>
      <ReactFlow<OverlayNode, ShareEdgeType>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        onNodeClick={(_event, node) => onNodeClick?.(node.id)}
        fitView
        fitViewOptions={{ padding: 0.1, maxZoom: 1 }}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** Everything about one node: its figures, its exits per port, and the executions behind them. */
export function OverlayNodePanel({ flowId, node, figures, onClose }: { flowId: string; node: FlowNode; figures: NodeFigures | undefined; onClose: () => void }) {
  const t = useTranslations('performance.overlay');
  const locale = useLocale();
  const text = useNodeText();
  const closeButton = useRef<HTMLButtonElement>(null);
  const definition = getDefinition(node.type, node.typeVersion);
  const ports = definition ? portsOf(definition, node.config) : [];
  const exits = figures?.exits ?? {};
  const total = sum(Object.values(exits));
  // The node's ports, then any port the figures have that this version of the node no longer has.
  const portIds = [...new Set([...ports.map((p) => p.id), ...Object.keys(exits)])];
  const portLabel = (id: string) => {
    const port = ports.find((p) => p.id === id);
    return port && definition ? text.port(definition, port) : id;
  };
  const share = dropShare(figures);
  const n = (value: number) => value.toLocaleString(locale);
  useEffect(() => closeButton.current?.focus(), [node.id]);
  return (
    <aside
      className="overlay-panel"
      data-testid="overlay-panel"
      aria-labelledby="overlay-panel-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header>
        <h3 id="overlay-panel-title">
          {node.label || (definition ? text.label(definition) : node.type)} <code className="muted">{node.id}</code>
        </h3>
        <button ref={closeButton} type="button" className="icon" onClick={onClose} aria-label={t('panel.close')} title={t('panel.close')}>
          ×
        </button>
      </header>
      {!figures && <p className="muted">{t('panel.notReached')}</p>}
      <dl className="overlay-facts">
        <div>
          <dt>{t('panel.entries')}</dt>
          <dd data-testid="overlay-panel-entries">{n(figures?.entries ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('panel.contacts')}</dt>
          <dd>{n(figures?.contacts ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('panel.dropOffs')}</dt>
          <dd>{n(figures?.dropOffs ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('panel.dropShare')}</dt>
          <dd>{share === null ? '—' : percentText(share, locale)}</dd>
        </div>
        <div>
          <dt>{t('panel.errors')}</dt>
          <dd>{n(figures?.errors ?? 0)}</dd>
        </div>
        <div>
          <dt>{t('panel.p50')}</dt>
          <dd>{durationText(figures?.p50Ms ?? null)}</dd>
        </div>
        <div>
          <dt>{t('panel.p90')}</dt>
          <dd>{durationText(figures?.p90Ms ?? null)}</dd>
        </div>
      </dl>
      <table className="perf-table" data-testid="overlay-panel-exits">
        <caption>{t('panel.exits')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('panel.port')}</th>
            <th scope="col">{t('panel.count')}</th>
            <th scope="col">{t('panel.share')}</th>
          </tr>
        </thead>
        <tbody>
          {portIds.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                {t('panel.noExits')}
              </td>
            </tr>
          )}
          {portIds.map((id) => (
            <tr key={id}>
              <th scope="row">{portLabel(id)}</th>
              <td>{n(exits[id] ?? 0)}</td>
              <td>{total > 0 ? percentText((exits[id] ?? 0) / total, locale) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="overlay-links">
        <Link href={`/flows/${flowId}/executions?node=${encodeURIComponent(node.id)}`} data-testid="overlay-matching">
          {t('panel.matching')}
        </Link>
        <Link href={`/flows/${flowId}/executions?dropped=${encodeURIComponent(node.id)}`} data-testid="overlay-dropped">
          {t('panel.droppedHere')}
        </Link>
      </p>
    </aside>
  );
}

export interface OverlaySectionProps {
  flowId: string;
  from: Date;
  to: Date;
  channel?: 'voice' | 'sms';
  enabled: boolean;
}

/** "On the canvas": a version (or all) over the page's range, with the node panel beside it. */
export function OverlaySection({ flowId, from, to, channel, enabled }: OverlaySectionProps) {
  const t = useTranslations('performance');
  const trpc = useTRPC();
  const locale = useLocale();
  const [version, setVersion] = useState<number | 'all'>('all');
  const [selected, setSelected] = useState<string | null>(null);
  const query = useQuery(trpc.analytics.overlay.queryOptions({ flowId, from, to, version, ...(channel && { channel }) }, { enabled, placeholderData: (previous) => previous }));
  const data = query.data;
  const byNode = useMemo(() => new Map((data?.nodes ?? []).map((f) => [f.nodeId, f])), [data?.nodes]);
  const selectedNode = data?.document.nodes.find((node) => node.id === selected);
  const text = useNodeText();
  return (
    <section className="perf-section" data-testid="overlay-canvas" aria-labelledby="overlay-title">
      <h2 id="overlay-title">{t('overlay.title')}</h2>
      <p className="muted">{t('overlay.intro')}</p>
      <form className="perf-controls" method="post" onSubmit={(e) => e.preventDefault()} aria-label={t('overlay.title')}>
        <label>
          <span>{t('overlay.version')}</span>
          <select value={String(version)} onChange={(e) => setVersion(e.target.value === 'all' ? 'all' : Number(e.target.value))} data-testid="overlay-version">
            <option value="all">{data?.shownVersion != null && version === 'all' ? t('overlay.allVersionsOn', { version: data.shownVersion }) : t('versions.all')}</option>
            {data?.versions.map((v) => (
              <option key={v.id} value={String(v.version)}>
                {v.live ? t('versions.liveVersion', { version: v.version }) : t('versions.version', { version: v.version })}
              </option>
            ))}
          </select>
        </label>
        <ul className="overlay-legend" aria-label={t('overlay.legend.title')}>
          {(['green', 'amber', 'red', 'idle'] as const).map((tone) => (
            <li key={tone}>
              <span className={`overlay-swatch overlay-${tone}`} aria-hidden /> {t(`overlay.legend.${tone}`)}
            </li>
          ))}
        </ul>
      </form>
      {query.isPending && enabled && (
        <p className="muted" role="status">
          {t('loading')}
        </p>
      )}
      {query.error && (
        <p className="error" role="alert">
          {t('loadFailed', { message: query.error.message })}
        </p>
      )}
      {data && (
        <>
          <p className={data.contacts === 0 ? 'perf-empty' : 'muted'} data-testid="overlay-contacts">
            {data.contacts === 0 ? t('empty') : t('overlay.contacts', { count: data.contacts })}
          </p>
          <div className={`overlay-main ${selectedNode ? 'with-panel' : ''}`}>
            <OverlayCanvas document={data.document} figures={data.nodes} selectedNodeId={selected} onNodeClick={setSelected} />
            {selectedNode && <OverlayNodePanel flowId={flowId} node={selectedNode} figures={byNode.get(selectedNode.id)} onClose={() => setSelected(null)} />}
          </div>
          <details className="perf-table-alt">
            <summary>{t('overlay.asTable')}</summary>
            <table className="perf-table" data-testid="overlay-table">
              <thead>
                <tr>
                  <th scope="col">{t('overlay.node')}</th>
                  <th scope="col">{t('overlay.entries')}</th>
                  <th scope="col">{t('overlay.dropped')}</th>
                  <th scope="col">{t('overlay.time')}</th>
                  <th scope="col">{t('overlay.errors')}</th>
                </tr>
              </thead>
              <tbody>
                {data.document.nodes.map((node) => {
                  const figures = byNode.get(node.id);
                  const share = dropShare(figures);
                  const definition = getDefinition(node.type, node.typeVersion);
                  return (
                    <tr key={node.id} className={`overlay-row-${dropTone(figures)}`}>
                      <th scope="row">
                        <button type="button" className="link" onClick={() => setSelected(node.id)}>
                          {node.label || (definition ? text.label(definition) : node.type)}
                        </button>
                      </th>
                      <td>{(figures?.entries ?? 0).toLocaleString(locale)}</td>
                      <td>
                        {(figures?.dropOffs ?? 0).toLocaleString(locale)}
                        {share !== null && ` · ${percentText(share, locale)}`}
                      </td>
                      <td>
                        {durationText(figures?.p50Ms ?? null)} / {durationText(figures?.p90Ms ?? null)}
                      </td>
                      <td>{(figures?.errors ?? 0).toLocaleString(locale)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
