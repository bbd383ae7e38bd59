import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, templateField } from '@/nodes/shared/fields';
import { optionPort } from '../common';
import { MENU_DEFAULTS, MENU_PORT_LABELS, menuSchema, optionFields } from '../schema';
import type { configSchema as v1Schema } from '../v1/definition';

export const configSchema = menuSchema(
  z.object({
    ...optionFields,
    confirm: templateField('Confirmation', 'Asked once the caller picks this option, e.g. "You chose billing. Press 1 if that is right, or 2 to choose again." Empty asks nothing', {
      max: 600,
    }).default(''),
  }),
);

export const definition = defineNode({
  type: 'ivr-menu',
  version: 2,
  label: 'IVR menu',
  description: 'Reads a menu and branches on the key pressed or the words spoken (or texted back on SMS); an option can ask the caller to confirm.',
  category: 'voice',
  icon: '🔢',
  channels: ['voice', 'sms'],
  waitsForCaller: true,
  configSchema,
  defaults: {
    ...MENU_DEFAULTS,
    options: [
      { digit: '1', label: 'Sales', keywords: ['sales', 'buy', '购买'], confirm: '' },
      { digit: '2', label: 'Support', keywords: ['support', 'help', '帮助'], confirm: '' },
    ],
    tagOverrides: [],
  },
  ports: (config) => [
    ...config.options.map((option) => ({ id: optionPort(option.digit), label: option.label, required: true })),
    { id: 'timeout', label: MENU_PORT_LABELS.timeout, required: false },
    { id: 'invalid', label: MENU_PORT_LABELS.invalid, required: false },
  ],
  summary: (config) => clip(config.options.map((option) => `${option.digit} ${option.label}${option.confirm !== '' ? ' ✓' : ''}`).join(' · '), 60),
  upgrade: {
    changes: 'Each option can ask the caller to confirm their choice (key 1 or "yes"; key 2 or "no" reads the menu again) before the flow moves on.',
    migrate: (previous: z.output<typeof v1Schema>) => ({ ...previous, options: previous.options.map((option) => ({ ...option, confirm: '' })) }),
  },
});
