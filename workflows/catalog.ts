import type { z } from 'zod';

/** The channels a flow can run on. A flow has exactly one trigger, which fixes its channel. */
export const CHANNELS = ['voice', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface PortSpec {
  id: string;
  /** A required port must be connected for the flow to compile. */
  required?: boolean;
}

/**
 * What the compiler needs to know about a node type. `nodes/` implements it with `defineNode`;
 * `workflows/` never imports `nodes/`, so the compiler stays pure and testable with any catalog.
 */
export interface NodeSpec {
  type: string;
  version: number;
  /** The type's human name ("IVR menu"), used in diagnostics; the type id stands in when absent. */
  label?: string;
  channels: readonly Channel[];
  /** Set on trigger nodes: the channel whose inbound traffic starts the flow. */
  trigger?: Channel;
  configSchema: z.ZodType;
  ports(config: never): readonly PortSpec[];
  /** True when running the node waits for the caller (a prompt, a hold), so a cycle through it cannot spin. */
  waitsForCaller: boolean;
}

export interface NodeCatalog {
  /** Every version of a type, newest last; empty when the type is unknown. */
  versions(type: string): readonly NodeSpec[];
}

export function catalogOf(specs: readonly NodeSpec[]): NodeCatalog {
  const byType = new Map<string, NodeSpec[]>();
  for (const spec of specs) {
    const list = byType.get(spec.type) ?? [];
    list.push(spec);
    list.sort((a, b) => a.version - b.version);
    byType.set(spec.type, list);
  }
  return { versions: (type) => byType.get(type) ?? [] };
}
