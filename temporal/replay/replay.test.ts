import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WORKER_NODE_ARGS } from '@/temporal/constants';
import { fixtures, type ReplayOutcome } from './replay';

/**
 * Calls in flight replay their history against the code of today. These are recorded histories of
 * representative calls and conversations (`record.temporal.test.ts`); a change to a step, the
 * interpreter or a workflow that would break one of them fails here, before it reaches a worker.
 */
const names = fixtures().map((f) => f.name);

async function replay(...args: string[]): Promise<Map<string, ReplayOutcome['error']>> {
  const nodeArgs = WORKER_NODE_ARGS.slice(0, -1);
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeArgs, path.join(import.meta.dirname, 'replay.ts'), ...args], { maxBuffer: 16 * 2 ** 20 });
  const outcomes = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as ReplayOutcome);
  return new Map(outcomes.map((o) => [o.name, o.error]));
}

describe('recorded workflow histories', () => {
  it('cover calls and SMS conversations', () => {
    expect(names.filter((n) => n.startsWith('voice-')).length).toBeGreaterThanOrEqual(4);
    expect(names.filter((n) => n.startsWith('sms-')).length).toBeGreaterThanOrEqual(3);
  });

  it('replay against today’s code without a determinism error', async () => {
    const results = await replay();
    expect([...results.keys()].sort()).toEqual(names);
    for (const [name, error] of results) expect(error, `${name}: ${error?.message}`).toBeNull();
  }, 180_000);

  it('fail when a step changes what it does without a new node version', async () => {
    const results = await replay('--alter', `send-sms/step=${path.join(import.meta.dirname, 'altered', 'send-sms-twice.ts')}`);
    expect(results.get('voice-upset-billing-escalation')?.name).toBe('DeterminismViolationError');
    // Histories that never sent an SMS still replay.
    expect(results.get('voice-silence-goodbye')).toBeNull();
  }, 180_000);
});
