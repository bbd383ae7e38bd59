/** Stable diagnostic codes. Tools and tests match on these; never rename one, only add. */
export const DIAGNOSTIC_CODES = [
  'DOCUMENT_INVALID',
  'NO_TRIGGER',
  'MULTIPLE_TRIGGERS',
  'DUPLICATE_NODE_ID',
  'DUPLICATE_EDGE_ID',
  'UNKNOWN_NODE_TYPE',
  'UNKNOWN_NODE_VERSION',
  'INVALID_CONFIG',
  'PORT_NOT_CONNECTED',
  'EDGE_MISSING_SOURCE',
  'EDGE_MISSING_TARGET',
  'EDGE_UNKNOWN_PORT',
  'PORT_MULTIPLE_EDGES',
  'EDGE_INTO_TRIGGER',
  'UNREACHABLE_NODE',
  'SPINNING_CYCLE',
  'CHANNEL_UNSUPPORTED',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];
export type Severity = 'error' | 'warning';

export const DIAGNOSTIC_SEVERITY: Record<DiagnosticCode, Severity> = {
  DOCUMENT_INVALID: 'error',
  NO_TRIGGER: 'error',
  MULTIPLE_TRIGGERS: 'error',
  DUPLICATE_NODE_ID: 'error',
  DUPLICATE_EDGE_ID: 'error',
  UNKNOWN_NODE_TYPE: 'error',
  UNKNOWN_NODE_VERSION: 'error',
  INVALID_CONFIG: 'error',
  PORT_NOT_CONNECTED: 'error',
  EDGE_MISSING_SOURCE: 'error',
  EDGE_MISSING_TARGET: 'error',
  EDGE_UNKNOWN_PORT: 'error',
  PORT_MULTIPLE_EDGES: 'error',
  EDGE_INTO_TRIGGER: 'error',
  UNREACHABLE_NODE: 'warning',
  SPINNING_CYCLE: 'error',
  CHANNEL_UNSUPPORTED: 'error',
};

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /**
   * INVALID_CONFIG: the field inside the node's config (what the settings panel highlights).
   * Otherwise a path in the flow document (`['nodes', 2, 'typeVersion']`).
   */
  path?: (string | number)[];
}

export function diagnostic(code: DiagnosticCode, message: string, at: Pick<Diagnostic, 'nodeId' | 'edgeId' | 'path'> = {}): Diagnostic {
  return { code, severity: DIAGNOSTIC_SEVERITY[code], message, ...at };
}

/** Errors first, then by code, node, edge, path and message: the same input always lists the same way. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    rank(a.severity) - rank(b.severity) ||
    DIAGNOSTIC_CODES.indexOf(a.code) - DIAGNOSTIC_CODES.indexOf(b.code) ||
    compareText(a.nodeId ?? '', b.nodeId ?? '') ||
    compareText(a.edgeId ?? '', b.edgeId ?? '') ||
    compareText(formatPath(a.path ?? []), formatPath(b.path ?? [])) ||
    compareText(a.message, b.message)
  );
}

function rank(severity: Severity): number {
  return severity === 'error' ? 0 : 1;
}

// Plain code-unit order, not localeCompare: the order must not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export interface DiagnosticSummary {
  errors: number;
  warnings: number;
  byCode: Partial<Record<DiagnosticCode, number>>;
}

export function summarize(diagnostics: readonly Diagnostic[]): DiagnosticSummary {
  const summary: DiagnosticSummary = { errors: 0, warnings: 0, byCode: {} };
  for (const d of diagnostics) {
    if (d.severity === 'error') summary.errors++;
    else summary.warnings++;
    summary.byCode[d.code] = (summary.byCode[d.code] ?? 0) + 1;
  }
  return summary;
}

/** `options[0].digit`; empty for the root. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text ? `.${key}` : key;
  return text;
}
