import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { DEFAULT_POSITIVE_ABOVE, DEFAULT_UPSET_BELOW } from '@/nodes/shared/emotion';

const scoreField = (title: string, description: string, value: number) =>
  z.number().min(-1).max(1).default(value).meta({ title, description });

export const definition = defineNode({
  type: 'emotion-check',
  version: 1,
  label: 'Emotion check',
  description: 'Scores how the caller sounds from their latest answer and branches on it.',
  category: 'logic',
  icon: '🌡️',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z
    .object({
      upsetBelow: scoreField('Upset below', 'Scores under this (−1 … 1) count as upset', DEFAULT_UPSET_BELOW),
      positiveAbove: scoreField('Positive above', 'Scores over this (−1 … 1) count as positive', DEFAULT_POSITIVE_ABOVE),
    })
    .refine((config) => config.upsetBelow < config.positiveAbove, {
      message: 'must be above “Upset below”',
      path: ['positiveAbove'],
    }),
  defaults: { upsetBelow: DEFAULT_UPSET_BELOW, positiveAbove: DEFAULT_POSITIVE_ABOVE },
  ports: () => [
    { id: 'upset', label: 'Upset', required: true },
    { id: 'neutral', label: 'Neutral', required: true },
    { id: 'positive', label: 'Positive', required: true },
  ],
  summary: (config) => `Upset < ${config.upsetBelow} · positive > ${config.positiveAbove}`,
});
