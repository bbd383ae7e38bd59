import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, tagsField } from '@/nodes/shared/fields';

export const definition = defineNode({
  type: 'remove-tag',
  version: 1,
  label: 'Remove tags',
  description: 'Removes tags from the customer’s profile.',
  category: 'data',
  icon: '✂️',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({ tags: tagsField('Tags', 'Tags to remove from the customer') }),
  defaults: { tags: ['contacted'] },
  ports: () => [{ id: 'next', label: 'Next', required: true }],
  summary: (config) => clip(`− ${config.tags.join(', ')}`, 60),
});
