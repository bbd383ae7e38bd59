import type { FlowDocument } from '@/workflows/document';

/** Pure helpers of the execution view, shared by the service and the browser. */

/** The tag changes the run's set-tag / remove-tag steps made, read from the nodes' config. */
export function tagsApplied(document: Pick<FlowDocument, 'nodes'> | null, steps: { seq: number; nodeId: string; nodeType: string }[]) {
  const byId = new Map((document?.nodes ?? []).map((n) => [n.id, n]));
  return steps.flatMap((step) => {
    if (step.nodeType !== 'set-tag' && step.nodeType !== 'remove-tag') return [];
    const config = byId.get(step.nodeId)?.config as { tags?: unknown } | undefined;
    const tags = Array.isArray(config?.tags) ? config.tags.filter((t): t is string => typeof t === 'string') : [];
    return [{ seq: step.seq, nodeId: step.nodeId, change: step.nodeType === 'set-tag' ? ('add' as const) : ('remove' as const), tags }];
  });
}

/**
 * The path through the graph: visited node ids in order, the edges taken (source + port → target,
 * matched against the document's edges), and, while the run is still going, the node it is in now.
 */
export function executionPath(document: Pick<FlowDocument, 'edges'> | null, steps: { nodeId: string; port: string | null }[], running: boolean) {
  const edges = document?.edges ?? [];
  const takenEdgeIds: string[] = [];
  for (let i = 0; i < steps.length; i += 1) {
    const step = steps[i];
    if (step.port === null) continue;
    const edge = edges.find((e) => e.source === step.nodeId && e.sourcePort === step.port && (i + 1 >= steps.length || e.target === steps[i + 1].nodeId));
    if (edge) takenEdgeIds.push(edge.id);
  }
  const last = steps[steps.length - 1];
  const currentNodeId = running && last?.port ? (edges.find((e) => e.source === last.nodeId && e.sourcePort === last.port)?.target ?? null) : null;
  return { visitedNodeIds: [...new Set(steps.map((s) => s.nodeId))], takenEdgeIds, currentNodeId };
}
