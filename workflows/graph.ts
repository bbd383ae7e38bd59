/** Graph utilities shared by the compiler and the canvas. Node ids are strings; order is preserved. */

export interface GraphEdge {
  source: string;
  target: string;
}

/** Node id → successor ids, in edge order. Every node is a key, even without successors. */
export type Adjacency = ReadonlyMap<string, readonly string[]>;

/** Edges grouped by source node id, in document order. */
export function outgoingEdges<E extends { source: string }>(edges: readonly E[]): Map<string, E[]> {
  const index = new Map<string, E[]>();
  for (const edge of edges) {
    const list = index.get(edge.source);
    if (list) list.push(edge);
    else index.set(edge.source, [edge]);
  }
  return index;
}

/** The adjacency of `nodeIds`; edges with an end outside `nodeIds` are left out. */
export function adjacencyOf(nodeIds: Iterable<string>, edges: readonly GraphEdge[]): Map<string, string[]> {
  const adjacency = new Map<string, string[]>();
  for (const id of nodeIds) adjacency.set(id, []);
  for (const { source, target } of edges) {
    if (adjacency.has(target)) adjacency.get(source)?.push(target);
  }
  return adjacency;
}

/** Every node reachable from `starts`, the starts included. */
export function reachableFrom(adjacency: Adjacency, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of adjacency.get(id) ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}

/**
 * Strongly connected components (Tarjan), in reverse topological order; members of each
 * component are listed in the adjacency's key order. Iterative, so deep flows cannot overflow the stack.
 */
export function stronglyConnectedComponents(adjacency: Adjacency): string[][] {
  const order = new Map<string, number>();
  for (const id of adjacency.keys()) order.set(id, order.size);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (id: string) => {
    index.set(id, index.size);
    low.set(id, index.get(id) as number);
    stack.push(id);
    onStack.add(id);
  };

  for (const root of adjacency.keys()) {
    if (index.has(root)) continue;
    visit(root);
    const frames = [{ id: root, next: 0 }];
    for (let frame = frames.at(-1); frame !== undefined; frame = frames.at(-1)) {
      const successors = adjacency.get(frame.id) ?? [];
      if (frame.next < successors.length) {
        const target = successors[frame.next++];
        if (target === undefined || !adjacency.has(target)) continue;
        if (!index.has(target)) {
          visit(target);
          frames.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(target) as number));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        component.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
        components.push(component);
      }
    }
  }
  return components;
}

/** The components that contain a cycle: more than one node, or one node with an edge to itself. */
export function cyclicComponents(adjacency: Adjacency): string[][] {
  return stronglyConnectedComponents(adjacency).filter(
    ([first, ...rest]) => rest.length > 0 || (first !== undefined && (adjacency.get(first) ?? []).includes(first)),
  );
}
