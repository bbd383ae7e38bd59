import type { FlowDocument } from '@/workflows/document';

/** Pure helpers of the execution view, shared by the service and the browser. */

interface StepSnapshot {
  seq: number;
  nodeId: string;
  /** What the run looked like after the step (`vars`, `tags`, `emotion`), as the interpreter records it. */
  data: Record<string, unknown>;
}

export interface TagChange {
  seq: number;
  nodeId: string;
  change: 'add' | 'remove';
  tags: string[];
}

/**
 * The tag changes the run made, by step: each step records the customer's tags after it, so what
 * differs from the step before is what this step changed, whatever its node type. The first
 * snapshot (the trigger's) is the baseline; steps recorded without one are passed over.
 */
export function tagsApplied(steps: readonly StepSnapshot[]): TagChange[] {
  const changes: TagChange[] = [];
  let before: readonly string[] | undefined;
  for (const step of steps) {
    const after = stringsOf(step.data.tags);
    if (after === undefined) continue;
    if (before !== undefined) {
      const previous = before;
      const added = after.filter((tag) => !previous.includes(tag));
      const removed = previous.filter((tag) => !after.includes(tag));
      if (added.length > 0) changes.push({ seq: step.seq, nodeId: step.nodeId, change: 'add', tags: added });
      if (removed.length > 0) changes.push({ seq: step.seq, nodeId: step.nodeId, change: 'remove', tags: removed });
    }
    before = after;
  }
  return changes;
}

export interface EmotionSnapshot {
  score: number;
  label: string;
}

/**
 * The emotion each step scored, by step seq: the steps after which the run's emotion differs from
 * the step before, whatever their node type (a new score equal to the last one is not told apart).
 */
export function emotionScored(steps: readonly StepSnapshot[]): Map<number, EmotionSnapshot> {
  const scored = new Map<number, EmotionSnapshot>();
  let before: EmotionSnapshot | undefined;
  for (const step of steps) {
    const after = emotionOf(step.data.emotion);
    if (after !== undefined && (before === undefined || after.score !== before.score || after.label !== before.label)) scored.set(step.seq, after);
    before = after;
  }
  return scored;
}

function emotionOf(value: unknown): EmotionSnapshot | undefined {
  const { score, label } = (value ?? {}) as { score?: unknown; label?: unknown };
  return typeof score === 'number' && typeof label === 'string' ? { score, label } : undefined;
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/**
 * The path through the graph: visited node ids in order, the edges taken (source + port → target,
 * matched against the document's edges), and, while the run is still going, the node it is in now.
 */
export function executionPath(document: Pick<FlowDocument, 'edges'> | null, steps: { nodeId: string; port: string | null }[], running: boolean) {
  const edges = document?.edges ?? [];
  const takenEdgeIds: string[] = [];
  for (const [i, step] of steps.entries()) {
    if (step.port === null) continue;
    const next = steps[i + 1];
    const edge = edges.find((e) => e.source === step.nodeId && e.sourcePort === step.port && (next === undefined || e.target === next.nodeId));
    if (edge) takenEdgeIds.push(edge.id);
  }
  const last = steps[steps.length - 1];
  const currentNodeId = running && last?.port ? (edges.find((e) => e.source === last.nodeId && e.sourcePort === last.port)?.target ?? null) : null;
  return { visitedNodeIds: [...new Set(steps.map((s) => s.nodeId))], takenEdgeIds, currentNodeId };
}
