/**
 * `npm audit --omit=dev` for CI: fails on any high or critical advisory in the production
 * dependencies that `.ci/audit-allowlist.json` does not list, and on an allow-list entry whose
 * review date has passed. When the advisory endpoint cannot be reached, it says so plainly
 * ("NOT RUN") instead of passing or failing without a word; `--require` makes that a failure.
 *
 *   npx tsx scripts/audit.ts [--require]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ALLOWLIST_FILE = '.ci/audit-allowlist.json';

const BLOCKING = new Set(['high', 'critical']);

/** An entry of the allow-list: one advisory in one package, why it cannot be fixed yet, and when to look again. */
export interface AllowedAdvisory {
  id: string;
  package: string;
  reason: string;
  /** YYYY-MM-DD; after it the entry stops counting until someone reviews it again. */
  reviewBy: string;
}

export interface Advisory {
  /** GHSA id when npm gives the advisory's URL, else npm's numeric source id. */
  id: string;
  package: string;
  severity: string;
  title: string;
  url: string;
  range: string;
}

/** The parts of `npm audit --json` (report version 2) read here. */
interface AuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, { via: (string | { source: number; name: string; title: string; url: string; severity: string; range: string })[] }>;
  message?: string;
  error?: { summary?: string };
}

export type AuditOutcome =
  | { kind: 'not-run'; reason: string }
  | { kind: 'done'; blocking: Advisory[]; allowed: { advisory: Advisory; entry: AllowedAdvisory }[]; expired: AllowedAdvisory[]; unused: AllowedAdvisory[] };

/** The advisories of a report at high severity or above, each once (npm repeats them per dependent). */
export function highAdvisories(report: AuditReport): Advisory[] {
  const found = new Map<string, Advisory>();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via) {
      if (typeof via === 'string' || !BLOCKING.has(via.severity)) continue;
      const id = /\/(GHSA-[\w-]+)$/i.exec(via.url ?? '')?.[1] ?? String(via.source);
      found.set(`${id} ${via.name}`, { id, package: via.name, severity: via.severity, title: via.title, url: via.url, range: via.range });
    }
  }
  return [...found.values()].sort((a, b) => a.package.localeCompare(b.package) || a.id.localeCompare(b.id));
}

export function evaluateAudit(output: string, allowlist: AllowedAdvisory[], today: string): AuditOutcome {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return { kind: 'not-run', reason: `npm audit printed no report: ${output.trim().slice(0, 300) || '(nothing)'}` };
  }
  if (report.auditReportVersion === undefined || report.vulnerabilities === undefined) {
    return { kind: 'not-run', reason: report.message ?? report.error?.summary ?? 'npm audit returned no vulnerability report' };
  }
  const advisories = highAdvisories(report);
  const current = allowlist.filter((entry) => entry.reviewBy >= today);
  const entryFor = (a: Advisory) => current.find((entry) => entry.id.toLowerCase() === a.id.toLowerCase() && entry.package === a.package);
  return {
    kind: 'done',
    blocking: advisories.filter((a) => !entryFor(a)),
    allowed: advisories.flatMap((advisory) => {
      const entry = entryFor(advisory);
      return entry ? [{ advisory, entry }] : [];
    }),
    expired: allowlist.filter((entry) => entry.reviewBy < today),
    unused: current.filter((entry) => !advisories.some((a) => a.id.toLowerCase() === entry.id.toLowerCase() && a.package === entry.package)),
  };
}

export function readAllowlist(file: string): AllowedAdvisory[] {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { advisories?: AllowedAdvisory[] };
  const entries = parsed.advisories ?? [];
  for (const entry of entries) {
    if (!entry.id || !entry.package || !entry.reason?.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(entry.reviewBy ?? '')) {
      throw new Error(`${file}: every entry needs id, package, reason and reviewBy (YYYY-MM-DD): ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

/** The lines to print and whether CI fails. */
export function report(outcome: AuditOutcome, options: { require: boolean }): { lines: string[]; ok: boolean } {
  if (outcome.kind === 'not-run') {
    return {
      ok: !options.require,
      lines: [
        '!!! npm audit: NOT RUN — the advisory endpoint could not be reached, so the production dependencies were not checked.',
        `!!! ${outcome.reason}`,
        options.require ? '!!! --require is set: failing.' : '!!! Continuing; run with --require (AUDIT_REQUIRED=1 in .ci/run) where the registry serves audits.',
      ],
    };
  }
  const describe = (a: Advisory) => `${a.severity.padEnd(8)} ${a.package} ${a.range}: ${a.title} (${a.url || a.id})`;
  const lines = [
    ...outcome.allowed.map(({ advisory, entry }) => `allowed  ${describe(advisory)} — ${entry.reason} (review by ${entry.reviewBy})`),
    ...outcome.unused.map((entry) => `note     ${ALLOWLIST_FILE}: ${entry.id} in ${entry.package} no longer applies; remove the entry`),
    ...outcome.expired.map((entry) => `EXPIRED  ${ALLOWLIST_FILE}: ${entry.id} in ${entry.package} was to be reviewed by ${entry.reviewBy}; review it and set a new date, or fix it`),
    ...outcome.blocking.map((a) => `BLOCKING ${describe(a)}`),
  ];
  const ok = outcome.blocking.length === 0 && outcome.expired.length === 0;
  lines.push(
    ok
      ? `npm audit: no high or critical advisory in the production dependencies${outcome.allowed.length ? ` beyond ${outcome.allowed.length} allowed in ${ALLOWLIST_FILE}` : ''}.`
      : `npm audit: ${outcome.blocking.length} high or critical advisories to fix (upgrade, or allow-list with a reason and a review date in ${ALLOWLIST_FILE}).`,
  );
  return { lines, ok };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const outcome = evaluateAudit(audit.stdout || audit.stderr || String(audit.error ?? ''), readAllowlist(ALLOWLIST_FILE), new Date().toISOString().slice(0, 10));
  const { lines, ok } = report(outcome, { require: process.argv.includes('--require') });
  for (const line of lines) console.log(line);
  process.exit(ok ? 0 : 1);
}
