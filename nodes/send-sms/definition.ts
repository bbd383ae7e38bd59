import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, e164Schema, templateField } from '@/nodes/shared/fields';

export const definition = defineNode({
  type: 'send-sms',
  version: 1,
  label: 'Send SMS',
  description: 'Texts the customer, or a fixed number, from the flow’s number.',
  category: 'messaging',
  icon: '✉️',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    to: z
      .union([z.literal('caller'), e164Schema])
      .default('caller')
      .meta({ title: 'To', description: '“caller” for the customer, or a number in E.164 form', widget: 'phone-or-caller' }),
    body: templateField('Message', 'The text to send', { min: 1, max: 1600, widget: 'textarea' }),
  }),
  defaults: { to: 'caller', body: 'Hi {{customer.firstName}}, thanks for contacting us.' },
  ports: () => [
    { id: 'sent', label: 'Sent', required: true },
    { id: 'failed', label: 'Failed', required: false },
  ],
  summary: (config) => `To ${config.to === 'caller' ? 'the caller' : config.to}: “${clip(config.body, 36)}”`,
});
