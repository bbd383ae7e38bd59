import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundlerOptions, workflowsPath } from '@/temporal/worker';

/**
 * The lint rules are part of the architecture (DESIGN.md: the sandbox is deterministic, the folder
 * table is enforced), so they are proven to fire: snippets linted with the real config.
 */

const root = import.meta.dirname;
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, 'eslint.config.mjs') });
});

/** The rules that report `code` as if it were the file at `file` (the file itself is not read). */
async function reported(file: string, code: string): Promise<string[]> {
  const result = (await eslint.lintText(code, { filePath: path.join(root, file) })).at(0)!; // one result per text
  const fatal = result.messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return result.messages.map((message) => message.ruleId ?? '');
}

const imports = '@typescript-eslint/no-restricted-imports';

/** Lints `lines` as one file at `file` and answers the rules reported on each line. */
async function reportedPerLine(file: string, lines: readonly string[]): Promise<string[][]> {
  const result = (await eslint.lintText(lines.join('\n'), { filePath: path.join(root, file) })).at(0)!; // one result per text
  const perLine = lines.map((): string[] => []);
  for (const message of result.messages) {
    if (message.fatal) throw new Error(`${file}: ${message.message}`);
    perLine[message.line - 1]!.push(message.ruleId ?? '');
  }
  return perLine;
}

describe('determinism rules of the workflow sandbox', () => {
  // One file of each group. Typed linting (floating promises) needs files of the TypeScript
  // project, so these exist; the snippet replaces their text. The first run builds the program.
  const sandbox = ['temporal/workflows/ping.ts', 'nodes/say/step.ts', 'nodes/steps.ts', 'nodes/shared/voice.ts', 'telephony/replies.ts'];
  const nonDeterministic = [
    ['export const t1 = Date.now();', 'no-restricted-properties'],
    ['export const clock = { now: Date.now };', 'no-restricted-properties'],
    ['export const t2 = new Date();', 'no-restricted-syntax'],
    ['export const r1 = Math.random();', 'no-restricted-properties'],
    ['const { random } = Math; export const r2 = random();', 'no-restricted-properties'],
    ['setTimeout(() => {}, 10);', 'no-restricted-globals'],
    ['setInterval(() => {}, 10);', 'no-restricted-globals'],
    ['export const mode = process.env.NODE_ENV;', 'no-restricted-globals'],
    ['(async () => {})();', '@typescript-eslint/no-floating-promises'],
  ] as const;
  const impure = [
    "import fs from 'node:fs';",
    "import { createHash } from 'crypto';",
    "import { env } from '@/env';",
    "import { createFlow } from '@/server/flows/service';",
    "import { getDb } from '@/db/client';",
    "import { eq } from 'drizzle-orm';",
    "import postgres from 'postgres';",
    "import { PGlite } from '@electric-sql/pglite';",
    "import { Client } from '@temporalio/client';",
    "import { Worker } from '@temporalio/worker';",
    "import { Context } from '@temporalio/activity';",
    "import twilio from 'twilio';",
    "import { z } from 'zod';",
  ];

  it.each(sandbox)('%s: reports clocks, randomness, timers, the environment and floating promises', async (file) => {
    const perLine = await reportedPerLine(file, nonDeterministic.map(([code]) => code));
    nonDeterministic.forEach(([code, rule], line) => expect(perLine[line], code).toContain(rule));
  }, 60_000);

  it.each(sandbox)('%s: forbids Node built-ins, env, server, database, Temporal client/worker/activity, twilio and zod values', async (file) => {
    const perLine = await reportedPerLine(file, impure);
    impure.forEach((code, line) => expect(perLine[line], code).toContain(imports));
  });

  it.each(['server/flows/service.ts', 'temporal/activities/runtime.ts'])('%s (outside the sandbox) may use all of it', async (file) => {
    const perLine = await reportedPerLine(file, nonDeterministic.map(([code]) => code));
    nonDeterministic.forEach(([code, rule], line) => expect(perLine[line], code).not.toContain(rule));
  });

  it('allows type imports of zod and of activities, a Date of a given time, and zod in definitions', async () => {
    expect(await reported('nodes/say/step.ts', "import type { z } from 'zod';\nexport type Config = z.infer<z.ZodString>;")).toEqual([]);
    expect(await reported('temporal/workflows/ping.ts', "import type * as activities from '../activities';\nexport type A = typeof activities;")).toEqual([]);
    expect(await reported('temporal/workflows/ping.ts', "import * as activities from '../activities';\nexport const a = activities;")).toContain(imports);
    expect(await reported('nodes/say/step.ts', 'export const t = new Date(0);')).toEqual([]);
    expect(await reported('nodes/say/definition.ts', "import { z } from 'zod';\nexport const schema = z.string();")).toEqual([]);
    expect(await reported('nodes/say/definition.ts', 'export const t = Date.now();')).toContain('no-restricted-properties');
  });

  it('covers node steps in versioned folders too', async () => {
    for (const file of ['nodes/ivr-menu/v2/step.ts', 'nodes/ivr-menu/v2/definition.ts', 'nodes/new-type/step.ts']) {
      expect(await sandboxed(file), file).toBe(true);
    }
  });
});

