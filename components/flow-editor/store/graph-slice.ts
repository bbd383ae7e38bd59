import { getDefinition } from '@/nodes/registry';
import type { NodeDefinition } from '@/nodes/sdk';
import type { FlowDocument, FlowEdge, FlowNode } from '@/workflows/document';
import type { Fragment, GetState, SetState, XY } from './types';

export interface GraphSlice {
  document: FlowDocument;
  /** Bumped by every change except moves; live diagnostics depend on nothing else. */
  structureVersion: number;
  /** Bumped by every change, moves included; autosave compares it with what it saved. */
  changeVersion: number;
  /** Replaces the document (first load, reload after a conflict, rollback); clears history and selection. */
  loadDocument(document: FlowDocument): void;
  /** Drops a node of the type's newest (or given) version with its defaults; returns its id. */
  addNode(type: string, position: XY, version?: number): string | undefined;
  updateNodeConfig(id: string, config: Record<string, unknown>, historyKey?: string): void;
  /** Moves a node to another version of its type with its migrated config, as one undoable step. */
  setNodeVersion(id: string, version: number, config: Record<string, unknown>): void;
  setNodeLabel(id: string, label: string): void;
  /** Moves without a history entry: a drag records once when it starts (see `checkpoint`). */
  moveNodes(positions: Record<string, XY>): void;
  /** Moves as one undoable step (auto-layout). */
  arrangeNodes(positions: Record<string, XY>): void;
  removeElements(nodeIds: readonly string[], edgeIds: readonly string[]): void;
  /** Connects a port to a node; an already connected port is re-pointed (a port leads to one node). */
  connect(connection: { source: string; sourcePort: string; target: string }): string | undefined;
  setFlowName(name: string): void;
  /** Adds copies of `fragment`'s nodes with fresh ids, shifted by `offset`; returns the new ids. */
  insertFragment(fragment: Fragment, offset: XY): string[];
}

export type DefinitionLookup = (type: string, version?: number) => NodeDefinition | undefined;

