import 'server-only';
import demoIvr from '@/examples/demo-ivr.flow.json';
import smsCare from '@/examples/sms-care.flow.json';
import { emptyFlow, flowDocumentSchema, type FlowDocument } from '@/workflows/document';

import type { FlowTemplate } from './template-names';

export { FLOW_TEMPLATES, type FlowTemplate } from './template-names';

/** A fresh copy of a template's document, renamed. */
export function templateDocument(template: FlowTemplate, name: string): FlowDocument {
  switch (template) {
    case 'blank':
      return emptyFlow(name);
    case 'demo-ivr':
      return { ...flowDocumentSchema.parse(structuredClone(demoIvr)), name };
    case 'sms-care':
      return { ...flowDocumentSchema.parse(structuredClone(smsCare)), name };
    default: {
      const never: never = template;
      throw new Error(`unknown template ${String(never)}`);
    }
  }
}
