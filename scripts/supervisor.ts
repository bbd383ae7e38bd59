/**
 * Keeps one process of the stack running: when it exits without being asked to, it is started
 * again after a pause that doubles with every crash in a row, and everything else stays up. Used by
 * the launcher for the Temporal dev server, the worker and the web server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { stopChild } from '@/temporal/dev-server';

export interface Running {
  /** Settles when the process has gone, however it went. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** A process that stays up this long has recovered: the next crash waits the shortest pause again. */
export const HEALTHY_AFTER_MS = 60_000;

/** Pause before restart number `crashesInARow` (0-based): 1 s, 2 s, 4 s … never more than 30 s. */
export function restartDelay(crashesInARow: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, crashesInARow));
}

export interface Supervisor {
  /** How often the process was started again after a crash. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * Starts the process (resolving once it is ready; a failed first start rejects), then restarts it
 * whenever it exits until `stop()` is called. `log` says what happened, for the launcher's output.
 */
export async function supervise(name: string, start: () => Promise<Running>, log: (line: string) => void, now: () => number = Date.now): Promise<Supervisor> {
  let current = await start();
  let startedAt = now();
  let crashes = 0;
  let restarts = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const restart = async () => {
    timer = undefined;
    if (stopping) return;
    try {
      current = await start();
      startedAt = now();
      restarts += 1;
      log(`${name} is back (restart ${restarts})`);
      watch();
    } catch (error) {
      crashes += 1;
      const delay = restartDelay(crashes - 1);
      log(`${name} did not start again (${error instanceof Error ? error.message : String(error)}); next try in ${delay / 1000} s`);
      timer = setTimeout(() => void restart(), delay);
    }
  };

  const watch = () => {
    const watched = current;
    void watched.exited.then(({ code, signal }) => {
      if (stopping || watched !== current) return;
      crashes = now() - startedAt >= HEALTHY_AFTER_MS ? 0 : crashes + 1;
      const delay = restartDelay(crashes - 1);
      log(`${name} exited (${signal ? `signal ${signal}` : `code ${code}`}); the rest keeps running, restarting it in ${delay / 1000} s`);
      timer = setTimeout(() => void restart(), delay);
    });
  };
  watch();

  return {
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current.stop();
    },
  };
}

/** Spawns `command` and resolves once a line of its output passes `ready`; rejects if it exits first. */
export function spawnReady(
  command: string,
  args: readonly string[],
  options: { ready: (line: string) => boolean; output: (chunk: Buffer) => void; graceMs?: number },
): Promise<Running & { child: ChildProcess }> {
  // Same process group as the launcher: Ctrl-C (or a supervisor killing the group) reaches every
  // process even if the launcher itself is killed first, so nothing is left behind.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let ready = false;
    const watch = (chunk: Buffer) => {
      options.output(chunk);
      if (!ready && chunk.toString().split('\n').some(options.ready)) {
        ready = true;
        resolve({ child, exited, stop: () => stopChild(child, options.graceMs) });
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    void exited.then(({ code, signal }) => {
      if (!ready) reject(new Error(`exited before it was ready (${signal ? `signal ${signal}` : `code ${code}`})`));
    });
  });
}
