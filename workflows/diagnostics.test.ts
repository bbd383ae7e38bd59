import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SEVERITY, diagnostic, formatPath, hasErrors, sortDiagnostics, summarize } from './diagnostics';

describe('diagnostics', () => {
  it('gives every code a severity; only UNREACHABLE_NODE is a warning', () => {
    expect(Object.keys(DIAGNOSTIC_SEVERITY).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
    expect(DIAGNOSTIC_CODES.filter((code) => DIAGNOSTIC_SEVERITY[code] === 'warning')).toEqual(['UNREACHABLE_NODE']);
  });

  it('builds a diagnostic with the severity of its code', () => {
    expect(diagnostic('UNREACHABLE_NODE', 'm', { nodeId: 'a' })).toEqual({ code: 'UNREACHABLE_NODE', severity: 'warning', message: 'm', nodeId: 'a' });
  });

  it('sorts errors first, then by code, node, edge, path and message', () => {
    const list = [
      diagnostic('UNREACHABLE_NODE', 'w', { nodeId: 'a' }),
      diagnostic('INVALID_CONFIG', 'b', { nodeId: 'n', path: ['b'] }),
      diagnostic('INVALID_CONFIG', 'a', { nodeId: 'n', path: ['a'] }),
      diagnostic('INVALID_CONFIG', 'z', { nodeId: 'm', path: ['z'] }),
      diagnostic('NO_TRIGGER', 'x'),
    ];
    expect(sortDiagnostics(list).map((d) => d.message)).toEqual(['x', 'z', 'a', 'b', 'w']);
    expect(list[0]?.message).toBe('w');
  });

  it('summarizes and detects errors', () => {
    const list = [diagnostic('UNREACHABLE_NODE', 'w'), diagnostic('UNREACHABLE_NODE', 'v')];
    expect(hasErrors(list)).toBe(false);
    expect(summarize(list)).toEqual({ errors: 0, warnings: 2, byCode: { UNREACHABLE_NODE: 2 } });
    expect(hasErrors([...list, diagnostic('NO_TRIGGER', 'x')])).toBe(true);
    expect(summarize([])).toEqual({ errors: 0, warnings: 0, byCode: {} });
  });

  it('formats paths', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['options', 0, 'digit'])).toBe('options[0].digit');
    expect(formatPath([2, 'a'])).toBe('[2].a');
  });
});
