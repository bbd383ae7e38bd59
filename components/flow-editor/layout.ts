import ELK from 'elkjs/lib/elk.bundled.js';
import type { FlowDocument } from '@/workflows/document';
import type { XY } from './store';

export interface Size {
  width: number;
  height: number;
}

/** Used for nodes the canvas has not measured yet. */
export const DEFAULT_NODE_SIZE: Size = { width: 260, height: 120 };

/**
 * Left-to-right layered layout (elkjs). Output ports keep their order down the card's right edge,
 * so edges from an IVR menu fan out without crossing. Returns top-left positions.
 */
export async function layoutFlow(document: FlowDocument, sizes: ReadonlyMap<string, Size>, portIds: (nodeId: string) => readonly string[]): Promise<Record<string, XY>> {
  const elk = new ELK();
  const ids = new Set(document.nodes.map((n) => n.id));
  const portsByNode = new Map(document.nodes.map((n) => [n.id, portIds(n.id)]));
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
    },
    children: document.nodes.map((n) => {
      const size = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
      const ports = portsByNode.get(n.id) ?? [];
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER', 'elk.position': `(${n.position.x},${n.position.y})` },
        ports: [
          { id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'WEST' } },
          ...ports.map((port, index) => ({ id: `${n.id}::out::${port}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(index) } })),
        ],
      };
    }),
    edges: document.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && (portsByNode.get(e.source) ?? []).includes(e.sourcePort))
      .map((e) => ({ id: e.id, sources: [`${e.source}::out::${e.sourcePort}`], targets: [`${e.target}::in`] })),
  };
  const result = await elk.layout(graph);
  const positions: Record<string, XY> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
