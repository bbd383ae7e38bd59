/**
 * `npm run flows -- <command>`: flow files from the command line.
 *
 *   validate <file>                               diagnostics with codes and paths; exit 1 on errors
 *   publish <file> --number <E.164> [--message m] create or update the flow by name, publish, bind the number
 *   export <flowId>                               the flow's draft as JSON
 *   schema                                        the JSON Schema of the flow document
 *
 * It uses the running dev stack's database when there is one (see db/client's dbHandle).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq } from 'drizzle-orm';
import { type Db, dbHandle } from '@/db/client';
import { flows } from '@/db/schema';
import { nodeCatalog } from '@/nodes/registry';
import { bindNumber, createFlow, publishFlow, saveDraft } from '@/server/flows/service';
import { compileFlow } from '@/workflows/compile';
import { type Diagnostic, formatPath, hasErrors } from '@/workflows/diagnostics';
import { flowDocumentSchema } from '@/workflows/document';
import { flowDocumentJsonSchema } from '@/workflows/json-schema';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Opened only by the commands that need it. */
  db: () => Promise<Db>;
}

const USAGE = `usage: npm run flows -- <command>
  validate <file>
  publish <file> --number <E.164> [--message <text>]
  export <flowId>
  schema`;

const E164 = /^\+[1-9]\d{6,14}$/;

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.nodeId && `node ${d.nodeId}`, d.edgeId && `edge ${d.edgeId}`, d.path && d.path.length > 0 && formatPath(d.path)].filter(Boolean).join(' · ');
  return `${d.severity.padEnd(7)} ${d.code}${where ? ` (${where})` : ''}: ${d.message}`;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** Runs one command; returns the exit code. */
export async function runFlowsCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'schema':
      io.out(JSON.stringify(flowDocumentJsonSchema(), null, 2));
      return 0;

    case 'validate': {
      const file = args[0];
      if (!file) return usage(io);
      let input: unknown;
      try {
        input = readJson(file);
      } catch (error) {
        io.err(`${file}: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      }
      const { diagnostics, compiled } = compileFlow(input, nodeCatalog);
      for (const d of diagnostics) io.out(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.length - errors;
      io.out(compiled ? `${file}: valid ${compiled.channel} flow, ${Object.keys(compiled.nodes).length} nodes, hash ${compiled.hash.slice(0, 12)} (${warnings} warning(s))` : `${file}: ${errors} error(s), ${warnings} warning(s)`);
      return hasErrors(diagnostics) ? 1 : 0;
    }

    case 'publish': {
      const file = args[0];
      const number = option(args, '--number');
      const message = option(args, '--message') ?? `Published from ${path.basename(file ?? '')}`;
      if (!file || file.startsWith('--') || !number) return usage(io);
      if (!E164.test(number)) {
        io.err(`--number must be an E.164 number such as +15005550100, not ${number}`);
        return 1;
      }
      const parsed = flowDocumentSchema.safeParse(readJson(file));
      const { diagnostics, compiled } = compileFlow(parsed.success ? parsed.data : readJson(file), nodeCatalog);
      if (!parsed.success || !compiled) {
        for (const d of diagnostics) io.err(formatDiagnostic(d));
        io.err(`${file}: not published, fix the errors first`);
        return 1;
      }
      const document = parsed.data;
      const db = await io.db();
      const [existing] = await db
        .select()
        .from(flows)
        .where(and(eq(flows.name, document.name), eq(flows.status, 'active')))
        .orderBy(desc(flows.updatedAt))
        .limit(1);
      let flowId: string;
      if (existing) {
        await saveDraft(db, { flowId: existing.id, document, expectedRevision: existing.draftRevision });
        flowId = existing.id;
      } else {
        flowId = (await createFlow(db, document)).id;
      }
      const { version } = await publishFlow(db, { flowId, document, message });
      await bindNumber(db, { flowId, number, channel: compiled.channel });
      io.out(`${existing ? 'Updated' : 'Created'} flow “${document.name}” (${flowId})`);
      io.out(`Published version ${version.version} (hash ${version.hash.slice(0, 12)}); ${number} now answers ${compiled.channel === 'voice' ? 'calls' : 'text messages'} with it`);
      return 0;
    }

    case 'export': {
      const flowId = args[0];
      if (!flowId) return usage(io);
      const db = await io.db();
      const [flow] = await db
        .select({ draft: flows.draft })
        .from(flows)
        .where(eq(flows.id, flowId))
        .catch(() => []);
      if (!flow) {
        io.err(`no flow with id ${flowId}`);
        return 1;
      }
      io.out(JSON.stringify(flow.draft, null, 2));
      return 0;
    }

    default:
      return usage(io);
  }
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return 2;
}

async function main() {
  let handle: Awaited<ReturnType<typeof dbHandle>> | undefined;
  const code = await runFlowsCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    db: async () => {
      handle ??= await dbHandle();
      return handle.db;
    },
  });
  await handle?.close();
  process.exit(code);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
