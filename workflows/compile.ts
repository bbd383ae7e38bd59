import type { NodeCatalog, NodeSpec, PortSpec } from './catalog';
import type { CompiledFlow, CompiledNode } from './compiled';
import { type Diagnostic, diagnostic, formatPath, hasErrors, sortDiagnostics } from './diagnostics';
import { type FlowEdge, type FlowNode, flowDocumentSchema } from './document';
import { adjacencyOf, cyclicComponents, outgoingEdges, reachableFrom } from './graph';
import { compiledFlowHash } from './hash';

export interface CompileResult {
  /** Sorted with `compareDiagnostics`. */
  diagnostics: Diagnostic[];
  /** Present exactly when no diagnostic is an error. */
  compiled?: CompiledFlow;
}

/** A document node with what the catalog says about it; `ports` is set only when the config parsed. */
interface Resolved {
  node: FlowNode;
  spec?: NodeSpec;
  config?: unknown;
  ports?: readonly PortSpec[];
}

/**
 * Validate a flow document against a node catalog and lower it to a `CompiledFlow`.
 * Pure and deterministic: the same input and catalog always give the same result.
 */
export function compileFlow(input: unknown, catalog: NodeCatalog): CompileResult {
  const parsed = flowDocumentSchema.safeParse(input);
  if (!parsed.success) {
    return { diagnostics: sortDiagnostics(parsed.error.issues.map((issue) => documentIssue(issue, input))) };
  }
  const document = parsed.data;
  const out: Diagnostic[] = [];

  const all = document.nodes.map((node, index) => resolveNode(node, index, catalog, out));
  const byId = new Map<string, Resolved>();
  all.forEach((resolved, index) => {
    const { id } = resolved.node;
    if (!byId.has(id)) byId.set(id, resolved);
    else out.push(diagnostic('DUPLICATE_NODE_ID', `Node id '${id}' is used by more than one node`, { nodeId: id, path: ['nodes', index] }));
  });

  const triggers = all.filter((r) => r.spec?.trigger !== undefined);
  if (triggers.length === 0) {
    out.push(diagnostic('NO_TRIGGER', 'The flow has no trigger; add one to say which calls or messages start it'));
  } else if (triggers.length > 1) {
    const names = triggers.map(describe).join(', ');
    for (const t of triggers) {
      out.push(diagnostic('MULTIPLE_TRIGGERS', `${describe(t)}: a flow has exactly one trigger, this one has ${triggers.length} (${names})`, { nodeId: t.node.id }));
    }
  }
  const trigger = triggers.length === 1 ? triggers[0] : undefined;

  const wired = checkEdges(document.edges, byId, out);

  const nextOf = new Map<string, Record<string, string | null>>();
  const outgoing = outgoingEdges(wired);
  for (const r of byId.values()) {
    const next: Record<string, string | null> = {};
    for (const port of r.ports ?? []) {
      const onPort = (outgoing.get(r.node.id) ?? []).filter((e) => e.sourcePort === port.id);
      next[port.id] = onPort[0]?.target ?? null;
      if (port.required && onPort.length === 0) {
        out.push(diagnostic('PORT_NOT_CONNECTED', `${describe(r)}: port '${port.id}' is not connected`, { nodeId: r.node.id }));
      }
      if (onPort.length < 2) continue;
      // Every edge on the port is flagged: none of them is more right than the others.
      const targets = onPort.map((e) => `'${e.target}'`).sort().join(', ');
      for (const e of onPort) {
        out.push(
          diagnostic('PORT_MULTIPLE_EDGES', `${describe(r)}: port '${port.id}' is connected to ${onPort.length} nodes (${targets}); a port leads to one node`, {
            nodeId: r.node.id,
            edgeId: e.id,
          }),
        );
      }
    }
    nextOf.set(r.node.id, next);
  }

  const reachable = reachableFrom(adjacencyOf(byId.keys(), wired), triggers.map((t) => t.node.id));
  // Without a trigger every node would be unreachable; NO_TRIGGER already says what is wrong.
  if (triggers.length > 0) {
    for (const r of byId.values()) {
      if (!reachable.has(r.node.id)) {
        out.push(diagnostic('UNREACHABLE_NODE', `${describe(r)} cannot be reached from the trigger, so it never runs`, { nodeId: r.node.id }));
      }
    }
  }

  // A cycle spins exactly when it avoids every waiting node, so look for cycles among the others.
  // Nodes of unknown type are left out: they already have an error and their behaviour is unknown.
  const spinning = [...byId.values()].filter((r) => r.spec && !r.spec.waitsForCaller).map((r) => r.node.id);
  for (const cycle of cyclicComponents(adjacencyOf(spinning, wired))) {
    const names = cycle.map((id) => describe(byId.get(id) as Resolved)).join(' → ');
    out.push(
      diagnostic('SPINNING_CYCLE', `Loop through ${names} never waits for the caller, so it would spin forever; put a prompt or menu in it`, {
        nodeId: cycle[0],
      }),
    );
  }

  const channel = trigger?.spec?.trigger;
  if (channel) {
    for (const r of all) {
      if (r.spec && !r.spec.channels.includes(channel)) {
        out.push(
          diagnostic('CHANNEL_UNSUPPORTED', `${describe(r)} does not work on ${channel} (it supports ${r.spec.channels.join(', ') || 'no channel'})`, {
            nodeId: r.node.id,
          }),
        );
      }
    }
  }

  const diagnostics = sortDiagnostics(out);
  if (hasErrors(diagnostics) || !trigger || !channel) return { diagnostics };

  const nodes: Record<string, CompiledNode> = {};
  for (const r of byId.values()) {
    if (!reachable.has(r.node.id)) continue;
    const { id, type, typeVersion, label } = r.node;
    const typeLabel = r.spec?.label;
    nodes[id] = { id, type, typeVersion, ...(label !== undefined && { label }), ...(typeLabel !== undefined && { typeLabel }), config: r.config, next: nextOf.get(id) ?? {} };
  }
  const program: Omit<CompiledFlow, 'hash'> = {
    format: 'switchboard.compiled/1',
    name: document.name,
    channel,
    entry: trigger.node.id,
    nodes,
  };
  return { diagnostics, compiled: { ...program, hash: compiledFlowHash(program) } };
}

