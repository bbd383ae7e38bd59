import { z } from 'zod';
import { flowDocumentSchema } from './document';

export const FLOW_DOCUMENT_SCHEMA_ID = 'urn:switchboard:schema:flow-document:1';

/** The JSON Schema of the flow document, published for editors and tools that do not speak zod. */
export function flowDocumentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(flowDocumentSchema),
    $id: FLOW_DOCUMENT_SCHEMA_ID,
    title: 'Switchboard flow document',
    description: 'A contact-center flow: nodes with typed config and edges from output ports to nodes.',
  };
}
