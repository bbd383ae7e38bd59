import { getDefinition, nodeCatalog } from '@/nodes/registry';
import { validateFlow } from '@/workflows/compile';
import { type Diagnostic, formatPath } from '@/workflows/diagnostics';
import type { FlowDocument } from '@/workflows/document';
import type { NodeIssues } from './node-card';
import { portsOf } from './registry-view';

export interface DiagnosticsView {
  list: Diagnostic[];
  errors: number;
  warnings: number;
  nodeIssues: ReadonlyMap<string, NodeIssues>;
  edgeIssues: ReadonlyMap<string, string>;
  /** Node id → required ports with no edge. */
  openPorts: ReadonlyMap<string, readonly string[]>;
  /** Node id → config field path (`options[0].label`) → messages, for the settings panel. */
  fieldErrors: ReadonlyMap<string, ReadonlyMap<string, string[]>>;
}

/**
 * Indexes the compiler's diagnostics for the canvas. Objects for a node whose messages did not
 * change are reused from `previous`, so memoized cards do not re-render.
 */
export function diagnosticsView(document: FlowDocument, previous?: DiagnosticsView): DiagnosticsView {
  const list = validateFlow(document, nodeCatalog);
  const messages = new Map<string, { errors: number; warnings: number; messages: string[] }>();
  const edgeIssues = new Map<string, string>();
  const fieldErrors = new Map<string, Map<string, string[]>>();
  const unconnected = new Set<string>();
  for (const d of list) {
    if (d.nodeId) {
      const entry = messages.get(d.nodeId) ?? { errors: 0, warnings: 0, messages: [] };
      if (d.severity === 'error') entry.errors++;
      else entry.warnings++;
      entry.messages.push(d.message);
      messages.set(d.nodeId, entry);
      if (d.code === 'PORT_NOT_CONNECTED') unconnected.add(d.nodeId);
      if (d.code === 'INVALID_CONFIG') {
        const fields = fieldErrors.get(d.nodeId) ?? new Map<string, string[]>();
        const key = formatPath(d.path ?? []);
        // The compiler's message is "<node>: <path>: <problem>"; the field shows the problem.
        const marker = `${key || 'config'}: `;
        const at = d.message.indexOf(marker);
        fields.set(key, [...(fields.get(key) ?? []), at >= 0 ? d.message.slice(at + marker.length) : d.message]);
        fieldErrors.set(d.nodeId, fields);
      }
    }
    if (d.edgeId) edgeIssues.set(d.edgeId, edgeIssues.has(d.edgeId) ? `${edgeIssues.get(d.edgeId)}\n${d.message}` : d.message);
  }
  const nodeIssues = new Map<string, NodeIssues>();
  for (const [id, entry] of messages) {
    const old = previous?.nodeIssues.get(id);
    const same = old && old.errors === entry.errors && old.warnings === entry.warnings && old.messages.join('\n') === entry.messages.join('\n');
    nodeIssues.set(id, same ? old : entry);
  }
  const openPorts = new Map<string, readonly string[]>();
  for (const id of unconnected) {
    const node = document.nodes.find((n) => n.id === id);
    const definition = node && getDefinition(node.type, node.typeVersion);
    if (!node || !definition) continue;
    const wired = new Set(document.edges.filter((e) => e.source === id).map((e) => e.sourcePort));
    const open = portsOf(definition, node.config).filter((p) => p.required && !wired.has(p.id)).map((p) => p.id);
    const old = previous?.openPorts.get(id);
    openPorts.set(id, old && old.join('|') === open.join('|') ? old : open);
  }
  return {
    list,
    errors: list.filter((d) => d.severity === 'error').length,
    warnings: list.filter((d) => d.severity === 'warning').length,
    nodeIssues,
    edgeIssues,
    openPorts,
    fieldErrors,
  };
}
