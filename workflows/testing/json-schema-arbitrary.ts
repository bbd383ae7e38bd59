import fc from 'fast-check';
import { oddUnit, oddValue } from './arbitraries';

/**
 * Values that (mostly) match a JSON Schema, such as `z.toJSONSchema` writes for a tRPC input, so
 * a fuzzer gets past the validation to the code behind it; then `mutatedArbitrary` breaks one
 * place of such a value. zod has no generator of its own. Covers what the app's inputs use: objects,
 * strings (length, pattern, format), numbers, booleans, enums, consts, unions, arrays and null.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface SchemaArbitraryOptions {
  /** Values for strings of a `format` (e.g. `uuid`: ids that exist in the test database). */
  formats?: Record<string, fc.Arbitrary<unknown>>;
  /** Values for object properties of this name, whatever their schema says (e.g. a flow `document`). */
  properties?: Record<string, fc.Arbitrary<unknown>>;
}

// Long enough to reach `max(200)` style limits now and then without making every run slow.
const MAX_STRING = 300;

export function schemaArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions = {}): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => schemaArbitrary(s, options)));
  const format = schema.format ? options.formats?.[schema.format] : undefined;
  if (format) return format;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) record[key] = options.properties?.[key] ?? schemaArbitrary(property, options);
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((key) => required.has(key)) });
    }
    case 'array':
      return fc.array(schema.items ? schemaArbitrary(schema.items, options) : oddValue, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (type === 'integer' ? 1 : Number.EPSILON) : undefined);
      const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (type === 'integer' ? 1 : Number.EPSILON) : undefined);
      if (type === 'integer') {
        const low = Math.max(min ?? -1e6, Number.MIN_SAFE_INTEGER);
        const high = Math.min(max ?? 1e6, Number.MAX_SAFE_INTEGER);
        // Small values most of the time: revisions, versions and limits that exist.
        const small = fc.integer({ min: Math.max(low, -2), max: Math.max(Math.min(high, 5), Math.max(low, -2)) });
        return fc.oneof({ weight: 3, arbitrary: small }, { weight: 1, arbitrary: fc.integer({ min: low, max: high }) });
      }
      return fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // `{}`: anything (zod's unknown, or a type JSON Schema cannot express).
      return oddValue;
  }
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    default: {
      const length = { minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, MAX_STRING) };
      // Within the limits, but not always polite text: NUL, bidi marks, lone surrogates, emoji.
      return fc.oneof(fc.string({ unit: 'grapheme', ...length }), fc.string({ unit: oddUnit, ...length }));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of valid values

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slotsOf(value: unknown, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 8 || typeof value !== 'object' || value === null) return out;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    out.push({ parent: value as Slot['parent'], key });
    slotsOf(child, out, depth + 1);
  }
  return out;
}

type Change = { kind: 'replace'; with: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; with: unknown } | { kind: 'wrap' };

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace' as const), with: oddValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('__proto__', 'constructor', 'extra', ''), with: oddValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const) }) },
);

/** A valid value with one place broken: replaced by an odd value, deleted, given an extra key or wrapped in an array. */
export function mutatedArbitrary(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), changeArbitrary).map(([input, at, change]) => {
    const value = structuredClone(input);
    const slots = slotsOf(value);
    if (slots.length === 0) return change.kind === 'replace' ? change.with : change.kind === 'wrap' ? [value] : value;
    const { parent, key } = slots[at % slots.length]!;
    const target = parent as Record<string | number, unknown>;
    switch (change.kind) {
      case 'replace':
        Object.defineProperty(target, key, { value: change.with, enumerable: true, writable: true, configurable: true });
        break;
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete target[key];
        break;
      case 'add':
        if (!Array.isArray(parent)) Object.defineProperty(target, change.key, { value: change.with, enumerable: true, writable: true, configurable: true });
        break;
      case 'wrap':
        target[key] = [target[key]];
        break;
    }
    return value;
  });
}
