import type { NodeStep } from '@/nodes/sdk';
import { steps } from './generated/steps';

/**
 * Step code by type and version, for the interpreter workflow: the generated step registry
 * imports step files only, which are deterministic and free of Node built-ins and zod.
 */
export function getStep(type: string, version: number): NodeStep | undefined {
  const key = `${type}@${version}`;
  return Object.hasOwn(steps, key) ? steps[key] : undefined;
}
