import { defineStep } from '@/nodes/sdk';
import { definition } from './definition';

export const step = defineStep(definition, async () => ({ port: 'next' }));
