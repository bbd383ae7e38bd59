import { describe, expect, it } from 'vitest';
import { FLOW_DOCUMENT_SCHEMA_ID, flowDocumentJsonSchema } from './json-schema';

describe('flowDocumentJsonSchema', () => {
  it('describes the flow document with an id and title', () => {
    const schema = flowDocumentJsonSchema() as {
      $schema: string;
      $id: string;
      title: string;
      type: string;
      required: string[];
      properties: Record<string, { const?: string; type?: string; items?: { required?: string[] } }>;
    };
    expect(schema.$id).toBe(FLOW_DOCUMENT_SCHEMA_ID);
    expect(schema.title).toBe('Switchboard flow document');
    expect(schema.$schema).toContain('json-schema.org');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'name', 'nodes', 'edges']));
    expect(schema.properties.format?.const).toBe('switchboard.flow/1');
    expect(schema.properties.nodes?.items?.required).toEqual(expect.arrayContaining(['id', 'type', 'typeVersion', 'position', 'config']));
    expect(schema.properties.edges?.items?.required).toEqual(['id', 'source', 'sourcePort', 'target']);
  });

  it('is plain JSON', () => {
    const schema = flowDocumentJsonSchema();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
