import type { EmotionResult } from '@/nodes/sdk';

/** Defaults shared by the emotion-check node and the built-in scorer's labels. */
export const DEFAULT_UPSET_BELOW = -0.3;
export const DEFAULT_POSITIVE_ABOVE = 0.3;

export interface EmotionThresholds {
  upsetBelow: number;
  positiveAbove: number;
}

export function classifyEmotion(
  score: number,
  thresholds: EmotionThresholds = { upsetBelow: DEFAULT_UPSET_BELOW, positiveAbove: DEFAULT_POSITIVE_ABOVE },
): EmotionResult['label'] {
  if (score < thresholds.upsetBelow) return 'upset';
  if (score > thresholds.positiveAbove) return 'positive';
  return 'neutral';
}
