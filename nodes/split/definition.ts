import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { clip, identifierField } from '@/nodes/shared/fields';
import { branchPort } from './common';

const branchSchema = z.object({
  id: identifierField('Id', 'Stable id of the branch; names its output'),
  label: z.string().trim().min(1, 'a branch needs a label').max(60).meta({ title: 'Label', description: 'Shown on the output' }),
  percent: z.number().int().min(0).max(100).meta({ title: 'Percent', description: 'Share of customers sent this way' }),
});

export const definition = defineNode({
  type: 'split',
  version: 1,
  label: 'Split',
  description: 'Sends a fixed share of customers down each branch (A/B tests). A customer always gets the same branch.',
  category: 'logic',
  icon: '🔀',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z
    .object({
      branches: z.array(branchSchema).min(2, 'a split needs at least two branches').max(10).meta({
        title: 'Branches',
        description: 'Percentages must add up to 100',
        widget: 'options-table',
      }),
    })
    .superRefine((config, issues) => {
      const total = config.branches.reduce((sum, branch) => sum + branch.percent, 0);
      if (total !== 100) issues.addIssue({ code: 'custom', message: `percentages add up to ${total}, not 100`, path: ['branches'] });
      const seen = new Set<string>();
      config.branches.forEach((branch, index) => {
        if (seen.has(branch.id)) issues.addIssue({ code: 'custom', message: `branch id ${branch.id} is used twice`, path: ['branches', index, 'id'] });
        seen.add(branch.id);
      });
    }),
  defaults: {
    branches: [
      { id: 'a', label: 'A', percent: 50 },
      { id: 'b', label: 'B', percent: 50 },
    ],
  },
  ports: (config) => config.branches.map((branch) => ({ id: branchPort(branch.id), label: `${branch.label} (${branch.percent}%)`, required: true })),
  summary: (config) => clip(config.branches.map((branch) => `${branch.label} ${branch.percent}%`).join(' / '), 60),
});
