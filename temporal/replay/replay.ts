/**
 * Replays the recorded histories (`histories/*.json`) against today's workflow code and prints one
 * JSON line per history: `{ name, error }`. `replay.test.ts` runs it in a Node process of its own,
 * started the way the worker is, so the bundle is built exactly as in production; by hand:
 * `node --conditions=react-server --import tsx temporal/replay/replay.ts [--alter <module>=<file>]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { bundlerOptions, workflowsPath } from '@/temporal/worker';

export const HISTORIES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

export interface ReplayOutcome {
  name: string;
  /** The error's class and message; null when the history replayed cleanly. */
  error: { name: string; message: string } | null;
}

export function fixtures() {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as { workflowId: string; history: unknown };
      return { name: file.replace(/\.json$/, ''), workflowId, history };
    });
}

/** Bundle options that build `file` in place of every module whose request ends in `module` (e.g. `send-sms/step`). */
export function alteredBundle(module: string, file: string): WorkerOptions['bundlerOptions'] {
  const pattern = new RegExp(`[\\\\/]${module.split('/').join('[\\\\/]')}(\\.ts)?$`);
  return {
    ...bundlerOptions,
    webpackConfigHook: (config) => {
      const base = bundlerOptions?.webpackConfigHook?.(config) ?? config;
      const swap = { apply: (compiler: { webpack: { NormalModuleReplacementPlugin: new (p: RegExp, target: string) => { apply(c: unknown): void } } }) => new compiler.webpack.NormalModuleReplacementPlugin(pattern, file).apply(compiler) };
      base.plugins = [...(base.plugins ?? []), swap as never];
      return base;
    },
  };
}

export async function replay(options: WorkerOptions['bundlerOptions'] = bundlerOptions): Promise<ReplayOutcome[]> {
  const all = fixtures();
  const byId = new Map(all.map((f) => [f.workflowId, f.name]));
  const outcomes: ReplayOutcome[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath, bundlerOptions: options }, all.map(({ workflowId, history }) => ({ workflowId, history })))) {
    outcomes.push({ name: byId.get(result.workflowId) ?? result.workflowId, error: result.error ? { name: result.error.name, message: result.error.message } : null });
  }
  return outcomes;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const alter = process.argv.indexOf('--alter');
  const [module, file] = alter > 0 ? (process.argv[alter + 1] ?? '').split('=') : [];
  const outcomes = await replay(module && file ? alteredBundle(module, path.resolve(file)) : bundlerOptions);
  for (const outcome of outcomes) console.log(JSON.stringify(outcome));
}
