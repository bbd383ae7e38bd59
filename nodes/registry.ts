import { catalogOf } from '@/workflows/catalog';
import type { NodeCatalog } from '@/workflows/catalog';
import type { NodeDefinition } from '@/nodes/sdk';
import { definition as collectInput } from './collect-input/definition';
import { definition as emotionCheck } from './emotion-check/definition';
import { definition as end } from './end/definition';
import { definition as escalate } from './escalate/definition';
import { definition as incomingCall } from './incoming-call/definition';
import { definition as incomingSms } from './incoming-sms/definition';
import { definition as ivrMenu } from './ivr-menu/definition';
import { definition as removeTag } from './remove-tag/definition';
import { definition as routeToSkill } from './route-to-skill/definition';
import { definition as say } from './say/definition';
import { definition as sendSms } from './send-sms/definition';
import { definition as setTag } from './set-tag/definition';
import { definition as setVariable } from './set-variable/definition';
import { definition as split } from './split/definition';
import { definition as tagCondition } from './tag-condition/definition';

/**
 * Every node type, isomorphic (canvas, compiler, worker). Keyed `${type}@${version}`; a breaking
 * change adds a new version beside the old one. `registry.test.ts` fails when a folder is missing.
 */
export const nodeDefinitionMap: Readonly<Record<string, NodeDefinition>> = {
  'incoming-call@1': incomingCall,
  'incoming-sms@1': incomingSms,
  'say@1': say,
  'ivr-menu@1': ivrMenu,
  'collect-input@1': collectInput,
  'tag-condition@1': tagCondition,
  'emotion-check@1': emotionCheck,
  'split@1': split,
  'route-to-skill@1': routeToSkill,
  'escalate@1': escalate,
  'send-sms@1': sendSms,
  'set-tag@1': setTag,
  'remove-tag@1': removeTag,
  'set-variable@1': setVariable,
  'end@1': end,
};

/** In palette order. */
export const nodeDefinitions: readonly NodeDefinition[] = Object.values(nodeDefinitionMap);

export const nodeCatalog: NodeCatalog = catalogOf(nodeDefinitions);

export function nodeKey(type: string, version: number): string {
  return `${type}@${version}`;
}

/** A type's definition at `version`, or its newest version when none is given. */
export function getDefinition(type: string, version?: number): NodeDefinition | undefined {
  if (version !== undefined) return Object.hasOwn(nodeDefinitionMap, nodeKey(type, version)) ? nodeDefinitionMap[nodeKey(type, version)] : undefined;
  let newest: NodeDefinition | undefined;
  for (const definition of nodeDefinitions) {
    if (definition.type === type && (newest === undefined || definition.version > newest.version)) newest = definition;
  }
  return newest;
}
