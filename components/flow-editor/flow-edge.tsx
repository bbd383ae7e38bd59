'use client';

import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';

export interface FlowEdgeData extends Record<string, unknown> {
  /** The diagnostics about this edge, joined; the edge turns red with a badge. */
  error?: string;
}

export type FlowEdgeType = Edge<FlowEdgeData, 'flow'>;

export const FlowEdge = memo(function FlowEdge({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<FlowEdgeType>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const error = data?.error;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`flow-edge ${error ? 'error' : ''} ${selected ? 'selected' : ''}`} />
      {error && (
        <EdgeLabelRenderer>
          <div className="edge-badge nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }} title={error} data-testid={`edge-badge-${id}`}>
            !
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
