import type { NodeStep } from '@/nodes/sdk';
import { step as collectInput } from './collect-input/step';
import { step as emotionCheck } from './emotion-check/step';
import { step as end } from './end/step';
import { step as escalate } from './escalate/step';
import { step as incomingCall } from './incoming-call/step';
import { step as incomingSms } from './incoming-sms/step';
import { step as ivrMenu } from './ivr-menu/step';
import { step as removeTag } from './remove-tag/step';
import { step as routeToSkill } from './route-to-skill/step';
import { step as say } from './say/step';
import { step as sendSms } from './send-sms/step';
import { step as setTag } from './set-tag/step';
import { step as setVariable } from './set-variable/step';
import { step as split } from './split/step';
import { step as tagCondition } from './tag-condition/step';

/**
 * Workflow-side step code keyed `${type}@${version}`. Imported by the interpreter workflow bundle,
 * so it imports step files only (which are deterministic and free of Node built-ins).
 */
export const nodeSteps: Readonly<Record<string, NodeStep>> = {
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

export function getStep(type: string, version: number): NodeStep | undefined {
  const key = `${type}@${version}`;
  return Object.hasOwn(nodeSteps, key) ? nodeSteps[key] : undefined;
}
