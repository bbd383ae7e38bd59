import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NODES_DIR, renderRegistry, scanNodeFolders } from '@/scripts/node-registry';
import { activities } from './generated/activities';
import { steps } from './generated/steps';
import { getDefinition, nodeCatalog, nodeDefinitions, nodeKey, upgradeFor } from './registry';
import { CHANNELS } from '@/workflows/catalog';
import { NODE_CATEGORIES } from './sdk';
import type { NodeDefinition } from './sdk';
import { getStep } from './steps';

const folders = scanNodeFolders();

describe('registries', () => {
  it('finds every node folder and version, with a sound layout', () => {
    expect(folders.problems).toEqual([]);
    expect(new Set(folders.versions.map((v) => v.type)).size).toBeGreaterThanOrEqual(15);
    expect(folders.versions.filter((v) => v.type === 'ivr-menu').map((v) => v.dir)).toEqual(['ivr-menu/v1', 'ivr-menu/v2']);
  });

  it('has generated registries that match the folders (run npm run nodes:registry)', () => {
    for (const [file, content] of Object.entries(renderRegistry(folders))) {
      expect(fs.readFileSync(path.join(NODES_DIR, 'generated', file), 'utf8'), `nodes/generated/${file}`).toBe(content);
    }
  });

  it.each(folders.versions.map((v) => [v.dir, v] as const))('%s defines its own type and version and has a step', async (_dir, v) => {
    const { definition } = (await import(/* @vite-ignore */ path.join(NODES_DIR, v.dir, 'definition.ts'))) as { definition: NodeDefinition };
    expect([definition.type, definition.version]).toEqual([v.type, v.version]);
    expect(getDefinition(v.type, v.version)).toBe(definition);
    const { step } = (await import(/* @vite-ignore */ path.join(NODES_DIR, v.dir, 'step.ts'))) as { step: unknown };
    expect(getStep(v.type, v.version)).toBe(step);
  });

  it('has one step per definition and nothing else', () => {
    expect(Object.keys(steps).sort()).toEqual(nodeDefinitions.map((d) => nodeKey(d.type, d.version)).sort());
    expect(Object.keys(activities).every((name) => folders.activities.includes(name.split('.')[0]!))).toBe(true);
  });

  it('looks definitions and steps up by type and version', () => {
    expect(getDefinition('say')?.type).toBe('say');
    expect(getDefinition('say', 1)?.version).toBe(1);
    expect(getDefinition('say', 99)).toBeUndefined();
    expect(getDefinition('constructor')).toBeUndefined();
    expect(getDefinition('ivr-menu')?.version).toBe(2);
    expect(getStep('say', 1)).toBeDefined();
    expect(getStep('nope', 1)).toBeUndefined();
    expect(nodeCatalog.versions('ivr-menu').map((spec) => spec.version)).toEqual([1, 2]);
    expect(nodeCatalog.versions('nope')).toEqual([]);
  });

  // A custom trigger for a channel that has one already is allowed: a flow still has exactly one.
  it('has a trigger for every channel', () => {
    const triggered = new Set(nodeDefinitions.map((definition) => definition.trigger).filter((trigger) => trigger !== undefined));
    expect([...triggered].sort()).toEqual([...CHANNELS].sort());
  });
});

describe('the generator', () => {
  const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-'));
  const write = (root: string, file: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  };

  it('registers versions side by side and activities by type', () => {
    const root = scratch();
    for (const file of ['lookup/definition.ts', 'lookup/step.ts', 'lookup/v2/definition.ts', 'lookup/v2/step.ts', 'lookup/activities.ts', 'shared/fields.ts']) write(root, file);
    const found = scanNodeFolders(root);
    expect(found).toEqual({ versions: [{ type: 'lookup', version: 1, dir: 'lookup' }, { type: 'lookup', version: 2, dir: 'lookup/v2' }], activities: ['lookup'], problems: [] });
    const files = renderRegistry(found);
    expect(files['steps.ts']).toContain("'lookup@2': lookupV2 satisfies NodeStep<ConfigOf<typeof lookupV2Definition>>,");
    expect(files['activities.ts']).toContain("import * as lookupActivities from '../lookup/activities';");
    expect(files['activities.ts']).toContain('`lookup.${name}`');
  });

  it('explains a broken layout', () => {
    const root = scratch();
    for (const file of ['twice/definition.ts', 'twice/step.ts', 'twice/v1/definition.ts', 'twice/v1/step.ts', 'stepless/definition.ts', 'Bad_Name/definition.ts', 'Bad_Name/step.ts', 'empty/readme.md']) write(root, file);
    expect(scanNodeFolders(root).problems).toEqual([
      'nodes/Bad_Name: a node type folder is kebab-case',
      'nodes/empty: no definition.ts (in the folder for version 1, or in v<N>/)',
      'nodes/stepless: definition.ts without a step.ts',
      'nodes/twice: version 1 is defined twice (in the folder and in v1/)',
    ]);
  });
});

describe.each(nodeDefinitions.map((definition) => [nodeKey(definition.type, definition.version), definition] as const))('definition %s', (_key, definition) => {
  const config = definition.configSchema.parse(definition.defaults) as never;

  it('has the metadata the palette needs', () => {
    expect(Number.isInteger(definition.version) && definition.version >= 1).toBe(true);
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

  it('upgrades from the previous version when it is not the first', () => {
    const previous = getDefinition(definition.type, definition.version - 1);
    if (definition.version === 1 || previous === undefined) {
      expect(definition.upgrade).toBeUndefined();
      return;
    }
    const offer = upgradeFor(definition.type, previous.version);
    expect(offer?.to).toBe(definition);
    expect(offer?.changes).not.toBe('');
    // The old version's defaults become a valid config of this version.
    expect(definition.configSchema.safeParse(offer?.migrate(previous.defaults)).success).toBe(true);
  });
});
