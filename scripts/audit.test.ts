import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWLIST_FILE, evaluateAudit, readAllowlist, report, type AllowedAdvisory } from './audit';

/** What `npm audit --json` prints (report version 2): a vulnerable package, a dependent that only points at it, a moderate one. */
const output = JSON.stringify({
  auditReportVersion: 2,
  vulnerabilities: {
    'left-pad': {
      name: 'left-pad',
      severity: 'critical',
      via: [
        { source: 1100001, name: 'left-pad', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'critical', range: '<1.3.1' },
        { source: 1100002, name: 'left-pad', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'high', range: '<1.3.2' },
      ],
    },
    'pads-everything': { name: 'pads-everything', severity: 'critical', via: ['left-pad'] },
    chalky: { name: 'chalky', severity: 'moderate', via: [{ source: 1100003, name: 'chalky', title: 'Minor', url: 'https://github.com/advisories/GHSA-gggg-hhhh-iiii', severity: 'moderate', range: '*' }] },
  },
  metadata: { vulnerabilities: { moderate: 1, high: 1, critical: 2, total: 4 } },
});

const allowed = (overrides: Partial<AllowedAdvisory> = {}): AllowedAdvisory => ({
  id: 'GHSA-dddd-eeee-ffff',
  package: 'left-pad',
  reason: 'Only reached with user-controlled patterns, which we never pass.',
  reviewBy: '2027-01-31',
  ...overrides,
});

describe('scripts/audit', () => {
  it('blocks on every high or critical advisory, once each, and ignores lower ones', () => {
    const outcome = evaluateAudit(output, [], '2027-01-01');
    if (outcome.kind !== 'done') throw new Error(outcome.reason);
    expect(outcome.blocking.map((a) => [a.id, a.package, a.severity])).toEqual([
      ['GHSA-aaaa-bbbb-cccc', 'left-pad', 'critical'],
      ['GHSA-dddd-eeee-ffff', 'left-pad', 'high'],
    ]);
    const printed = report(outcome, { require: false });
    expect(printed.ok).toBe(false);
    expect(printed.lines.at(-1)).toContain('2 high or critical advisories to fix');
  });

  it('lets an allow-listed advisory pass until its review date, and only that one', () => {
    const outcome = evaluateAudit(output, [allowed()], '2027-01-31');
    if (outcome.kind !== 'done') throw new Error(outcome.reason);
    expect(outcome.blocking.map((a) => a.id)).toEqual(['GHSA-aaaa-bbbb-cccc']);
    expect(outcome.allowed.map((a) => a.advisory.id)).toEqual(['GHSA-dddd-eeee-ffff']);

    const onlyAllowed = JSON.parse(output);
    onlyAllowed.vulnerabilities['left-pad'].via.shift();
    const passing = report(evaluateAudit(JSON.stringify(onlyAllowed), [allowed()], '2027-01-31'), { require: false });
    expect(passing.ok).toBe(true);
    expect(passing.lines.join('\n')).toContain('allowed  high     left-pad <1.3.2: ReDoS');

    const expired = report(evaluateAudit(JSON.stringify(onlyAllowed), [allowed()], '2027-02-01'), { require: false });
    expect(expired.ok).toBe(false);
    expect(expired.lines.join('\n')).toContain('EXPIRED');
    // The same id in another package is another advisory.
    expect(evaluateAudit(JSON.stringify(onlyAllowed), [allowed({ package: 'right-pad' })], '2027-01-01')).toMatchObject({ kind: 'done', blocking: [{ id: 'GHSA-dddd-eeee-ffff' }] });
  });

  it('points out allow-list entries that no longer apply', () => {
    const clean = JSON.stringify({ auditReportVersion: 2, vulnerabilities: {} });
    const printed = report(evaluateAudit(clean, [allowed()], '2027-01-01'), { require: false });
    expect(printed.ok).toBe(true);
    expect(printed.lines[0]).toContain('no longer applies; remove the entry');
  });

  it('says plainly when the audit could not run, and fails on it only with --require', () => {
    const unreachable = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', method: 'POST' });
    const outcome = evaluateAudit(unreachable, [], '2027-01-01');
    expect(outcome).toEqual({ kind: 'not-run', reason: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk' });
    const lenient = report(outcome, { require: false });
    expect(lenient.ok).toBe(true);
    expect(lenient.lines[0]).toContain('npm audit: NOT RUN');
    expect(report(outcome, { require: true }).ok).toBe(false);
    expect(evaluateAudit('', [], '2027-01-01')).toMatchObject({ kind: 'not-run' });
    expect(evaluateAudit(JSON.stringify({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.npmjs.org' } }), [], '2027-01-01')).toEqual({ kind: 'not-run', reason: 'getaddrinfo ENOTFOUND registry.npmjs.org' });
  });

  it('reads the committed allow-list, and refuses an entry without a reason or review date', () => {
    expect(Array.isArray(readAllowlist(ALLOWLIST_FILE))).toBe(true);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'allowlist.json');
    fs.writeFileSync(file, JSON.stringify({ advisories: [{ id: 'GHSA-x', package: 'p', reason: ' ', reviewBy: '2027-01-01' }] }));
    expect(() => readAllowlist(file)).toThrow(/reason and reviewBy/);
    fs.writeFileSync(file, JSON.stringify({ advisories: [{ id: 'GHSA-x', package: 'p', reason: 'r', reviewBy: 'soon' }] }));
    expect(() => readAllowlist(file)).toThrow(/reviewBy/);
  });
});
