import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, languageField, templateField, voiceField } from '@/nodes/shared/fields';

export const END_OUTCOMES = ['completed', 'hangup'] as const;

export const definition = defineNode({
  type: 'end',
  version: 1,
  label: 'End',
  description: 'Says an optional goodbye and ends the call or conversation.',
  category: 'logic',
  icon: '🏁',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    message: templateField('Goodbye message', 'Said (or texted) before ending; empty for none', { max: 1000 }).default(''),
    outcome: z.enum(END_OUTCOMES).default('completed').meta({ title: 'Outcome', description: 'Recorded for reports' }),
    language: languageField(),
    voice: voiceField(),
  }),
  defaults: { message: 'Thank you for calling. Goodbye!', outcome: 'completed', language: 'en-US' },
  ports: () => [],
  summary: (config) => (config.message === '' ? `End (${config.outcome})` : `“${clip(config.message, 40)}” · ${config.outcome}`),
});
