import { type ConfigOf, defineStep } from '@/nodes/sdk';
import { runMenu } from '../common';
import type { definition } from './definition';

export const step = defineStep<ConfigOf<typeof definition>>((config, ctx) => runMenu(config, ctx));
