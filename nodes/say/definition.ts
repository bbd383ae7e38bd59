import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, languageField, templateField, voiceField } from '@/nodes/shared/fields';

export const definition = defineNode({
  type: 'say',
  version: 1,
  label: 'Say',
  description: 'Speaks a message to the caller, or sends it as a text on SMS flows.',
  category: 'voice',
  icon: '🗣️',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    text: templateField('Message', 'What to say; use {{customer.firstName}} and other variables', { min: 1, max: 1600, widget: 'template' }),
    language: languageField(),
    voice: voiceField(),
  }),
  defaults: { text: 'Hello {{customer.firstName}}, thanks for calling.', language: 'en-US' },
  ports: () => [{ id: 'next', label: 'Next', required: true }],
  summary: (config) => `“${clip(config.text)}”`,
});
