import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { e164Schema, languageField, templateField, voiceField } from '@/nodes/shared/fields';
import { ESCALATION_QUEUE } from './common';


const targetSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('queue').meta({ title: 'Queue' }),
      queue: z.string().trim().min(1).max(64).default(ESCALATION_QUEUE).meta({ title: 'Queue', description: 'Senior agents’ queue', widget: 'skill' }),
    }),
    z.object({
      kind: z.literal('dial').meta({ title: 'Phone number' }),
      number: e164Schema.meta({ title: 'Number', description: 'E.164, e.g. +14155550100' }),
    }),
  ])
  .meta({ title: 'Escalate to', description: 'A priority queue, or a phone number to connect the call to' });

export const definition = defineNode({
  type: 'escalate',
  version: 1,
  label: 'Escalate',
  description: 'Hands the customer to a senior agent at top priority with a written summary of the conversation.',
  category: 'routing',
  icon: '🚨',
  channels: ['voice', 'sms'],
  waitsForCaller: true,
  configSchema: z.object({
    reason: templateField('Reason', 'Why this needs a senior agent; shown in the inbox', { min: 1, max: 500 }),
    target: targetSchema.default({ kind: 'queue', queue: ESCALATION_QUEUE }),
    message: templateField('Message to the customer', 'Said (or texted) before handing over', { min: 1, max: 1000 }),
    language: languageField(),
    voice: voiceField(),
  }),
  defaults: {
    reason: 'Customer is upset (emotion {{emotion.label}})',
    target: { kind: 'queue', queue: ESCALATION_QUEUE },
    message: "I'm sorry for the trouble. I'm connecting you to a senior agent now.",
    language: 'en-US',
  },
  ports: () => [],
  summary: (config) => (config.target.kind === 'queue' ? `Urgent → queue “${config.target.queue}”` : `Urgent → dial ${config.target.number}`),
});
