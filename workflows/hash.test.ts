import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, compiledFlowHash, sha256Hex } from './hash';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('matches the FIPS 180-4 vector for %j', (text, expected) => {
    expect(sha256Hex(text)).toBe(expected);
    expect(nodeSha256(text)).toBe(expected);
  });

  it.each([
    ['Chinese', '您好，欢迎致电客服中心'],
    ['emoji (astral plane)', 'call me 📞 later'],
    ['mixed scripts', 'Ünïcödé – ελληνικά – 中文'],
    ['a lone surrogate, encoded as U+FFFD', 'a\ud800b'],
  ])('matches node:crypto on UTF-8 text: %s', (_name, text) => {
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it('matches node:crypto at every length around the block and padding boundaries', () => {
    for (let length = 0; length <= 130; length++) {
      const text = 'x'.repeat(length);
      expect(sha256Hex(text), `length ${length}`).toBe(nodeSha256(text));
    }
  });

  it('matches node:crypto on a long input', () => {
    const text = '客服'.repeat(50_000);
    expect(sha256Hex(text)).toBe(nodeSha256(text));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and ignores insertion order', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('follows JSON.stringify for scalars and missing values', () => {
    expect(canonicalJson({ u: undefined, f: () => 1, n: null, s: '"中"\n', t: true, x: -0, big: 1e21 })).toBe(
      '{"big":1e+21,"n":null,"s":"\\"中\\"\\n","t":true,"x":0}',
    );
    expect(canonicalJson([undefined, Number.NaN, Infinity])).toBe('[null,null,null]');
    expect(canonicalJson(new Date(Date.UTC(2024, 0, 2)))).toBe('"2024-01-02T00:00:00.000Z"');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('rejects a bigint, which has no JSON form', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('is parseable JSON equal to the input', () => {
    const value = { nodes: { b: { next: { '2': null, '1': 'a' } } }, name: 'x' };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe('compiledFlowHash', () => {
  const program = {
    format: 'switchboard.compiled/1' as const,
    name: 'n',
    channel: 'voice' as const,
    entry: 't',
    nodes: { t: { id: 't', type: 'call-in', typeVersion: 1, config: {}, next: { start: null } } },
  };

  it('hashes the canonical JSON and ignores an existing hash field', () => {
    const hash = compiledFlowHash(program);
    expect(hash).toBe(nodeSha256(canonicalJson(program)));
    expect(compiledFlowHash({ ...program, hash: 'stale' })).toBe(hash);
    expect(compiledFlowHash({ ...program, name: 'm' })).not.toBe(hash);
  });
});
