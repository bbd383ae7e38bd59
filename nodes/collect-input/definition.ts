import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, identifierField, languageField, templateField, timeoutField, voiceField } from '@/nodes/shared/fields';

export const COLLECT_MODES = ['digits', 'speech'] as const;

export const definition = defineNode({
  type: 'collect-input',
  version: 1,
  label: 'Collect input',
  description: 'Asks for digits or a spoken answer and stores it in a flow variable.',
  category: 'voice',
  icon: '⌨️',
  channels: ['voice', 'sms'],
  waitsForCaller: true,
  configSchema: z.object({
    prompt: templateField('Prompt', 'What to ask the caller', { min: 1, max: 1600 }),
    mode: z.enum(COLLECT_MODES).default('digits').meta({ title: 'Answer with', description: 'Keypad digits or speech' }),
    numDigits: z.number().int().min(1).max(32).optional().meta({ title: 'Number of digits', description: 'Stop after this many digits; empty waits for the finish key' }),
    finishOnKey: z.enum(['#', '*', '']).default('#').meta({ title: 'Finish key', description: 'The key that ends the entry; empty for none' }),
    timeoutSeconds: timeoutField('Timeout (seconds)', 'How long to wait for an answer', 5, 60),
    variable: identifierField('Save as variable', 'Read it later as {{vars.<name>}}'),
    language: languageField(),
    voice: voiceField(),
  }),
  defaults: { prompt: 'Please enter your account number, then press pound.', mode: 'digits', finishOnKey: '#', timeoutSeconds: 5, variable: 'accountNumber', language: 'en-US' },
  ports: () => [
    { id: 'collected', label: 'Answered', required: true },
    { id: 'timeout', label: 'No answer', required: false },
  ],
  summary: (config) => `${config.mode === 'digits' ? 'Digits' : 'Speech'} → vars.${config.variable}: “${clip(config.prompt, 32)}”`,
});
