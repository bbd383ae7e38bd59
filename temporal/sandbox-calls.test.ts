import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_NODE_ARGS } from './constants';

describe('sandbox calls without a watchdog', () => {
  it('reach the worker threads of a process started the way the worker is', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-calls-'));
    const thread = path.join(dir, 'thread.cjs');
    // In the thread: is the patch there, and does a call marked with NO_WATCHDOG_MS still run the script?
    fs.writeFileSync(
      thread,
      `const vm = require('node:vm');
       const context = vm.createContext({});
       const ran = new vm.Script('6 * 7').runInContext(context, { timeout: 4294967294 });
       const guarded = (() => { try { new vm.Script('for (;;) {}').runInContext(context, { timeout: 20 }); return false; } catch { return true; } })();
       console.log(JSON.stringify({ patched: vm.Script.prototype[Symbol.for('switchboard.sandbox-calls')] === true, ran, guarded }));`,
    );
    const main = path.join(dir, 'main.mjs');
    fs.writeFileSync(main, `import { Worker } from 'node:worker_threads'; new Worker(${JSON.stringify(thread)});`);
    const output = execFileSync(process.execPath, [...WORKER_NODE_ARGS.slice(0, -1), main], { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8' });
    // Other timeouts keep their watchdog: an endless script with a plain timeout is still stopped.
    expect(JSON.parse(output.trim())).toEqual({ patched: true, ran: 42, guarded: true });
  });
});
