import { z } from 'zod';
import type { FieldWidget, NodeDefinition } from '@/nodes/sdk';

/** The subset of JSON Schema that `z.toJSONSchema` produces for node configs, plus the `.meta()` keys. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: (string | number)[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  default?: unknown;
  title?: string;
  description?: string;
  /** From `.meta({ widget })`: which purpose-built editor to use. */
  widget?: FieldWidget;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

const cache = new WeakMap<NodeDefinition, JsonSchema>();

/** The config form's schema: the zod schema's input side (defaults make fields optional), with titles and widgets from `.meta()`. */
export function configJsonSchema(definition: NodeDefinition): JsonSchema {
  let schema = cache.get(definition);
  if (!schema) {
    schema = z.toJSONSchema(definition.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cache.set(definition, schema);
  }
  return schema;
}

/** The property every variant of a `oneOf` fixes with `const` (`kind`), if any. */
export function discriminatorOf(schema: JsonSchema): string | undefined {
  const variants = schema.oneOf ?? [];
  const [first] = variants;
  if (first === undefined) return undefined;
  const keys = Object.keys(first.properties ?? {});
  return keys.find((key) => variants.every((v) => v.properties?.[key]?.const !== undefined));
}

/** A value to start a new field or row with: its default, else the first allowed value. */
export function initialValue(schema: JsonSchema, siblings: readonly unknown[] = [], index = 0): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum.find((v) => !siblings.includes(v)) ?? schema.enum[0];
  const firstVariant = schema.oneOf?.[0];
  if (firstVariant !== undefined) return initialValue(firstVariant);
  switch (schema.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const isRequired = schema.required?.includes(key);
        if (!isRequired && property.default === undefined) continue;
        const taken = siblings.map((s) => (s as Record<string, unknown> | null)?.[key]);
        value[key] = initialValue(property, taken, index);
      }
      return value;
    }
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'string':
      if (schema.pattern) return `item${index + 1}`;
      return schema.minLength ? `${schema.title ?? 'Item'} ${index + 1}` : '';
    default:
      return undefined;
  }
}

/**
 * The schema with each field's title and description replaced where `lookup` has words for its
 * path (`options/digit`: array items share their array's path). Variants keep their own titles.
 */
export function localizeSchema(schema: JsonSchema, lookup: (path: string, key: 'title' | 'description') => string | undefined, path: string[] = []): JsonSchema {
  const at = path.join('/');
  const copy: JsonSchema = { ...schema };
  if (path.length > 0) {
    copy.title = lookup(at, 'title') ?? schema.title;
    copy.description = lookup(at, 'description') ?? schema.description;
  }
  // A constant (a union's discriminator) is one choice of a select: each value has its own words, `kind=queue`.
  if (schema.properties) copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, child]) => [key, localizeSchema(child, lookup, [...path, child.const === undefined ? key : `${key}=${String(child.const)}`])]));
  if (schema.items) copy.items = localizeSchema(schema.items, lookup, path);
  const variant = (v: JsonSchema) => ({ ...localizeSchema(v, lookup, path), title: v.title, description: v.description });
  if (schema.oneOf) copy.oneOf = schema.oneOf.map(variant);
  if (schema.anyOf) copy.anyOf = schema.anyOf.map(variant);
  return copy;
}
