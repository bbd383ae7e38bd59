/**
 * `npm run new:node -- <type> [--label "Label"] [--category logic] [--activities]`: scaffolds a node
 * type folder (definition, step, test; with `--activities` an activities file too).
 * `npm run new:node -- <type> --version <N>`: adds version N of an existing type beside the others
 * (`nodes/<type>/v<N>/`), starting from a copy of the newest version with an upgrade to fill in.
 * Either way the generated registries are rewritten, so the canvas, the compiler and the worker
 * pick the node up with no other change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_CATEGORIES } from '@/nodes/sdk';
import { NODES_DIR, scanNodeFolders, writeRegistry } from './node-registry';

export interface NewNodeOptions {
  label?: string;
  category?: string;
  activities?: boolean;
  /** Adds this version to an existing type instead of creating one. */
  version?: number;
}

const ident = (type: string) => type.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function newType(type: string, options: NewNodeOptions): Record<string, string> {
  const category = options.category ?? 'logic';
  if (!(NODE_CATEGORIES as readonly string[]).includes(category)) throw new Error(`--category must be one of: ${NODE_CATEGORIES.join(', ')}`);
  const label = options.label ?? type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
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
    'step.ts': options.activities
      ? `import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

// Runs inside the Temporal workflow: deterministic, no I/O except through ctx (activities do the I/O).
export const step = defineStep<ConfigOf<typeof definition>>(async (config, ctx) => {
  const { echoed } = await ctx.activity<{ echoed: string }>('echo', { text: config.note });
  ctx.setVar('${ident(type)}Note', echoed);
  return { port: 'next' };
});
`
      : `import { type ConfigOf, defineStep } from '@/nodes/sdk';
import type { definition } from './definition';

// Runs inside the Temporal workflow: deterministic, no I/O except through ctx.
export const step = defineStep<ConfigOf<typeof definition>>(async (_config, _ctx) => ({ port: 'next' }));
`,
    [`${type}.test.ts`]: `import { describe, expect, it } from 'vitest';
import { fakeContext } from '@/nodes/testing/fake-context';
import { definition } from './definition';
import { step } from './step';

describe('${type}', () => {
  it('leaves by next', async () => {
    const config = definition.configSchema.parse(definition.defaults);
    expect(await step.run(config, fakeContext(${options.activities ? `{ activities: { echo: (input) => ({ echoed: (input as { text: string }).text }) } }` : ''}))).toEqual({ port: 'next' });
  });
});
`,
  };
  if (options.activities) {
    files['activities.ts'] = `/**
 * Side effects of the ${type} node, run by the worker (not in the workflow sandbox): each export is
 * an activity its step calls by name with \`ctx.activity('<name>', input)\`. Retried on failure, so
 * make them idempotent.
 */
export async function echo(input: unknown): Promise<{ echoed: string }> {
  return { echoed: String((input as { text?: unknown }).text ?? '') };
}
`;
  }
  return files;
}

function newVersion(root: string, type: string, version: number): Record<string, string> {
  const newest = scanNodeFolders(root)
    .versions.filter((v) => v.type === type)
    .at(-1);
  if (newest === undefined) throw new Error(`nodes/${type} does not exist; create it without --version first`);
  if (version !== newest.version + 1) throw new Error(`the next version of ${type} is ${newest.version + 1} (newest is ${newest.version})`);
  const from = path.relative(path.join(root, type, `v${version}`), path.join(root, newest.dir)).split(path.sep).join('/');
  const definition = fs
    .readFileSync(path.join(root, newest.dir, 'definition.ts'), 'utf8')
    .replace(/version: \d+,/, `version: ${version},`)
    .replace(/\n\}\);\s*$/, `\n  upgrade: {\n    changes: 'Say what version ${version} does differently.',\n    migrate: (previous: ConfigOf<typeof previousDefinition>) => ({ ...previous }),\n  },\n});\n`)
    .replace(/^/, `import type { ConfigOf } from '@/nodes/sdk';\nimport type { definition as previousDefinition } from '${from}/definition';\n`)
    .replace(/from '\.\//g, `from '${from}/`);
  const step = fs.readFileSync(path.join(root, newest.dir, 'step.ts'), 'utf8').replace(/from '\.\/(?!definition')/g, `from '${from}/`);
  return { 'definition.ts': definition, 'step.ts': step };
}

/** Writes the scaffold and the registries; returns the folder written, relative to nodes/. */
export function scaffoldNode(root: string, type: string, options: NewNodeOptions = {}): string {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(type)) throw new Error('usage: npm run new:node -- <kebab-case-type> [--label "Label"] [--category logic] [--activities] [--version N]');
  const relative = options.version === undefined ? type : `${type}/v${options.version}`;
  const dir = path.join(root, relative);
  if (options.version === undefined && fs.existsSync(dir)) throw new Error(`nodes/${type} already exists (add a version with --version)`);
  const files = options.version === undefined ? newType(type, options) : newVersion(root, type, options.version);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  const { problems } = writeRegistry(root);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return relative;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const option = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : undefined;
  };
  const version = option('version');
  try {
    const written = scaffoldNode(NODES_DIR, process.argv[2] ?? '', {
      label: option('label'),
      category: option('category'),
      activities: process.argv.includes('--activities'),
      ...(version !== undefined && { version: Number(version) }),
    });
    console.log(`Created nodes/${written}/ and updated nodes/generated/. Edit definition.ts and step.ts, then run npm test.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
