import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>(async () => ({ port: 'next' }));
