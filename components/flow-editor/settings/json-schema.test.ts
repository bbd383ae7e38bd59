import { describe, expect, it } from 'vitest';
import { getDefinition, nodeDefinitions } from '@/nodes/registry';
import type { NodeDefinition } from '@/nodes/sdk';
import { configJsonSchema, discriminatorOf, initialValue, type JsonSchema } from './json-schema';

const schemaOf = (type: string) => configJsonSchema(getDefinition(type) as NodeDefinition);

describe('config JSON schema', () => {
  it('exists for every registered node type, with a title on every field', () => {
    for (const definition of nodeDefinitions) {
      const schema = configJsonSchema(definition);
      expect(schema.type).toBe('object');
      for (const [key, field] of Object.entries(schema.properties ?? {})) expect(field.title, `${definition.type}.${key}`).toBeTruthy();
    }
  });

  it('carries widgets from .meta()', () => {
    expect(schemaOf('ivr-menu').properties?.options?.widget).toBe('options-table');
    expect(schemaOf('route-to-skill').properties?.skill?.widget).toBe('skill');
    expect(schemaOf('tag-condition').properties?.tags?.widget).toBe('tags');
    expect(schemaOf('say').properties?.text?.widget).toBe('template');
  });

  it('finds the discriminator of a union', () => {
    expect(discriminatorOf(schemaOf('escalate').properties?.target as JsonSchema)).toBe('kind');
  });

  it('starts a new IVR option on an unused key, and a new split branch with a valid id', () => {
    const options = schemaOf('ivr-menu').properties?.options?.items as JsonSchema;
    const siblings = [{ digit: '0' }, { digit: '1' }];
    expect(initialValue(options, siblings, 2)).toEqual({ digit: '2', label: 'Label 3', keywords: [], confirm: '' });
    const branch = schemaOf('split').properties?.branches?.items as JsonSchema;
    expect(initialValue(branch, [], 2)).toEqual({ id: 'item3', label: 'Label 3', percent: 0 });
  });
});
