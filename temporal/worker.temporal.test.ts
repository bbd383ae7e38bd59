import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WORKER_NODE_ARGS } from './constants';

describe('worker process', () => {
  it('shuts down once and cleanly on Ctrl-C followed by the launcher’s SIGTERM', async () => {
    const child = spawn(process.execPath, [...WORKER_NODE_ARGS], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const watch = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('worker ready')) resolve();
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}:\n${output}`)));
    });
    try {
      await ready;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).not.toMatch(/IllegalStateError|Not running/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
