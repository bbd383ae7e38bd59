import { formatPath } from './diagnostics';
import type { FlowDocument, FlowEdge, FlowNode } from './document';

/** A node present in both documents whose type, version, label or config differ. */
export interface ChangedNode {
  id: string;
  before: FlowNode;
  after: FlowNode;
  /** Changed field paths, formatted: `config.options[1].label`, `label`, `typeVersion`. */
  fields: string[];
}

export interface FlowDiff {
  /** `name` and/or `description` when the document's own fields differ. */
  document: string[];
  nodes: {
    added: FlowNode[];
    removed: FlowNode[];
    changed: ChangedNode[];
    /** Ids of nodes whose only difference is their position on the canvas. */
    moved: string[];
  };
  /** Edges are compared by what they connect (source, port, target), not by id. */
  edges: { added: FlowEdge[]; removed: FlowEdge[] };
}

/** What changed from `before` to `after`. Pure; lists follow the documents' order. */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));

  const changed: ChangedNode[] = [];
  const moved: string[] = [];
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) continue;
    const fields: string[] = [];
    if (old.type !== node.type) fields.push('type');
    if (old.typeVersion !== node.typeVersion) fields.push('typeVersion');
    if ((old.label ?? '') !== (node.label ?? '')) fields.push('label');
    collectChanges(old.config, node.config, ['config'], fields);
    if (fields.length > 0) changed.push({ id: node.id, before: old, after: node, fields });
    else if (old.position.x !== node.position.x || old.position.y !== node.position.y) moved.push(node.id);
  }

  const oldEdges = new Set(before.edges.map(edgeKey));
  const newEdges = new Set(after.edges.map(edgeKey));
  const document: string[] = [];
  if (before.name !== after.name) document.push('name');
  if ((before.description ?? '') !== (after.description ?? '')) document.push('description');

  return {
    document,
    nodes: {
      added: after.nodes.filter((n) => !oldNodes.has(n.id)),
      removed: before.nodes.filter((n) => !newNodes.has(n.id)),
      changed,
      moved,
    },
    edges: {
      added: after.edges.filter((e) => !oldEdges.has(edgeKey(e))),
      removed: before.edges.filter((e) => !newEdges.has(edgeKey(e))),
    },
  };
}

export function isEmptyDiff(diff: FlowDiff): boolean {
  return (
    diff.document.length === 0 &&
    diff.nodes.added.length === 0 &&
    diff.nodes.removed.length === 0 &&
    diff.nodes.changed.length === 0 &&
    diff.nodes.moved.length === 0 &&
    diff.edges.added.length === 0 &&
    diff.edges.removed.length === 0
  );
}

function edgeKey(edge: FlowEdge): string {
  return JSON.stringify([edge.source, edge.sourcePort, edge.target]);
}

/** Appends the paths where `a` and `b` differ: the deepest differing key, or the container when shapes differ. */
function collectChanges(a: unknown, b: unknown, path: (string | number)[], out: string[]): void {
  if (Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      if (i >= a.length || i >= b.length) out.push(formatPath([...path, i]));
      else collectChanges(a[i], b[i], [...path, i], out);
    }
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) collectChanges(a[key], b[key], [...path, key], out);
    return;
  }
  out.push(formatPath(path));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