/** Whether `file` gets the sandbox's rules (checked on the computed config, so the file need not exist). */
async function sandboxed(file: string): Promise<boolean> {
  const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, unknown[]> };
  return JSON.stringify(config.rules?.['no-restricted-properties'] ?? []).includes('"property":"random"');
}

describe('the sandbox file set', () => {
  it('covers every file of the app that the worker bundles into the workflow sandbox', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, webpackConfigHook: bundlerOptions!.webpackConfigHook, logger: quiet });
    const files = [...new Set([...code.matchAll(/"\.\/((?!node_modules\/)[^"]+\.ts)"/g)].map((match) => match[1]!))];
    expect(files).toContain('nodes/say/step.ts');
    const outside: string[] = [];
    for (const file of files) if (!(await sandboxed(file))) outside.push(file);
    expect(outside).toEqual([]);
  }, 120_000);
});

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('layer rules (DESIGN.md, "Where code lives")', () => {
  it.each([
    ['db/anything.ts', "import { createFlow } from '@/server/flows/service';"],
    ['db/anything.ts', "import { createFlow } from '../server/flows/service';"],
    ['db/anything.ts', "import { flowDocumentSchema } from '@/workflows/document';"],
    ['server/anything.ts', "import { POST } from '@/app/api/twilio/voice/route';"],
    ['server/anything.ts', "import { Nav } from '@/components/nav';"],
    ['server/anything.ts', "import { createWorker } from '@/temporal/worker';"],
    ['server/anything.ts', "import { TestCall } from './telephony/testing';"],
    ['app/api/anything/route.ts', "import { getDb } from '@/db/client';"],
    ['app/api/anything/route.ts', "import { eq } from 'drizzle-orm';"],
    ['components/anything.tsx', "import { getDb } from '@/db/client';"],
    ['components/anything.tsx', "import { createFlow } from '@/server/flows/service';"],
    ['components/anything.tsx', "import { pageViewer } from '../server/auth/page-viewer';"],
    ['workflows/catalog.ts', "import { nodeCatalog } from '@/nodes/registry';"],
    ['workflows/catalog.ts', "import { useState } from 'react';"],
    ['nodes/anything/activities.ts', "import { getDb } from '@/db/client';"],
    ['nodes/say/definition.ts', "import { createFlow } from '@/server/flows/service';"],
    ['telephony/anything.ts', "import { createFlow } from '@/server/flows/service';"],
    ['telephony/anything.ts', "import { defineStep } from '@/nodes/sdk';"],
    ['temporal/activities/anything.ts', "import { createFlow } from '@/server/flows/service';"],
    ['stories/anything.tsx', "import { getDb } from '@/db/client';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await reported(file, `${code}\nexport const used = [${code.match(/import \{? ?(\w+)/)?.[1]}];`)).toContain(imports);
  });

  it.each([
    ['db/anything.ts', "import type { FlowDocument } from '@/workflows/document';\nexport type D = FlowDocument;"],
    ['server/anything.ts', "import { getDb } from '@/db/client';\nimport { withTimeout } from '@/temporal/client';\nimport { renderMessagingReply } from '@/telephony/twiml';\nexport const used = [getDb, withTimeout, renderMessagingReply];"],
    ['server/anything.test.ts', "import { POST } from '@/app/api/twilio/voice/route';\nimport { TestCall } from './telephony/testing';\nexport const used = [POST, TestCall];"],
    ['app/api/anything/route.ts', "import type { Db } from '@/db/client';\nimport { authenticatedRoute } from '@/server/auth/route-handler';\nexport type D = Db;\nexport const used = authenticatedRoute;"],
    ['components/anything.tsx', "import type { AppRouter } from '@/server/routers/_app';\nimport { can } from '@/server/auth/permissions';\nexport type R = AppRouter;\nexport const used = can;"],
    ['temporal/activities/anything.ts', "import { getDb } from '@/db/client';\nexport const used = getDb;"],
    ['telephony/anything.ts', "import { getDb } from '@/db/client';\nimport type { Language } from '@/nodes/sdk';\nexport type L = Language;\nexport const used = getDb;"],
    ['scripts/anything.ts', "import { getDb } from '@/db/client';\nimport { createFlow } from '@/server/flows/service';\nexport const used = [getDb, createFlow];"],
  ])('%s may import what the table allows', async (file, code) => {
    expect(await reported(file, code)).not.toContain(imports);
  });
});

describe('server modules', () => {
  it('are marked server-only, except the pure ones the browser may import', async () => {
    const config = (await import(pathToFileURL(path.join(root, 'eslint.config.mjs')).href)) as { browserSafeServerModules: string[] };
    const modules = fs
      .readdirSync(path.join(root, 'server'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && path.basename(file) !== 'testing.ts')
      .map((file) => `server/${file.replace(/\.ts$/, '')}`);
    const unmarked = modules.filter((module) => !fs.readFileSync(path.join(root, `${module}.ts`), 'utf8').startsWith("import 'server-only';"));
    expect(unmarked.sort()).toEqual([...config.browserSafeServerModules].sort());
  });
});
