import { getDefinition } from '@/nodes/registry';
import type { FlowDocument, FlowEdge, FlowNode } from '@/workflows/document';
import type { DiagnosticsView } from './diagnostics-view';
import type { FlowEdgeType } from './flow-edge';
import { type CardNode, type NodeIssues, TARGET_HANDLE } from './node-card';
import { portsOf } from './registry-view';

/** Roughly a card's size before it is measured: header and summary, then one row per port. */
export function estimatedSize(node: FlowNode): { width: number; height: number } {
  const definition = getDefinition(node.type, node.typeVersion);
  const ports = definition ? portsOf(definition, node.config).length : 0;
  return { width: 240, height: 72 + (ports > 0 ? 8 + 22 * ports : 0) };
}

interface NodeEntry {
  node: FlowNode;
  selected: boolean;
  issues: NodeIssues | undefined;
  openPorts: readonly string[] | undefined;
  view: CardNode;
}

interface EdgeEntry {
  edge: FlowEdge;
  selected: boolean;
  error: string | undefined;
  view: FlowEdgeType;
}

/**
 * Turns the flow document into React Flow's nodes and edges, reusing the previous object for
 * anything unchanged: React Flow then skips those nodes entirely, which keeps large flows smooth.
 * Also remembers measured sizes, which React Flow needs back on every node object it is given.
 */
export class CanvasModel {
  readonly measured = new Map<string, { width: number; height: number }>();
  private nodeEntries = new Map<string, NodeEntry>();
  private edgeEntries = new Map<string, EdgeEntry>();

  nodes(document: FlowDocument, selected: ReadonlySet<string>, diagnostics: DiagnosticsView): CardNode[] {
    const next = new Map<string, NodeEntry>();
    const out: CardNode[] = [];
    for (const node of document.nodes) {
      const isSelected = selected.has(node.id);
      const issues = diagnostics.nodeIssues.get(node.id);
      const openPorts = diagnostics.openPorts.get(node.id);
      let entry = this.nodeEntries.get(node.id);
      if (!entry || entry.node !== node || entry.selected !== isSelected || entry.issues !== issues || entry.openPorts !== openPorts) {
        // Unmeasured nodes count as visible to React Flow, so a 2,000-node flow would mount every
        // card once just to measure it; an estimate lets it cull from the start. Real sizes replace it.
        const measured = this.measured.get(node.id) ?? estimatedSize(node);
        entry = {
          node,
          selected: isSelected,
          issues,
          openPorts,
          view: { id: node.id, type: 'card', position: node.position, selected: isSelected, data: { node, issues, openPorts }, measured },
        };
      }
      next.set(node.id, entry);
      out.push(entry.view);
    }
    this.nodeEntries = next;
    return out;
  }

  edges(document: FlowDocument, selected: ReadonlySet<string>, diagnostics: DiagnosticsView): FlowEdgeType[] {
    const next = new Map<string, EdgeEntry>();
    const out: FlowEdgeType[] = [];
    for (const edge of document.edges) {
      const isSelected = selected.has(edge.id);
      const error = diagnostics.edgeIssues.get(edge.id);
      let entry = this.edgeEntries.get(edge.id);
      if (!entry || entry.edge !== edge || entry.selected !== isSelected || entry.error !== error) {
        entry = {
          edge,
          selected: isSelected,
          error,
          view: {
            id: edge.id,
            type: 'flow',
            source: edge.source,
            sourceHandle: edge.sourcePort,
            target: edge.target,
            targetHandle: TARGET_HANDLE,
            selected: isSelected,
            data: error ? { error } : {},
          },
        };
      }
      next.set(edge.id, entry);
      out.push(entry.view);
    }
    this.edgeEntries = next;
    return out;
  }
}
