import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';

export const definition = defineNode({
  type: 'incoming-sms',
  version: 1,
  label: 'Incoming SMS',
  description: 'Starts the flow when someone texts the flow’s number.',
  category: 'trigger',
  icon: '💬',
  channels: ['sms'],
  trigger: 'sms',
  waitsForCaller: false,
  configSchema: z.object({}).meta({ title: 'Incoming SMS' }),
  defaults: {},
  ports: () => [{ id: 'next', label: 'Message arrives', required: true }],
  summary: () => 'When a text message arrives',
});