/** The diagnostics alone, for live validation on the canvas. */
export function validateFlow(input: unknown, catalog: NodeCatalog): Diagnostic[] {
  return compileFlow(input, catalog).diagnostics;
}

function resolveNode(node: FlowNode, index: number, catalog: NodeCatalog, out: Diagnostic[]): Resolved {
  const versions = catalog.versions(node.type);
  if (versions.length === 0) {
    out.push(
      diagnostic('UNKNOWN_NODE_TYPE', `Node '${nameOf(node)}' has type '${node.type}', which is not installed`, {
        nodeId: node.id,
        path: ['nodes', index, 'type'],
      }),
    );
    return { node };
  }
  const spec = versions.find((v) => v.version === node.typeVersion);
  if (!spec) {
    const known = versions.map((v) => v.version).join(', ');
    out.push(
      diagnostic(
        'UNKNOWN_NODE_VERSION',
        `${describe({ node, spec: versions[versions.length - 1] })} uses version ${node.typeVersion}, which is not installed (installed: ${known})`,
        { nodeId: node.id, path: ['nodes', index, 'typeVersion'] },
      ),
    );
    return { node };
  }
  const result = spec.configSchema.safeParse(node.config);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = toPath(issue.path);
      out.push(diagnostic('INVALID_CONFIG', `${describe({ node, spec })}: ${formatPath(path) || 'config'}: ${issue.message}`, { nodeId: node.id, path }));
    }
    return { node, spec };
  }
  return { node, spec, config: result.data, ports: spec.ports(result.data as never) };
}

/** Reports edge problems and returns the edges the program can use: both ends exist, the port exists, the target is no trigger. */
function checkEdges(edges: readonly FlowEdge[], byId: ReadonlyMap<string, Resolved>, out: Diagnostic[]): FlowEdge[] {
  const seen = new Set<string>();
  const wired: FlowEdge[] = [];
  edges.forEach((edge, index) => {
    const edgeId = edge.id;
    if (seen.has(edgeId)) {
      out.push(diagnostic('DUPLICATE_EDGE_ID', `Edge id '${edgeId}' is used by more than one edge`, { edgeId, path: ['edges', index] }));
    }
    seen.add(edgeId);

    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    let usable = true;
    if (!source) {
      usable = false;
      out.push(diagnostic('EDGE_MISSING_SOURCE', `Edge '${edgeId}' starts at node '${edge.source}', which does not exist`, { edgeId }));
    }
    if (!target) {
      usable = false;
      out.push(diagnostic('EDGE_MISSING_TARGET', `Edge '${edgeId}' leads to node '${edge.target}', which does not exist`, { edgeId }));
    }
    // Without parsed config the ports are unknown; INVALID_CONFIG or UNKNOWN_NODE_* already explains why.
    if (source?.ports && !source.ports.some((p) => p.id === edge.sourcePort)) {
      usable = false;
      const ports = source.ports.map((p) => `'${p.id}'`).join(', ') || 'none';
      out.push(
        diagnostic('EDGE_UNKNOWN_PORT', `${describe(source)} has no port '${edge.sourcePort}' (its ports: ${ports}); edge '${edgeId}' leaves by it`, {
          edgeId,
          nodeId: source.node.id,
        }),
      );
    }
    if (target?.spec?.trigger !== undefined) {
      usable = false;
      out.push(diagnostic('EDGE_INTO_TRIGGER', `Edge '${edgeId}' leads into ${describe(target)}; a trigger only starts the flow`, { edgeId, nodeId: target.node.id }));
    }
    if (usable) wired.push(edge);
  });
  return wired;
}

function documentIssue(issue: { path: readonly PropertyKey[]; message: string }, input: unknown): Diagnostic {
  const path = toPath(issue.path);
  const at: Pick<Diagnostic, 'nodeId' | 'edgeId' | 'path'> = { path };
  const [list, index] = path;
  if ((list === 'nodes' || list === 'edges') && typeof index === 'number') {
    const id = idAt(input, list, index);
    if (id) at[list === 'nodes' ? 'nodeId' : 'edgeId'] = id;
  }
  return diagnostic('DOCUMENT_INVALID', `${formatPath(path) || 'Document'}: ${issue.message}`, at);
}

/** The id of `input[list][index]` when the raw input has a usable one, so the canvas can point at the item. */
function idAt(input: unknown, list: 'nodes' | 'edges', index: number): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const items = (input as Record<string, unknown>)[list];
  const item = Array.isArray(items) ? (items[index] as unknown) : undefined;
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === 'symbol' ? String(key) : key));
}

function nameOf(node: FlowNode): string {
  return node.label || node.id;
}

/** "IVR menu 'Main menu'": the type's label (or id) and the node's label (or id). */
function describe(r: Pick<Resolved, 'node' | 'spec'>): string {
  return `${r.spec?.label ?? r.node.type} '${nameOf(r.node)}'`;
}
