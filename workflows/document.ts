import { z } from 'zod';
import { storableProblems } from './storable';

/** The flow document: what the canvas edits, what import/export and the CLI read and write. */
export const positionSchema = z.object({ x: z.number(), y: z.number() });

/**
 * Node ids key the compiled program's `nodes` and `next` maps, plain JSON objects; `__proto__` as a
 * key would set the object's prototype instead of adding the node. Written as a pattern so the
 * published JSON Schema says so too.
 */
const nodeIdSchema = z
  .string()
  .min(1, 'a node needs an id')
  .regex(/^(?!__proto__$)/, "'__proto__' cannot be a node id; choose another");

export const flowNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1, 'a node needs a type'),
  typeVersion: z.number().int().positive(),
  position: positionSchema,
  /** An optional title shown on the canvas instead of the type's label. */
  label: z.string().max(120).optional(),
  config: z.record(z.string(), z.unknown()),
});

export const flowEdgeSchema = z.object({
  id: z.string().min(1, 'an edge needs an id'),
  source: z.string().min(1),
  sourcePort: z.string().min(1),
  target: z.string().min(1),
});

/**
 * How deep a document may nest, node configs included (the root is depth 0, a node's config 3).
 * Far more than any node config needs, and well within what JSON.stringify, Postgres jsonb and
 * Temporal's payloads handle.
 */
export const MAX_DOCUMENT_DEPTH = 32;

export const flowDocumentSchema = z
  .object({
    format: z.literal('switchboard.flow/1'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    nodes: z.array(flowNodeSchema),
    edges: z.array(flowEdgeSchema),
  })
  // Every string, config values and keys included, must be storable text (no NUL, no unpaired
  // surrogate), and configs must not nest absurdly deep: else saving the draft fails in the database.
  .superRefine((document, issues) => {
    for (const problem of storableProblems(document, { maxDepth: MAX_DOCUMENT_DEPTH })) {
      issues.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  });

export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
export type FlowDocument = z.infer<typeof flowDocumentSchema>;

export function emptyFlow(name: string): FlowDocument {
  return { format: 'switchboard.flow/1', name, nodes: [], edges: [] };
}
