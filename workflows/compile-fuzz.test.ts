import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCatalog, nodeDefinitions } from '@/nodes/registry';
import { formatDiagnostic } from '@/scripts/flows';
import { parseFlowJson } from '@/server/flows/service';
import type { CompileResult } from './compile';
import { compileFlow } from './compile';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SEVERITY, hasErrors } from './diagnostics';
import { canonicalJson, compiledFlowHash } from './hash';
import { anyValue, flowDocumentArbitrary, flowFileArbitrary, templatesOf } from './testing/arbitraries';

/**
 * Fuzzing the compiler and the import (issue 10): generated flow documents built from every
 * installed node type's defaults, then mutated, and arbitrary values. fast-check prints the seed and
 * the shrunk counterexample of a failure; `fc.assert(..., { seed, path })` replays it.
 */

const templates = templatesOf(nodeDefinitions);
const documents = flowDocumentArbitrary(templates);
const files = flowFileArbitrary(templates);

/** What every compile result promises, whatever the input. */
function expectSound(result: CompileResult): void {
  expect(Array.isArray(result.diagnostics)).toBe(true);
  for (const d of result.diagnostics) {
    expect(DIAGNOSTIC_CODES).toContain(d.code);
    expect(d.severity).toBe(DIAGNOSTIC_SEVERITY[d.code]);
    expect(typeof d.message).toBe('string');
    expect(d.message.trim()).not.toBe('');
    expect(typeof formatDiagnostic(d)).toBe('string');
  }
  if (!result.compiled) {
    // Every refusal is explained.
    expect(hasErrors(result.diagnostics)).toBe(true);
    return;
  }
  expect(hasErrors(result.diagnostics)).toBe(false);
  // The program as it is stored (jsonb) and sent to the worker (JSON payloads) must be the same program.
  const stored = JSON.parse(JSON.stringify(result.compiled)) as typeof result.compiled;
  expect(canonicalJson(stored)).toBe(canonicalJson(result.compiled));
  expect(compiledFlowHash(stored)).toBe(result.compiled.hash);
  expect(Object.hasOwn(stored.nodes, stored.entry)).toBe(true);
  for (const [id, node] of Object.entries(stored.nodes)) {
    expect(node.id).toBe(id);
    for (const target of Object.values(node.next)) {
      if (target !== null) expect(Object.hasOwn(stored.nodes, target), `next target '${target}' of '${id}' is a node of the program`).toBe(true);
    }
  }
}

/** Compiling again gives the same diagnostics and program (canonical JSON: a node may be called `constructor`). */
function expectStable(input: unknown, first: CompileResult): void {
  expect(canonicalJson(compileFlow(input, nodeCatalog))).toBe(canonicalJson(first));
}

describe('compiler fuzzing', () => {
  it('the generator makes valid flows of both channels, and mutations that break them', () => {
    // Guards the generator itself: a fuzzer that only ever produced broken documents would never
    // reach the lowering, the hash or the next targets.
    const results = fc.sample(documents, { numRuns: 500, seed: 42 }).map((document) => compileFlow(document, nodeCatalog));
    const compiled = results.filter((r) => r.compiled);
    expect(compiled.length).toBeGreaterThan(50);
    expect(new Set(compiled.map((r) => r.compiled?.channel))).toEqual(new Set(['voice', 'sms']));
    const codes = new Set(results.flatMap((r) => r.diagnostics.map((d) => d.code)));
    for (const code of ['DOCUMENT_INVALID', 'DUPLICATE_NODE_ID', 'UNKNOWN_NODE_TYPE', 'UNKNOWN_NODE_VERSION', 'INVALID_CONFIG', 'EDGE_MISSING_TARGET', 'EDGE_UNKNOWN_PORT', 'SPINNING_CYCLE'] as const) {
      expect(codes, code).toContain(code);
    }
  });

  it('compiles 10,000 generated and mutated documents soundly, twice alike, and imports them as JSON', () => {
    fc.assert(
      fc.property(files, ({ document, json }) => {
        const result = compileFlow(document, nodeCatalog);
        expectSound(result);
        expectStable(document, result);

        // The import reads the document as a file: it says what is wrong exactly when the compiler does.
        const read: unknown = JSON.parse(json);
        const fromFile = compileFlow(read, nodeCatalog);
        expectSound(fromFile);
        const imported = parseFlowJson(json);
        expect(imported.ok).toBe(!fromFile.diagnostics.some((d) => d.code === 'DOCUMENT_INVALID'));
        if (!imported.ok) {
          expect(imported.problems.length).toBeGreaterThan(0);
          for (const problem of imported.problems) expect(problem.message.trim()).not.toBe('');
        }
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('never throws for any value at all, and refuses it with an explanation', () => {
    fc.assert(
      fc.property(anyValue, (input) => {
        const result = compileFlow(input, nodeCatalog);
        expectSound(result);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the import explains any text that is not a flow file', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      // Cut-off and spliced flow files.
      fc.tuple(documents, fc.nat(), fc.string({ maxLength: 3 })).map(([document, cut, insert]) => {
        const json = JSON.stringify(document);
        const at = cut % (json.length + 1);
        return json.slice(0, at) + insert + json.slice(at + (cut % 3));
      }),
    );
    fc.assert(
      fc.property(texts, (json) => {
        const imported = parseFlowJson(json);
        if (imported.ok) {
          expectSound(compileFlow(imported.document, nodeCatalog));
          return;
        }
        expect(imported.problems.length).toBeGreaterThan(0);
        for (const problem of imported.problems) expect(problem.message.trim()).not.toBe('');
      }),
      { numRuns: 2_000 },
    );
  });
});
