'use client';

import {
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  type IsValidConnection,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { useTranslations } from 'next-intl';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getDefinition } from '@/nodes/registry';
import type { FlowDocument } from '@/workflows/document';
import { CanvasModel } from './canvas-model';
import { useEditor, useEditorStore } from './context';
import { FlowEdge, type FlowEdgeType } from './flow-edge';
import { CanvasNodeCard, type CardNode } from './node-card';
import { NODE_DRAG_MIME } from './registry-view';
import type { XY } from './store';
import { useDiagnostics } from './use-diagnostics';

const nodeTypes = { card: CanvasNodeCard };
const edgeTypes = { flow: FlowEdge };
const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };

/** Where a dropped card lands relative to the pointer: roughly its header under the cursor. */
const DROP_OFFSET = { x: 110, y: 24 };

export function FlowCanvas() {
  const t = useTranslations('editor');
  const store = useEditorStore();
  const flow = useReactFlow<CardNode, FlowEdgeType>();
  const document = useEditor((s) => s.document);
  const selectedNodeIds = useEditor((s) => s.selectedNodeIds);
  const selectedEdgeIds = useEditor((s) => s.selectedEdgeIds);
  const focusRequest = useEditor((s) => s.focusRequest);
  const diagnostics = useDiagnostics();
  const [model] = useState(() => new CanvasModel());
  const dragOrigin = useRef<FlowDocument | null>(null);

  const selectedNodes = useMemo(() => new Set(selectedNodeIds), [selectedNodeIds]);
  const selectedEdges = useMemo(() => new Set(selectedEdgeIds), [selectedEdgeIds]);
  const nodes = useMemo(() => model.nodes(document, selectedNodes, diagnostics), [model, document, selectedNodes, diagnostics]);
  const edges = useMemo(() => model.edges(document, selectedEdges, diagnostics), [model, document, selectedEdges, diagnostics]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CardNode>[]) => {
      const state = store.getState();
      const moves: Record<string, XY> = {};
      let moved = false;
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.position) {
          moves[change.id] = change.position;
          moved = true;
        } else if (change.type === 'dimensions' && change.dimensions) {
          model.measured.set(change.id, change.dimensions);
        } else if (change.type === 'select') {
          selection ??= new Set(state.selectedNodeIds);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (moved) state.moveNodes(moves);
      if (selection) state.setSelection([...selection], store.getState().selectedEdgeIds);
    },
    [store, model],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdgeType>[]) => {
      const state = store.getState();
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        selection ??= new Set(state.selectedEdgeIds);
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
      if (selection) state.setSelection(store.getState().selectedNodeIds, [...selection]);
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (!connection.sourceHandle) return;
      store.getState().connect({ source: connection.source, sourcePort: connection.sourceHandle, target: connection.target });
    },
    [store],
  );

  // A trigger only starts a flow: nothing may lead into it.
  const isValidConnection: IsValidConnection<FlowEdgeType> = useCallback(
    (connection) => {
      const target = store.getState().document.nodes.find((n) => n.id === connection.target);
      return target !== undefined && getDefinition(target.type, target.typeVersion)?.trigger === undefined;
    },
    [store],
  );

  const onDragStart = useCallback(() => {
    dragOrigin.current = store.getState().document;
  }, [store]);
  const onDragStop = useCallback(() => {
    if (dragOrigin.current) store.getState().recordStep(dragOrigin.current);
    dragOrigin.current = null;
  }, [store]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_DRAG_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const payload = event.dataTransfer.getData(NODE_DRAG_MIME);
      if (!payload) return;
      event.preventDefault();
      const [type, version] = payload.split('@');
      if (type === undefined) return; // split always yields at least one part
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(type, { x: point.x - DROP_OFFSET.x, y: point.y - DROP_OFFSET.y }, Number(version) || undefined);
    },
    [flow, store],
  );

  useEffect(() => {
    if (!focusRequest) return;
    const node = flow.getInternalNode(focusRequest.nodeId);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const width = node.measured.width ?? 0;
    const height = node.measured.height ?? 0;
    void flow.setCenter(x + width / 2, y + height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 300 });
  }, [focusRequest, flow]);

  return (
    <div className="flow-canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<CardNode, FlowEdgeType>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={onDragStart}
        onNodeDragStop={onDragStop}
        onSelectionDragStart={onDragStart}
        onSelectionDragStop={onDragStop}
        onNodeClick={() => {
          if (!store.getState().sidePanel) store.getState().openPanel('settings');
        }}
        onNodeDoubleClick={(_event, node) => store.getState().focusNode(node.id)}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        onlyRenderVisibleElements
        minZoom={0.05}
        maxZoom={2}
        fitView
        // On open, a large flow shows a readable part rather than every card at once (zoom to fit shows all).
        fitViewOptions={{ padding: 0.2, maxZoom: 1, minZoom: 0.4 }}
        aria-label={t('canvas')}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} nodeColor={(n) => (diagnostics.nodeIssues.get(n.id)?.errors ? '#c62f2f' : '#8aa4d6')} />
      </ReactFlow>
      {document.nodes.length === 0 && <div className="canvas-empty">{t('emptyCanvas')}</div>}
    </div>
  );
}
