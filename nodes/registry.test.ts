import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { customNodeActivities } from './activities';
import { getDefinition, nodeCatalog, nodeDefinitionMap, nodeDefinitions, nodeKey } from './registry';
import { NODE_CATEGORIES } from './sdk';
import type { NodeDefinition, NodeStep } from './sdk';
import { getStep, nodeSteps } from './steps';

const root = import.meta.dirname;
const folders = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'definition.ts')))
  .map((entry) => entry.name)
  .sort();

describe('registries', () => {
  it('finds the node folders', () => {
    expect(folders.length).toBeGreaterThanOrEqual(15);
  });

  it.each(folders)('%s is registered in both maps under its own key', async (folder) => {
    const { definition } = (await import(`./${folder}/definition.ts`)) as { definition: NodeDefinition };
    expect(definition.type).toBe(folder);
    const key = nodeKey(definition.type, definition.version);
    expect(nodeDefinitionMap[key]).toBe(definition);
    expect(existsSync(join(root, folder, 'step.ts'))).toBe(true);
    const { step } = (await import(`./${folder}/step.ts`)) as { step: NodeStep };
    expect(step.definition).toBe(definition);
    expect(nodeSteps[key]).toBe(step);
  });

  it('has no entries without a folder, and keys match their contents', () => {
    expect(Object.keys(nodeDefinitionMap).sort()).toEqual(Object.keys(nodeSteps).sort());
    for (const [key, definition] of Object.entries(nodeDefinitionMap)) {
      expect(key).toBe(nodeKey(definition.type, definition.version));
      expect(folders).toContain(definition.type);
    }
  });

  it('looks definitions and steps up by type and version', () => {
    expect(getDefinition('say')?.type).toBe('say');
    expect(getDefinition('say', 1)?.version).toBe(1);
    expect(getDefinition('say', 99)).toBeUndefined();
    expect(getDefinition('constructor')).toBeUndefined();
    expect(getStep('say', 1)?.definition.type).toBe('say');
    expect(getStep('nope', 1)).toBeUndefined();
    expect(nodeCatalog.versions('ivr-menu').map((spec) => spec.version)).toEqual([1]);
    expect(nodeCatalog.versions('nope')).toEqual([]);
  });

  it('has exactly one trigger per channel', () => {
    const triggers = nodeDefinitions.filter((definition) => definition.trigger !== undefined).map((definition) => definition.trigger);
    expect(triggers.sort()).toEqual(['sms', 'voice']);
  });

  it('starts with no custom activities', () => {
    expect(customNodeActivities).toEqual({});
  });
});

describe.each(nodeDefinitions.map((definition) => [definition.type, definition] as const))('definition %s', (_type, definition) => {
  const config = definition.configSchema.parse(definition.defaults) as never;

  it('has the metadata the palette needs', () => {
    expect(definition.version).toBe(1);
    expect(definition.label).not.toBe('');
    expect(definition.description).not.toBe('');
    expect(definition.icon).not.toBe('');
    expect(NODE_CATEGORIES).toContain(definition.category);
    expect(definition.channels.length).toBeGreaterThan(0);
    if (definition.trigger !== undefined) {
      expect(definition.category).toBe('trigger');
      expect(definition.channels).toEqual([definition.trigger]);
    }
  });

  it('has defaults that parse, and a summary of them', () => {
    expect(typeof definition.summary(config)).toBe('string');
    expect(definition.summary(config)).not.toBe('');
  });

  it('has unique, labelled ports on its defaults', () => {
    const ports = definition.ports(config);
    expect(new Set(ports.map((port) => port.id)).size).toBe(ports.length);
    for (const port of ports) {
      expect(port.id).toMatch(/^[A-Za-z0-9_*#-]+$/);
      expect(port.label).not.toBe('');
    }
  });

  it('has a JSON Schema with a title on every field, for the generated form', () => {
    const schema = z.toJSONSchema(definition.configSchema, { io: 'input' }) as { type?: string; properties?: Record<string, { title?: string }> };
    expect(schema.type).toBe('object');
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      expect(property.title, `${definition.type}.${field}`).toBeTruthy();
    }
  });
});
