import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, tagsField } from '@/nodes/shared/fields';

export const definition = defineNode({
  type: 'set-tag',
  version: 1,
  label: 'Add tags',
  description: 'Adds tags to the customer’s profile.',
  category: 'data',
  icon: '🏷️',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({ tags: tagsField('Tags', 'Tags to add to the customer') }),
  defaults: { tags: ['contacted'] },
  ports: () => [{ id: 'next', label: 'Next', required: true }],
  summary: (config) => clip(`+ ${config.tags.join(', ')}`, 60),
});