/** `say-1`, `say-2`, …: short, readable and stable ids, unique in the document. */
export function uniqueId(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** The output port ids of a node, or undefined when its config does not parse (then ports are unknown). */
export function portIdsOf(node: FlowNode, lookup: DefinitionLookup): string[] | undefined {
  const definition = lookup(node.type, node.typeVersion);
  if (!definition) return undefined;
  const parsed = definition.configSchema.safeParse(node.config);
  return parsed.success ? definition.ports(parsed.data as never).map((p) => p.id) : undefined;
}

export function createGraphSlice(set: SetState, get: GetState, initial: FlowDocument, lookup: DefinitionLookup = getDefinition): GraphSlice {
  /** Applies a change to the document, recording history first. */
  const change = (next: (doc: FlowDocument) => FlowDocument, options: { structural?: boolean; historyKey?: string } = {}) => {
    const before = get().document;
    const after = next(before);
    if (after === before) return;
    get().checkpoint(options.historyKey);
    set((s) => ({
      document: after,
      changeVersion: s.changeVersion + 1,
      structureVersion: options.structural === false ? s.structureVersion : s.structureVersion + 1,
    }));
  };

  /** Replaces one node; edges from ports it no longer has would dangle, so they go when its ports are known. */
  const replaceNode = (doc: FlowDocument, id: string, update: (node: FlowNode) => FlowNode): FlowDocument => {
    const index = doc.nodes.findIndex((n) => n.id === id);
    const current = doc.nodes[index];
    if (current === undefined) return doc;
    const node = update(current);
    const nodes = doc.nodes.with(index, node);
    const ports = portIdsOf(node, lookup);
    const edges = ports ? doc.edges.filter((e) => e.source !== id || ports.includes(e.sourcePort)) : doc.edges;
    return { ...doc, nodes, edges: edges.length === doc.edges.length ? doc.edges : edges };
  };

  return {
    document: initial,
    structureVersion: 0,
    changeVersion: 0,

    loadDocument(document) {
      set((s) => ({
        document,
        structureVersion: s.structureVersion + 1,
        changeVersion: s.changeVersion + 1,
        past: [],
        future: [],
        lastHistoryKey: null,
        selectedNodeIds: [],
        selectedEdgeIds: [],
      }));
    },

    addNode(type, position, version) {
      const definition = lookup(type, version);
      if (!definition) return undefined;
      const taken = new Set(get().document.nodes.map((n) => n.id));
      const id = uniqueId(type, taken);
      const node: FlowNode = {
        id,
        type: definition.type,
        typeVersion: definition.version,
        position: { x: Math.round(position.x), y: Math.round(position.y) },
        config: structuredClone(definition.defaults as Record<string, unknown>),
      };
      change((doc) => ({ ...doc, nodes: [...doc.nodes, node] }));
      set({ selectedNodeIds: [id], selectedEdgeIds: [] });
      return id;
    },

    updateNodeConfig(id, config, historyKey) {
      change((doc) => replaceNode(doc, id, (node) => ({ ...node, config })), { historyKey: historyKey ?? `config:${id}` });
    },

    setNodeVersion(id, version, config) {
      if (!lookup(get().document.nodes.find((n) => n.id === id)?.type ?? '', version)) return;
      change((doc) => replaceNode(doc, id, (node) => ({ ...node, typeVersion: version, config })), { historyKey: `version:${id}` });
    },

    setNodeLabel(id, label) {
      change(
        (doc) => ({
          ...doc,
          nodes: doc.nodes.map((n) => {
            if (n.id !== id) return n;
            const { label: _old, ...rest } = n;
            return label.trim() === '' ? rest : { ...rest, label };
          }),
        }),
        { historyKey: `label:${id}` },
      );
    },

    moveNodes(positions) {
      set((s) => {
        let moved = false;
        const nodes = s.document.nodes.map((n) => {
          const p = positions[n.id];
          if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
          moved = true;
          return { ...n, position: { x: p.x, y: p.y } };
        });
        return moved ? { document: { ...s.document, nodes }, changeVersion: s.changeVersion + 1 } : {};
      });
    },

    arrangeNodes(positions) {
      change(
        (doc) => ({
          ...doc,
          nodes: doc.nodes.map((n) => {
            const p = positions[n.id];
            return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
          }),
        }),
        { structural: false },
      );
    },

    removeElements(nodeIds, edgeIds) {
      if (nodeIds.length === 0 && edgeIds.length === 0) return;
      const nodes = new Set(nodeIds);
      const edges = new Set(edgeIds);
      change((doc) => ({
        ...doc,
        nodes: doc.nodes.filter((n) => !nodes.has(n.id)),
        edges: doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
      }));
      set((s) => ({
        selectedNodeIds: s.selectedNodeIds.filter((id) => !nodes.has(id)),
        selectedEdgeIds: s.selectedEdgeIds.filter((id) => !edges.has(id)),
      }));
    },

    connect({ source, sourcePort, target }) {
      const doc = get().document;
      if (!doc.nodes.some((n) => n.id === source) || !doc.nodes.some((n) => n.id === target)) return undefined;
      const same = doc.edges.find((e) => e.source === source && e.sourcePort === sourcePort && e.target === target);
      if (same) return same.id;
      const taken = new Set(doc.edges.map((e) => e.id));
      const base = `e-${source}-${sourcePort}`;
      const id = taken.has(base) ? uniqueId(base, taken) : base;
      const edge: FlowEdge = { id, source, sourcePort, target };
      change((d) => ({ ...d, edges: [...d.edges.filter((e) => !(e.source === source && e.sourcePort === sourcePort)), edge] }));
      return id;
    },

    setFlowName(name) {
      change((doc) => (doc.name === name ? doc : { ...doc, name }), { historyKey: 'name' });
    },

    insertFragment(fragment, offset) {
      if (fragment.nodes.length === 0) return [];
      const doc = get().document;
      const taken = new Set(doc.nodes.map((n) => n.id));
      const renamed = new Map<string, string>();
      const nodes = fragment.nodes.map((n) => {
        const id = uniqueId(n.type, taken);
        taken.add(id);
        renamed.set(n.id, id);
        return { ...structuredClone(n), id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
      });
      const edgeIds = new Set(doc.edges.map((e) => e.id));
      const edges = fragment.edges
        .filter((e) => renamed.has(e.source) && renamed.has(e.target))
        .map((e) => {
          const source = renamed.get(e.source) as string;
          const base = `e-${source}-${e.sourcePort}`;
          const id = edgeIds.has(base) ? uniqueId(base, edgeIds) : base;
          edgeIds.add(id);
          return { id, source, sourcePort: e.sourcePort, target: renamed.get(e.target) as string };
        });
      change((d) => ({ ...d, nodes: [...d.nodes, ...nodes], edges: [...d.edges, ...edges] }));
      const ids = nodes.map((n) => n.id);
      set({ selectedNodeIds: ids, selectedEdgeIds: edges.map((e) => e.id) });
      return ids;
    },
  };
}
