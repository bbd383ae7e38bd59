import type { CustomerSnapshot, EmotionResult } from '@/nodes/sdk';

export interface PriorityWeights {
  value: number;
  behaviour: number;
  emotion: number;
}

export const DEFAULT_PRIORITY_WEIGHTS: PriorityWeights = { value: 0.5, behaviour: 0.3, emotion: 0.2 };

/** Upset-ness assumed when the caller's emotion was never scored: neither calm nor upset. */
export const UNSCORED_UPSET = 0.5;

/**
 * Queue priority 0 … 100 (higher is served first):
 * `100 · (wv·value + wb·behaviour + we·upset) / (wv + wb + we)`, where
 * `upset = (1 − emotion.score) / 2` (1 for a furious caller, 0 for a delighted one, 0.5 when
 * unscored). Inputs are clamped to 0 … 1, and dividing by the weights' sum keeps the result in
 * range when the weights do not add up to 1. All-zero weights give 0. Rounded to an integer.
 */
export function computePriority(
  customer: Pick<CustomerSnapshot, 'value' | 'behaviour'>,
  emotion: Pick<EmotionResult, 'score'> | null,
  weights: PriorityWeights = DEFAULT_PRIORITY_WEIGHTS,
): number {
  const wv = clamp01(weights.value);
  const wb = clamp01(weights.behaviour);
  const we = clamp01(weights.emotion);
  const total = wv + wb + we;
  if (total === 0) return 0;
  const upset = emotion === null ? UNSCORED_UPSET : clamp01((1 - emotion.score) / 2);
  const weighted = wv * clamp01(customer.value) + wb * clamp01(customer.behaviour) + we * upset;
  return Math.round((100 * weighted) / total);
}

function clamp01(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
