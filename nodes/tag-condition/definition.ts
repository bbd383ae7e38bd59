import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, tagsField } from '@/nodes/shared/fields';

export const TAG_MATCH_MODES = ['any', 'all', 'none'] as const;
export type TagMatchMode = (typeof TAG_MATCH_MODES)[number];

export const definition = defineNode({
  type: 'tag-condition',
  version: 1,
  label: 'Tag condition',
  description: 'Branches on the customer’s tags.',
  category: 'logic',
  icon: '🔖',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    mode: z.enum(TAG_MATCH_MODES).default('any').meta({ title: 'Match when the customer has', description: 'any, all or none of the tags' }),
    tags: tagsField('Tags', 'Customer tags to look for'),
  }),
  defaults: { mode: 'any', tags: ['vip'] },
  ports: () => [
    { id: 'matched', label: 'Matched', required: true },
    { id: 'noMatch', label: 'No match', required: true },
  ],
  summary: (config) => clip(`Has ${config.mode} of: ${config.tags.join(', ')}`, 60),
});
