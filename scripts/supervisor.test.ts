import { describe, expect, it } from 'vitest';
import { restartDelay, spawnReady, supervise } from './supervisor';

const node = (script: string) => () => spawnReady(process.execPath, ['-e', script], { ready: (line) => line.includes('ready'), output: () => {} });

describe('restartDelay', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(restartDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('supervise', () => {
  it('starts a crashed process again and keeps it until stopped', async () => {
    const lines: string[] = [];
    // Crashes half a second after it is ready, every time.
    const supervisor = await supervise('flaky', node("console.log('ready'); setTimeout(() => process.exit(3), 500)"), (line) => lines.push(line));
    await expect.poll(() => supervisor.restarts, { timeout: 10_000 }).toBe(2);
    await supervisor.stop();
    const restarts = supervisor.restarts;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(supervisor.restarts).toBe(restarts);
    expect(lines[0]).toBe('flaky exited (code 3); the rest keeps running, restarting it in 1 s');
    expect(lines).toContain('flaky is back (restart 1)');
    // The second crash in a row waits twice as long.
    expect(lines).toContain('flaky exited (code 3); the rest keeps running, restarting it in 2 s');
  }, 20_000);

  it('fails when the first start fails, and keeps trying when a restart fails', async () => {
    await expect(supervise('broken', node('process.exit(1)'), () => {})).rejects.toThrow('exited before it was ready (code 1)');
    let starts = 0;
    const lines: string[] = [];
    const start = () => (starts++ === 0 ? node("console.log('ready'); setTimeout(() => process.exit(0), 200)")() : node('process.exit(2)')());
    const supervisor = await supervise('later', start, (line) => lines.push(line));
    await expect.poll(() => lines.filter((line) => line.includes('did not start again')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(lines.find((line) => line.includes('did not start again'))).toBe('later did not start again (exited before it was ready (code 2)); next try in 2 s');
    await supervisor.stop();
  }, 20_000);
});
