/**
 * `npm run new:node -- <type> [--label "Label"] [--category logic]`: scaffolds a node type folder
 * (definition, step, test) and registers it in nodes/registry.ts and nodes/steps.ts, so the
 * canvas, the compiler and the worker pick it up with no other change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NODE_CATEGORIES } from '@/nodes/sdk';

const root = path.resolve(import.meta.dirname, '..');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const type = process.argv[2];
if (!type || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(type)) fail('usage: npm run new:node -- <kebab-case-type> [--label "Label"] [--category logic]');
const category = option('category') ?? 'logic';
if (!(NODE_CATEGORIES as readonly string[]).includes(category)) fail(`--category must be one of: ${NODE_CATEGORIES.join(', ')}`);
const label = option('label') ?? type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
const ident = type.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const dir = path.join(root, 'nodes', type);
if (fs.existsSync(dir)) fail(`nodes/${type} already exists`);

const files: Record<string, string> = {
  'definition.ts': `import { z } from 'zod';
import { defineNode } from '@/nodes/sdk';

export const definition = defineNode({
  type: '${type}',
  version: 1,
  label: ${JSON.stringify(label)},
  description: 'Describe what this node does for the flow designer.',
  category: '${category}',
  icon: '🧩',
  channels: ['voice', 'sms'],
  waitsForCaller: false,
  configSchema: z.object({
    note: z.string().max(200).default('').meta({ title: 'Note', description: 'An example setting' }),
  }),
  defaults: { note: '' },
  ports: () => [{ id: 'next', label: 'Next', required: true }],
  summary: (config) => config.note || ${JSON.stringify(label)},
});
`,
  'step.ts': `import { defineStep } from '@/nodes/sdk';
import { definition } from './definition';

// Runs inside the Temporal workflow: deterministic, no I/O except through ctx.
export const step = defineStep(definition, async (_config, _ctx) => ({ port: 'next' }));
`,
  [`${type}.test.ts`]: `import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('${type}', () => {
  it('leaves by next', async () => {
    const config = definition.configSchema.parse(definition.defaults);
    expect(await step.run(config, fakeContext())).toEqual({ port: 'next' });
  });
});
`,
};

/** Adds an import after the last import and an entry before the map's closing brace. */
function register(file: string, importLine: string, entry: string, mapStart: string) {
  const full = path.join(root, 'nodes', file);
  let text = fs.readFileSync(full, 'utf8');
  const lastImport = text.lastIndexOf('\nimport ');
  const endOfImport = text.indexOf('\n', lastImport + 1);
  text = `${text.slice(0, endOfImport + 1)}${importLine}\n${text.slice(endOfImport + 1)}`;
  const start = text.indexOf(mapStart);
  if (start < 0) fail(`could not find "${mapStart}" in nodes/${file}`);
  const close = text.indexOf('\n};', start);
  text = `${text.slice(0, close)}\n  ${entry}${text.slice(close)}`;
  fs.writeFileSync(full, text);
}

fs.mkdirSync(dir);
for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
register('registry.ts', `import { definition as ${ident} } from './${type}/definition';`, `'${type}@1': ${ident},`, 'export const nodeDefinitionMap');
register('steps.ts', `import { step as ${ident} } from './${type}/step';`, `'${type}@1': ${ident},`, 'export const nodeSteps');
console.log(`Created nodes/${type}/ and registered ${type}@1. Edit definition.ts and step.ts, then run npm test.`);
