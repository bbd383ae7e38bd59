import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';

export const definition = defineNode({
  type: 'incoming-call',
  version: 1,
  label: 'Incoming call',
  description: 'Starts the flow when someone calls the flow’s number.',
  category: 'trigger',
  icon: '📞',
  channels: ['voice'],
  trigger: 'voice',
  waitsForCaller: false,
  configSchema: z.object({}).meta({ title: 'Incoming call' }),
  defaults: {},
  ports: () => [{ id: 'next', label: 'Call starts', required: true }],
  summary: () => 'When a call comes in',
});
