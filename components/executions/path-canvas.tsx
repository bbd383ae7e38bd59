'use client';

import '@xyflow/react/dist/style.css';
import { Background, Controls, type Edge, MarkerType, type Node, type NodeProps, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useTranslations } from 'next-intl';
import { memo, useEffect, useMemo } from 'react';
import { NodeCardView, TARGET_HANDLE } from '@/components/flow-editor/node-card';
import { getDefinition } from '@/nodes/registry';
import type { FlowDocument, FlowNode } from '@/workflows/document';

/** How a node took part in the run, for its highlight. */
export type NodeRunState = 'focused' | 'current' | 'visited' | 'later' | 'unvisited';

interface ExecNodeData extends Record<string, unknown> {
  node: FlowNode;
  state: NodeRunState;
  visits: number;
}
type ExecNode = Node<ExecNodeData, 'exec'>;

const ExecNodeCard = memo(function ExecNodeCard({ data }: NodeProps<ExecNode>) {
  const t = useTranslations('executions');
  const definition = getDefinition(data.node.type, data.node.typeVersion);
  return (
    <div className={`exec-node exec-${data.state}`} data-testid={`exec-node-${data.node.id}`} data-run-state={data.state}>
      {data.visits > 1 && (
        <span className="exec-visits" title={t('visits', { count: data.visits })}>
          ×{data.visits}
        </span>
      )}
      <NodeCardView node={data.node} definition={definition} selected={data.state === 'focused'} />
    </div>
  );
});

const nodeTypes = { exec: ExecNodeCard };

export interface PathCanvasProps {
  document: FlowDocument;
  /** Node ids in the order the run visited them (up to the step in focus). */
  visitedNodeIds: readonly string[];
  /** Node ids the run visits after the step in focus. */
  laterNodeIds?: readonly string[];
  takenEdgeIds: readonly string[];
  laterEdgeIds?: readonly string[];
  currentNodeId?: string | null;
  focusNodeId?: string | null;
  visits?: ReadonlyMap<string, number>;
  onNodeClick?: (nodeId: string) => void;
}

/** The flow, read-only, with the run's path highlighted: visited nodes and the edges it took. */
export function PathCanvas(props: PathCanvasProps) {
  return (
    <ReactFlowProvider>
      <PathCanvasInner {...props} />
    </ReactFlowProvider>
  );
}

function PathCanvasInner({ document, visitedNodeIds, laterNodeIds = [], takenEdgeIds, laterEdgeIds = [], currentNodeId, focusNodeId, visits, onNodeClick }: PathCanvasProps) {
  const t = useTranslations('executions');
  const flow = useReactFlow<ExecNode>();
  const visited = useMemo(() => new Set(visitedNodeIds), [visitedNodeIds]);
  const later = useMemo(() => new Set(laterNodeIds), [laterNodeIds]);
  const taken = useMemo(() => new Set(takenEdgeIds), [takenEdgeIds]);
  const takenLater = useMemo(() => new Set(laterEdgeIds), [laterEdgeIds]);

  const nodes: ExecNode[] = useMemo(
    () =>
      document.nodes.map((node) => {
        const state: NodeRunState =
          node.id === focusNodeId ? 'focused' : node.id === currentNodeId ? 'current' : visited.has(node.id) ? 'visited' : later.has(node.id) ? 'later' : 'unvisited';
        return { id: node.id, type: 'exec', position: node.position, data: { node, state, visits: visits?.get(node.id) ?? 0 }, draggable: false, connectable: false };
      }),
    [document.nodes, focusNodeId, currentNodeId, visited, later, visits],
  );
  const edges: Edge[] = useMemo(
    () =>
      document.edges.map((edge) => {
        const state = taken.has(edge.id) ? 'taken' : takenLater.has(edge.id) ? 'later' : 'idle';
        return {
          id: edge.id,
          source: edge.source,
          sourceHandle: edge.sourcePort,
          target: edge.target,
          targetHandle: TARGET_HANDLE,
          className: `exec-edge exec-edge-${state}`,
          animated: state === 'taken',
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: state === 'taken' ? '#2f6fed' : '#b8c0cc' },
          data: { state },
        };
      }),
    [document.edges, taken, takenLater],
  );

  useEffect(() => {
    if (!focusNodeId) return;
    const node = flow.getInternalNode(focusNodeId);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    void flow.setCenter(x + (node.measured.width ?? 0) / 2, y + (node.measured.height ?? 0) / 2, { zoom: Math.max(flow.getZoom(), 0.8), duration: 300 });
  }, [focusNodeId, flow]);

  return (
    <div className="exec-canvas" data-testid="exec-canvas" aria-label={t('canvas')}>
      <ReactFlow<ExecNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        onNodeClick={(_event, node) => onNodeClick?.(node.id)}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
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
