import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { TagMatchMode } from './definition';
import type { definition } from './definition';

export function tagsMatch(mode: TagMatchMode, wanted: readonly string[], has: readonly string[]): boolean {
  const owned = new Set(has);
  switch (mode) {
    case 'any':
      return wanted.some((tag) => owned.has(tag));
    case 'all':
      return wanted.every((tag) => owned.has(tag));
    case 'none':
      return !wanted.some((tag) => owned.has(tag));
    default: {
      const unknown: never = mode;
      throw new Error(`unknown tag match mode ${String(unknown)}`);
    }
  }
}

export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => ({
  port: tagsMatch(config.mode, config.tags, ctx.customer.tags) ? 'matched' : 'noMatch',
}));
