import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, identifierField, templateField } from '@/nodes/shared/fields';

export const definition = defineNode({
  type: 'set-variable',
  version: 1,
  label: 'Set variable',
  description: 'Stores text in a flow variable for later nodes and the agent’s summary.',
  category: 'data',
  icon: '🧮',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    name: identifierField('Variable', 'Read it later as {{vars.<name>}}'),
    value: templateField('Value', 'Text, may use {{…}} variables', { max: 1000 }),
  }),
  defaults: { name: 'intent', value: '{{input}}' },
  ports: () => [{ id: 'next', label: 'Next', required: true }],
  summary: (config) => clip(`vars.${config.name} = ${config.value === '' ? '“”' : config.value}`, 60),
});
