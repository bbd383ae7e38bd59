import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';
import { languageField, templateField, timeoutField } from '@/nodes/shared/fields';
import { DEFAULT_PRIORITY_WEIGHTS } from './priority';

const weightField = (title: string, value: number) =>
  z.number().min(0).max(1).default(value).meta({ title, description: '0 … 1; weights are relative to each other' });

const requirementStep = z.object({
  afterSeconds: z.number().int().min(0).max(3600).meta({ title: 'From (seconds in queue)', description: '0 for the first step' }),
  skill: z.string().trim().min(1, 'pick a skill').max(64).meta({ title: 'Skill', widget: 'skill' }),
  minLevel: z.number().int().min(1).max(5).default(1).meta({ title: 'Minimum level', description: '1 … 5' }),
  seniorOnly: z.boolean().default(false).meta({ title: 'Senior agents only' }),
});

export const definition = defineNode({
  type: 'route-to-skill',
  version: 1,
  label: 'Route to skill',
  description: 'Queues the caller for an agent with a skill, prioritised by value, behaviour and emotion, with a summary for the agent.',
  category: 'routing',
  icon: '🎯',
  channels: ['voice', 'sms'],
  waitsForCaller: true,
  configSchema: z.object({
    skill: z.string().trim().min(1, 'pick a skill').max(64).meta({ title: 'Skill', description: 'Agents with this skill take the call', widget: 'skill' }),
    weights: z
      .object({
        value: weightField('Customer value', DEFAULT_PRIORITY_WEIGHTS.value),
        behaviour: weightField('Behaviour', DEFAULT_PRIORITY_WEIGHTS.behaviour),
        emotion: weightField('Emotion', DEFAULT_PRIORITY_WEIGHTS.emotion),
      })
      .default(DEFAULT_PRIORITY_WEIGHTS)
      .meta({ title: 'Priority weights', description: 'How much value, behaviour and emotion raise the queue priority' }),
    requirements: z
      .array(requirementStep)
      .max(10)
      .default([])
      .meta({
        title: 'Requirement steps',
        description: 'How the requirement relaxes while the customer waits, e.g. billing level ≥ 4 from 0 s, any billing agent from 30 s, escalation from 90 s. Empty: any agent with the skill',
      }),
    reason: templateField('Reason', 'Shown to the agent; empty says which skill was asked for', { max: 500 }).default(''),
    waitMessage: templateField('Hold message', 'Played (or texted) while the caller waits', { min: 1, max: 1000 }),
    timeoutSeconds: timeoutField('Give up after (seconds)', 'Leave by “No agent” when nobody answers in time', 120, 3600),
    language: languageField(),
  }),
  defaults: {
    skill: 'general',
    weights: DEFAULT_PRIORITY_WEIGHTS,
    requirements: [],
    reason: '',
    waitMessage: 'All our agents are busy. Please hold, someone will be with you shortly.',
    timeoutSeconds: 120,
    language: 'en-US',
  },
  ports: () => [{ id: 'timeout', label: 'No agent', required: false }],
  summary: (config) => `Skill “${config.skill}”, wait up to ${config.timeoutSeconds}s`,
});
