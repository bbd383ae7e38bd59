import type { Channel } from './catalog';

/** One node of a compiled program: its parsed config and, per output port, the node it leads to. */
export interface CompiledNode {
  id: string;
  type: string;
  typeVersion: number;
  label?: string;
  /** The type's human name, so a running flow can describe itself without the node registry. */
  typeLabel?: string;
  config: unknown;
  /** Port id → target node id, or null when the port is left unconnected (the run ends there). */
  next: Record<string, string | null>;
}

/** The plain JSON program the interpreter runs. Pinned at call start, stored with a flow version. */
export interface CompiledFlow {
  format: 'switchboard.compiled/1';
  /** sha-256 of the canonical JSON of everything below; equal programs have equal hashes. */
  hash: string;
  name: string;
  channel: Channel;
  entry: string;
  nodes: Record<string, CompiledNode>;
}
