/**
 * The processes of one running stack on this machine, told apart from other stacks by the data
 * directory they inherited from their launcher; their CPU time and memory from /proc.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What each process's command line contains. */
export const STACK_PROCESSES = { worker: 'temporal/worker.ts', temporal: 'server start-dev', web: 'next-server', launcher: 'scripts/dev.ts' } as const;
export type StackProcess = keyof typeof STACK_PROCESSES;

export interface ProcessSample {
  pid: number;
  /** CPU seconds used so far (user + system). */
  cpu: number;
  rssMiB: number;
}

function environ(pid: string): Map<string, string> | null {
  try {
    return new Map(
      fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] as [string, string]),
    );
  } catch {
    return null;
  }
}

function sample(pid: string): ProcessSample | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), cpu: (Number(fields[11]) + Number(fields[12])) / 100, rssMiB: (Number(fields[21]) * 4096) / 2 ** 20 };
  } catch {
    return null;
  }
}

/**
 * The stack's processes by kind (a kind may have several, e.g. Next.js's own workers), for the stack
 * whose DATA_DIR is `dataDir` (compared resolved against each process's working directory).
 */
export function stackProcesses(dataDir: string): Partial<Record<StackProcess, ProcessSample[]>> {
  const wanted = path.resolve(dataDir);
  const found: Partial<Record<StackProcess, ProcessSample[]>> = {};
  let lines: string[];
  try {
    lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  } catch {
    return found;
  }
  for (const line of lines) {
    const [pid = '', ...args] = line.trim().split(/\s+/);
    const command = args.join(' ');
    const kind = (Object.keys(STACK_PROCESSES) as StackProcess[]).find((name) => command.includes(STACK_PROCESSES[name]));
    if (kind === undefined || command.startsWith('npm')) continue;
    const vars = environ(pid);
    let cwd = '';
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      continue;
    }
    if (vars === null || path.resolve(cwd, vars.get('DATA_DIR') ?? '.data') !== wanted) continue;
    const taken = sample(pid);
    if (taken) (found[kind] ??= []).push(taken);
  }
  return found;
}

/** This process (the load generator), to count its CPU too. */
export function ownProcess(): ProcessSample | null {
  return sample(String(process.pid));
}
