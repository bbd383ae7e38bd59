import { describe, expect, it } from 'vitest';
import { storableProblems, textProblem } from './storable';

describe('textProblem', () => {
  it('accepts any valid Unicode text, emoji, bidi marks and controls included', () => {
    for (const text of ['', 'plain', '中文', '👩‍👩‍👧‍👦', '\u202eevil', '\u0007\t\r\n', '\ud83d\ude00']) expect(textProblem(text), JSON.stringify(text)).toBeUndefined();
  });

  it('refuses NUL and unpaired surrogates, wherever they are', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    for (const text of ['\ud800', 'x\ud83d', '\ude00x', '\ude00\ud83d', '😀\udfff']) expect(textProblem(text), JSON.stringify(text)).toMatch(/surrogate/);
  });
});

describe('storableProblems', () => {
  it('names the path of every bad string, key or value', () => {
    const value = { name: 'ok', nodes: [{ id: 'n\u0000' }, { config: { 'k\ud800': 'v', list: ['fine', '\udc00'] } }] };
    expect(storableProblems(value, { maxDepth: 10 })).toEqual([
      { path: ['nodes', 0, 'id'], message: expect.stringMatching(/^text .*NUL/) },
      { path: ['nodes', 1, 'config', 'k\ud800'], message: expect.stringMatching(/^key .*surrogate/) },
      { path: ['nodes', 1, 'config', 'list', 1], message: expect.stringMatching(/^text .*surrogate/) },
    ]);
    expect(storableProblems({ a: [1, true, null, 'x', { b: 'y' }] }, { maxDepth: 10 })).toEqual([]);
  });

  it('refuses nesting deeper than maxDepth, once, without recursing into it', () => {
    let deep: unknown = 'bottom';
    // Deeper than JSON.stringify or a recursive walk could go.
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(storableProblems({ config: deep }, { maxDepth: 4 })).toEqual([{ path: ['config', 0, 0, 0], message: 'nested more than 4 levels deep' }]);
    expect(storableProblems([[['x']]], { maxDepth: 3 })).toEqual([]);
    expect(storableProblems([[[['x']]]], { maxDepth: 3 })).toHaveLength(1);
  });

  // Found by the tRPC fuzzing property (seed 663999073): `[,]` as an input made the check throw.
  it('walks sparse arrays and objects without a prototype', () => {
    const sparse: unknown[] = [];
    sparse[3] = '\u0000';
    expect(storableProblems([, ,], { maxDepth: 4 })).toEqual([]);
    expect(storableProblems(sparse, { maxDepth: 4 })).toEqual([{ path: [3], message: expect.stringMatching(/NUL/) }]);
    expect(storableProblems(Object.assign(Object.create(null), { a: '\ud800' }), { maxDepth: 4 })).toHaveLength(1);
    expect(storableProblems([new Date(0), new Map([['\u0000', 1]])], { maxDepth: 4 })).toEqual([]);
  });

  it('stops after maxProblems', () => {
    expect(storableProblems(Array.from({ length: 1000 }, () => '\u0000'), { maxDepth: 4, maxProblems: 5 })).toHaveLength(5);
  });
});
