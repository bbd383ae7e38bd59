import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip } from '@/nodes/shared/fields';
import { optionPort } from '../common';
import { MENU_DEFAULTS, MENU_PORT_LABELS, menuSchema, optionFields } from '../schema';

export const configSchema = menuSchema(z.object(optionFields));

export const definition = defineNode({
  type: 'ivr-menu',
  version: 1,
  label: 'IVR menu',
  description: 'Reads a menu and branches on the key pressed or the words spoken (or texted back on SMS).',
  category: 'voice',
  icon: '🔢',
  channels: ['voice', 'sms'],
  waitsForCaller: true,
  configSchema,
  defaults: {
    ...MENU_DEFAULTS,
    options: [
      { digit: '1', label: 'Sales', keywords: ['sales', 'buy', '购买'] },
      { digit: '2', label: 'Support', keywords: ['support', 'help', '帮助'] },
    ],
    tagOverrides: [],
  },
  ports: (config) => [
    ...config.options.map((option) => ({ id: optionPort(option.digit), label: option.label, required: true })),
    { id: 'timeout', label: MENU_PORT_LABELS.timeout, required: false },
    { id: 'invalid', label: MENU_PORT_LABELS.invalid, required: false },
  ],
  summary: (config) => clip(config.options.map((option) => `${option.digit} ${option.label}`).join(' · '), 60),
});
