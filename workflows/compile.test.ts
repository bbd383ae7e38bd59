import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type NodeSpec, type PortSpec, catalogOf } from './catalog';
import { compileFlow, validateFlow } from './compile';
import { DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode, summarize } from './diagnostics';
import type { FlowDocument, FlowEdge, FlowNode } from './document';
import { canonicalJson, compiledFlowHash } from './hash';

function spec<S extends z.ZodType>(
  s: Omit<NodeSpec, 'configSchema' | 'ports'> & { configSchema: S; ports(config: z.output<S>): readonly PortSpec[] },
): NodeSpec {
  return s;
}

const callIn = spec({
  type: 'call-in',
  version: 1,
  label: 'Incoming call',
  channels: ['voice'],
  trigger: 'voice',
  configSchema: z.object({}),
  ports: () => [{ id: 'start', required: true }],
  waitsForCaller: false,
});

const smsIn = spec({
  type: 'sms-in',
  version: 1,
  label: 'Incoming SMS',
  channels: ['sms'],
  trigger: 'sms',
  configSchema: z.object({}),
  ports: () => [{ id: 'start', required: true }],
  waitsForCaller: false,
});

const menu = spec({
  type: 'menu',
  version: 1,
  label: 'IVR menu',
  channels: ['voice'],
  configSchema: z.object({
    prompt: z.string().min(1),
    options: z.array(z.object({ digit: z.string().regex(/^[0-9]$/), label: z.string() })).min(1),
    timeoutSeconds: z.number().int().positive().default(5),
  }),
  ports: (config) => [...config.options.map((o) => ({ id: o.digit, required: true })), { id: 'timeout' }, { id: 'invalid' }],
  waitsForCaller: true,
});

const branch = spec({
  type: 'branch',
  version: 1,
  label: 'Condition',
  channels: ['voice', 'sms'],
  configSchema: z.object({ tag: z.string().min(1) }),
  ports: () => [{ id: 'matched', required: true }, { id: 'noMatch' }],
  waitsForCaller: false,
});

const sayV1 = spec({
  type: 'say',
  version: 1,
  label: 'Say',
  channels: ['voice', 'sms'],
  configSchema: z.object({ text: z.string() }),
  ports: () => [{ id: 'next' }],
  waitsForCaller: false,
});

const sayV2 = spec({
  type: 'say',
  version: 2,
  label: 'Say',
  channels: ['voice', 'sms'],
  configSchema: z.object({ text: z.string(), voice: z.enum(['alice', 'polly']).default('alice') }),
  ports: () => [{ id: 'next' }, { id: 'error' }],
  waitsForCaller: false,
});

const sendSms = spec({
  type: 'send-sms',
  version: 1,
  label: 'Send SMS',
  channels: ['sms'],
  configSchema: z.object({ body: z.string().min(1) }),
  ports: () => [{ id: 'sent' }],
  waitsForCaller: false,
});

const hangup = spec({
  type: 'hangup',
  version: 1,
  channels: ['voice', 'sms'],
  configSchema: z.object({}),
  ports: () => [],
  waitsForCaller: false,
});

// Registered newest-first on purpose: catalogOf must still select by typeVersion.
const catalog = catalogOf([sayV2, callIn, smsIn, menu, branch, sayV1, sendSms, hangup]);

function node(id: string, type: string, config: Record<string, unknown> = {}, extra: Partial<FlowNode> = {}): FlowNode {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, config, ...extra };
}

function edge(id: string, source: string, sourcePort: string, target: string): FlowEdge {
  return { id, source, sourcePort, target };
}

/** t → m (Main menu: 1, 2); m:1 → s (say v2); m:2 → b (branch); b:matched → h (hang up). Compiles cleanly. */
function base(): FlowDocument {
  return {
    format: 'switchboard.flow/1',
    name: 'Support line',
    nodes: [
      node('t', 'call-in'),
      node(
        'm',
        'menu',
        {
          prompt: 'Press 1 for sales, 2 for support',
          options: [
            { digit: '1', label: 'Sales' },
            { digit: '2', label: 'Support' },
          ],
        },
        { label: 'Main menu' },
      ),
      node('s', 'say', { text: 'Goodbye' }, { typeVersion: 2 }),
      node('b', 'branch', { tag: 'vip' }),
      node('h', 'hangup'),
    ],
    edges: [edge('e1', 't', 'start', 'm'), edge('e2', 'm', '1', 's'), edge('e3', 'm', '2', 'b'), edge('e4', 'b', 'matched', 'h')],
  };
}

function smsBase(): FlowDocument {
  return {
    format: 'switchboard.flow/1',
    name: 'Texts',
    nodes: [node('t', 'sms-in'), node('x', 'send-sms', { body: 'Hi' })],
    edges: [edge('e1', 't', 'start', 'x')],
  };
}

function edit(doc: FlowDocument, change: (doc: FlowDocument) => void): FlowDocument {
  change(doc);
  return doc;
}

type Where = Pick<Diagnostic, 'code' | 'nodeId' | 'edgeId' | 'path'>;

function where(diagnostics: readonly Diagnostic[], code: DiagnosticCode): Where[] {
  return diagnostics
    .filter((d) => d.code === code)
    .map(({ code: c, nodeId, edgeId, path }) => Object.fromEntries(Object.entries({ code: c, nodeId, edgeId, path }).filter(([, v]) => v !== undefined)) as Where);
}

interface Case {
  fail: () => unknown;
  expected: Where[];
  /** A fragment of the first diagnostic's message. */
  message?: string;
  pass: () => unknown;
}

// A Record so that a new code cannot be added without a failing and a passing case.
const cases: Record<DiagnosticCode, Case> = {
  DOCUMENT_INVALID: {
    fail: () => edit(base(), (d) => (d.nodes[1]!.typeVersion = 0)),
    expected: [{ code: 'DOCUMENT_INVALID', nodeId: 'm', path: ['nodes', 1, 'typeVersion'] }],
    message: 'nodes[1].typeVersion:',
    pass: base,
  },
  NO_TRIGGER: {
    fail: () => edit(base(), (d) => ((d.nodes = d.nodes.filter((n) => n.id !== 't')), (d.edges = d.edges.filter((e) => e.id !== 'e1')))),
    expected: [{ code: 'NO_TRIGGER' }],
    message: 'no trigger',
    pass: base,
  },
  MULTIPLE_TRIGGERS: {
    fail: () => edit(base(), (d) => (d.nodes.push(node('t2', 'call-in')), d.edges.push(edge('e9', 't2', 'start', 'm')))),
    expected: [
      { code: 'MULTIPLE_TRIGGERS', nodeId: 't' },
      { code: 'MULTIPLE_TRIGGERS', nodeId: 't2' },
    ],
    message: "Incoming call 't': a flow has exactly one trigger, this one has 2 (Incoming call 't', Incoming call 't2')",
    pass: base,
  },
  DUPLICATE_NODE_ID: {
    fail: () => edit(base(), (d) => d.nodes.push(node('h', 'hangup'))),
    expected: [{ code: 'DUPLICATE_NODE_ID', nodeId: 'h', path: ['nodes', 5] }],
    message: "Node id 'h' is used by more than one node",
    pass: base,
  },
  DUPLICATE_EDGE_ID: {
    fail: () => edit(base(), (d) => (d.edges[3]!.id = 'e1')),
    expected: [{ code: 'DUPLICATE_EDGE_ID', edgeId: 'e1', path: ['edges', 3] }],
    message: "Edge id 'e1' is used by more than one edge",
    pass: base,
  },
  UNKNOWN_NODE_TYPE: {
    fail: () => edit(base(), (d) => (d.nodes[4]!.type = 'teleport')),
    expected: [{ code: 'UNKNOWN_NODE_TYPE', nodeId: 'h', path: ['nodes', 4, 'type'] }],
    message: "Node 'h' has type 'teleport', which is not installed",
    pass: base,
  },
  UNKNOWN_NODE_VERSION: {
    fail: () => edit(base(), (d) => (d.nodes[2]!.typeVersion = 3)),
    expected: [{ code: 'UNKNOWN_NODE_VERSION', nodeId: 's', path: ['nodes', 2, 'typeVersion'] }],
    message: "Say 's' uses version 3, which is not installed (installed: 1, 2)",
    pass: base,
  },
  INVALID_CONFIG: {
    fail: () => edit(base(), (d) => ((d.nodes[1]!.config.options as { digit: string }[])[1]!.digit = 'x')),
    expected: [{ code: 'INVALID_CONFIG', nodeId: 'm', path: ['options', 1, 'digit'] }],
    message: "IVR menu 'Main menu': options[1].digit: ",
    pass: base,
  },
  PORT_NOT_CONNECTED: {
    fail: () => edit(base(), (d) => (d.edges = d.edges.filter((e) => e.id !== 'e3'))),
    expected: [{ code: 'PORT_NOT_CONNECTED', nodeId: 'm' }],
    message: "IVR menu 'Main menu': port '2' is not connected",
    // The menu's optional `timeout`/`invalid` and the say node's `next` stay unconnected in base().
    pass: base,
  },
  EDGE_MISSING_SOURCE: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 'ghost', 'next', 'h'))),
    expected: [{ code: 'EDGE_MISSING_SOURCE', edgeId: 'e9' }],
    message: "Edge 'e9' starts at node 'ghost', which does not exist",
    pass: () => edit(base(), (d) => d.edges.push(edge('e9', 's', 'next', 'h'))),
  },
  EDGE_MISSING_TARGET: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 's', 'next', 'ghost'))),
    expected: [{ code: 'EDGE_MISSING_TARGET', edgeId: 'e9' }],
    message: "Edge 'e9' leads to node 'ghost', which does not exist",
    pass: () => edit(base(), (d) => d.edges.push(edge('e9', 's', 'next', 'h'))),
  },
  EDGE_UNKNOWN_PORT: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 'm', '3', 'h'))),
    expected: [{ code: 'EDGE_UNKNOWN_PORT', nodeId: 'm', edgeId: 'e9' }],
    message: "IVR menu 'Main menu' has no port '3' (its ports: '1', '2', 'timeout', 'invalid'); edge 'e9' leaves by it",
    // Ports follow the config: a third option adds port '3'.
    pass: () =>
      edit(base(), (d) => {
        (d.nodes[1]!.config.options as unknown[]).push({ digit: '3', label: 'Billing' });
        d.edges.push(edge('e9', 'm', '3', 'h'));
      }),
  },
  PORT_MULTIPLE_EDGES: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 'm', '1', 'h'))),
    expected: [
      { code: 'PORT_MULTIPLE_EDGES', nodeId: 'm', edgeId: 'e2' },
      { code: 'PORT_MULTIPLE_EDGES', nodeId: 'm', edgeId: 'e9' },
    ],
    message: "IVR menu 'Main menu': port '1' is connected to 2 nodes ('h', 's'); a port leads to one node",
    // Many edges into one node, from different ports, are fine.
    pass: () => edit(base(), (d) => (d.edges.push(edge('e9', 'm', 'timeout', 'h')), d.edges.push(edge('e10', 's', 'next', 'h')))),
  },
  EDGE_INTO_TRIGGER: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 's', 'next', 't'))),
    expected: [{ code: 'EDGE_INTO_TRIGGER', nodeId: 't', edgeId: 'e9' }],
    message: "Edge 'e9' leads into Incoming call 't'; a trigger only starts the flow",
    pass: base,
  },
  UNREACHABLE_NODE: {
    fail: () => edit(base(), (d) => d.nodes.push(node('o', 'hangup', {}, { label: 'Orphan' }))),
    expected: [{ code: 'UNREACHABLE_NODE', nodeId: 'o' }],
    message: "hangup 'Orphan' cannot be reached from the trigger, so it never runs",
    pass: base,
  },
  SPINNING_CYCLE: {
    fail: () => edit(base(), (d) => d.edges.push(edge('e9', 'b', 'noMatch', 'b'))),
    expected: [{ code: 'SPINNING_CYCLE', nodeId: 'b' }],
    message: "Loop through Condition 'b' never waits for the caller",
    // The same loop through the menu waits for a key press each time round.
    pass: () => edit(base(), (d) => d.edges.push(edge('e9', 'b', 'noMatch', 'm'))),
  },
  CHANNEL_UNSUPPORTED: {
    fail: () => edit(base(), (d) => (d.nodes.push(node('x', 'send-sms', { body: 'Hi' })), d.edges.push(edge('e9', 's', 'next', 'x')))),
    expected: [{ code: 'CHANNEL_UNSUPPORTED', nodeId: 'x' }],
    message: "Send SMS 'x' does not work on voice (it supports sms)",
    pass: smsBase,
  },
};

describe('compileFlow: every diagnostic code', () => {
  it('has a case for every code', () => {
    expect(Object.keys(cases).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });

  describe.each(DIAGNOSTIC_CODES.map((code) => [code, cases[code]] as const))('%s', (code, c) => {
    it('is reported where the problem is', () => {
      const { diagnostics } = compileFlow(c.fail(), catalog);
      expect(where(diagnostics, code)).toEqual(c.expected);
      if (c.message) expect(diagnostics.find((d) => d.code === code)?.message).toContain(c.message);
    });

    it('is not reported when the problem is absent', () => {
      const { diagnostics } = compileFlow(c.pass(), catalog);
      expect(where(diagnostics, code)).toEqual([]);
    });
  });

  it('the passing documents compile without any diagnostic', () => {
    for (const c of Object.values(cases)) {
      const result = compileFlow(c.pass(), catalog);
      expect(result.diagnostics).toEqual([]);
      expect(result.compiled).toBeDefined();
    }
  });

  it('blocks compilation on every error and not on warnings', () => {
    for (const code of DIAGNOSTIC_CODES) {
      const result = compileFlow(cases[code].fail(), catalog);
      const severity = result.diagnostics.find((d) => d.code === code)?.severity;
      expect(severity).toBe(code === 'UNREACHABLE_NODE' ? 'warning' : 'error');
      expect(result.compiled === undefined).toBe(severity === 'error');
    }
  });
});

describe('compileFlow: DOCUMENT_INVALID', () => {
  it('reports a non-object at the root', () => {
    expect(where(compileFlow('not a flow', catalog).diagnostics, 'DOCUMENT_INVALID')).toEqual([{ code: 'DOCUMENT_INVALID', path: [] }]);
  });

  it('reports every zod issue with its path, and names the edge', () => {
    const doc = edit(base(), (d) => {
      (d as { format: string }).format = 'other';
      d.edges[2]!.sourcePort = '';
    });
    const { diagnostics, compiled } = compileFlow(doc, catalog);
    expect(compiled).toBeUndefined();
    expect(where(diagnostics, 'DOCUMENT_INVALID')).toEqual([
      { code: 'DOCUMENT_INVALID', path: ['format'] },
      { code: 'DOCUMENT_INVALID', edgeId: 'e3', path: ['edges', 2, 'sourcePort'] },
    ]);
  });

  it('stops at document errors without graph checks', () => {
    const doc = edit(base(), (d) => ((d.nodes[0]!.position as unknown) = null));
    expect(compileFlow(doc, catalog).diagnostics.map((d) => d.code)).toEqual(['DOCUMENT_INVALID']);
  });

  // Found by workflows/compile-fuzz.test.ts (seed -997842766): a trigger called `__proto__` compiled,
  // but `nodes['__proto__'] = …` set the program's prototype instead of adding a node, so the
  // stored program (JSON) had an entry that was none of its nodes.
  it('refuses `__proto__` as a node id, which a compiled program cannot hold', () => {
    const doc = edit(base(), (d) => {
      d.nodes[0]!.id = '__proto__';
      d.edges[0]!.source = '__proto__';
    });
    const { diagnostics, compiled } = compileFlow(doc, catalog);
    expect(compiled).toBeUndefined();
    expect(where(diagnostics, 'DOCUMENT_INVALID')).toEqual([{ code: 'DOCUMENT_INVALID', nodeId: '__proto__', path: ['nodes', 0, 'id'] }]);
    expect(diagnostics[0]?.message).toMatch(/__proto__/);
    // Other names of Object.prototype are ordinary own keys and stay allowed.
    const named = edit(base(), (d) => {
      d.nodes[0]!.id = 'constructor';
      d.edges[0]!.source = 'constructor';
    });
    expect(compileFlow(named, catalog).compiled?.entry).toBe('constructor');
  });

  // Found by server/flows/import-fuzz.int.test.ts (seed -1777926892): such documents compiled, or
  // parsed for import, and then the database refused them (`unsupported Unicode escape sequence`,
  // JSON.stringify's `Maximum call stack size exceeded`), a 500 for the designer.
  it('refuses text the database cannot store and configs nested absurdly deep, naming the place', () => {
    const nul = edit(base(), (d) => (d.nodes[2]!.config.text = 'Good\u0000bye'));
    expect(where(compileFlow(nul, catalog).diagnostics, 'DOCUMENT_INVALID')).toEqual([{ code: 'DOCUMENT_INVALID', nodeId: 's', path: ['nodes', 2, 'config', 'text'] }]);
    const surrogate = edit(base(), (d) => (d.nodes[1]!.label = 'Menu \ud83d'));
    expect(compileFlow(surrogate, catalog).diagnostics[0]).toMatchObject({ code: 'DOCUMENT_INVALID', path: ['nodes', 1, 'label'], message: expect.stringMatching(/surrogate/) });
    const key = edit(base(), (d) => (d.nodes[3]!.config['ta\u0000g'] = 'vip'));
    expect(compileFlow(key, catalog).diagnostics[0]).toMatchObject({ code: 'DOCUMENT_INVALID', path: ['nodes', 3, 'config', 'ta\u0000g'] });
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const nested = edit(base(), (d) => (d.nodes[3]!.config.extra = deep));
    const { diagnostics, compiled } = compileFlow(nested, catalog);
    expect(compiled).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'DOCUMENT_INVALID', nodeId: 'b', message: expect.stringMatching(/nested more than 32 levels deep/) })]);
    // Emoji (paired surrogates), bidi marks and other controls are fine.
    expect(compileFlow(edit(base(), (d) => (d.nodes[2]!.config.text = '👋 \u202e\u0007 bye')), catalog).compiled).toBeDefined();
  });
});

describe('compileFlow: no cascades', () => {
  it('does not check ports of a node whose type is unknown or whose config is invalid', () => {
    const doc = edit(base(), (d) => {
      d.nodes[1]!.config.prompt = '';
      d.nodes[3]!.type = 'teleport';
      d.edges.push(edge('e9', 'm', 'nope', 'h'), edge('e10', 'b', 'nope', 'h'));
    });
    expect(compileFlow(doc, catalog).diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_NODE_TYPE', 'INVALID_CONFIG']);
  });

  it('reports one INVALID_CONFIG per zod issue', () => {
    const doc = edit(base(), (d) => (d.nodes[1]!.config = { options: [], timeoutSeconds: -1 }));
    expect(where(compileFlow(doc, catalog).diagnostics, 'INVALID_CONFIG')).toEqual([
      { code: 'INVALID_CONFIG', nodeId: 'm', path: ['options'] },
      { code: 'INVALID_CONFIG', nodeId: 'm', path: ['prompt'] },
      { code: 'INVALID_CONFIG', nodeId: 'm', path: ['timeoutSeconds'] },
    ]);
  });

  it('reports a dangling edge once, not also as an unknown port', () => {
    const doc = edit(base(), (d) => d.edges.push(edge('e9', 'ghost', 'nope', 'ghost2')));
    expect(compileFlow(doc, catalog).diagnostics.map((d) => [d.code, d.edgeId])).toEqual([
      ['EDGE_MISSING_SOURCE', 'e9'],
      ['EDGE_MISSING_TARGET', 'e9'],
    ]);
  });

  it('reports no unreachable nodes when there is no trigger', () => {
    const doc = edit(base(), (d) => (d.nodes[0]!.type = 'teleport'));
    expect(compileFlow(doc, catalog).diagnostics.map((d) => d.code)).toEqual(['NO_TRIGGER', 'UNKNOWN_NODE_TYPE']);
  });

  it('counts a node reachable from any trigger as reachable when there are several', () => {
    const doc = edit(base(), (d) => {
      d.nodes.push(node('t2', 'call-in'), node('x', 'hangup'));
      d.edges.push(edge('e9', 't2', 'start', 'x'));
    });
    expect(where(compileFlow(doc, catalog).diagnostics, 'UNREACHABLE_NODE')).toEqual([]);
  });
});

describe('compileFlow: SPINNING_CYCLE', () => {
  it('reports a loop of several nodes once, naming them all', () => {
    const doc = edit(base(), (d) => {
      d.nodes.push(node('s1', 'say', { text: 'again' }));
      d.edges.push(edge('e9', 'b', 'noMatch', 's1'), edge('e10', 's1', 'next', 'b'));
    });
    const spinning = compileFlow(doc, catalog).diagnostics.filter((d) => d.code === 'SPINNING_CYCLE');
    expect(spinning).toHaveLength(1);
    expect(spinning[0]?.nodeId).toBe('b');
    expect(spinning[0]?.message).toBe(
      "Loop through Condition 'b' → Say 's1' never waits for the caller, so it would spin forever; put a prompt or menu in it",
    );
  });

  it('reports each separate loop', () => {
    const doc = edit(base(), (d) => {
      d.edges.push(edge('e9', 'b', 'noMatch', 'b'), edge('e10', 's', 'next', 's'));
    });
    expect(where(compileFlow(doc, catalog).diagnostics, 'SPINNING_CYCLE')).toEqual([
      { code: 'SPINNING_CYCLE', nodeId: 'b' },
      { code: 'SPINNING_CYCLE', nodeId: 's' },
    ]);
  });

  it('finds a loop that bypasses the waiting node of a larger loop', () => {
    // m → b → s1 → m waits at the menu, but b ⇄ s1 spins without it.
    const doc = edit(base(), (d) => {
      d.nodes.push(node('s1', 'say', { text: 'again' }, { typeVersion: 2 }));
      d.edges.push(edge('e9', 'b', 'noMatch', 's1'), edge('e10', 's1', 'next', 'm'), edge('e11', 's1', 'error', 'b'));
    });
    expect(where(compileFlow(doc, catalog).diagnostics, 'SPINNING_CYCLE')).toEqual([{ code: 'SPINNING_CYCLE', nodeId: 'b' }]);
  });
});

describe('compileFlow: CHANNEL_UNSUPPORTED', () => {
  it('uses the trigger channel: a voice-only node in an SMS flow', () => {
    const doc = edit(smsBase(), (d) => {
      d.nodes.push(node('m', 'menu', { prompt: 'Pick', options: [{ digit: '1', label: 'A' }] }));
      d.edges.push(edge('e2', 'x', 'sent', 'm'), edge('e3', 'm', '1', 'x'));
    });
    expect(where(compileFlow(doc, catalog).diagnostics, 'CHANNEL_UNSUPPORTED')).toEqual([{ code: 'CHANNEL_UNSUPPORTED', nodeId: 'm' }]);
  });
});

describe('compileFlow: compiled program', () => {
  it('lowers the document to the compiled shape, with config defaults applied', () => {
    const { diagnostics, compiled } = compileFlow(base(), catalog);
    expect(diagnostics).toEqual([]);
    expect(compiled).toEqual({
      format: 'switchboard.compiled/1',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      name: 'Support line',
      channel: 'voice',
      entry: 't',
      nodes: {
        t: { id: 't', type: 'call-in', typeVersion: 1, typeLabel: 'Incoming call', config: {}, next: { start: 'm' } },
        m: {
          id: 'm',
          type: 'menu',
          typeVersion: 1,
          label: 'Main menu',
          typeLabel: 'IVR menu',
          config: {
            prompt: 'Press 1 for sales, 2 for support',
            options: [
              { digit: '1', label: 'Sales' },
              { digit: '2', label: 'Support' },
            ],
            timeoutSeconds: 5,
          },
          next: { '1': 's', '2': 'b', timeout: null, invalid: null },
        },
        s: { id: 's', type: 'say', typeVersion: 2, typeLabel: 'Say', config: { text: 'Goodbye', voice: 'alice' }, next: { next: null, error: null } },
        b: { id: 'b', type: 'branch', typeVersion: 1, typeLabel: 'Condition', config: { tag: 'vip' }, next: { matched: 'h', noMatch: null } },
        h: { id: 'h', type: 'hangup', typeVersion: 1, config: {}, next: {} },
      },
    });
    expect('label' in (compiled?.nodes.t ?? {})).toBe(false);
  });

  it('selects the node type version by typeVersion', () => {
    const doc = edit(base(), (d) => (d.nodes[2]!.typeVersion = 1));
    const s = compileFlow(doc, catalog).compiled?.nodes.s;
    expect(s).toEqual({ id: 's', type: 'say', typeVersion: 1, typeLabel: 'Say', config: { text: 'Goodbye' }, next: { next: null } });

    const v1Port = edit(base(), (d) => ((d.nodes[2]!.typeVersion = 1), d.edges.push(edge('e9', 's', 'error', 'h'))));
    expect(where(compileFlow(v1Port, catalog).diagnostics, 'EDGE_UNKNOWN_PORT')).toEqual([{ code: 'EDGE_UNKNOWN_PORT', nodeId: 's', edgeId: 'e9' }]);
    const v2Port = edit(base(), (d) => d.edges.push(edge('e9', 's', 'error', 'h')));
    expect(compileFlow(v2Port, catalog).compiled?.nodes.s?.next).toEqual({ next: null, error: 'h' });
  });

  it('keeps explicit config values over defaults', () => {
    const doc = edit(base(), (d) => ((d.nodes[1]!.config.timeoutSeconds = 9), (d.nodes[2]!.config.voice = 'polly')));
    const { compiled } = compileFlow(doc, catalog);
    expect(compiled?.nodes.m?.config).toMatchObject({ timeoutSeconds: 9 });
    expect(compiled?.nodes.s?.config).toEqual({ text: 'Goodbye', voice: 'polly' });
  });

  it('leaves unreachable nodes out but still compiles', () => {
    const doc = edit(base(), (d) => {
      d.nodes.push(node('o', 'say', { text: 'never' }), node('o2', 'hangup'));
      d.edges.push(edge('e9', 'o', 'next', 'o2'));
    });
    const { diagnostics, compiled } = compileFlow(doc, catalog);
    expect(diagnostics.map((d) => [d.code, d.severity, d.nodeId])).toEqual([
      ['UNREACHABLE_NODE', 'warning', 'o'],
      ['UNREACHABLE_NODE', 'warning', 'o2'],
    ]);
    expect(Object.keys(compiled?.nodes ?? {})).toEqual(['t', 'm', 's', 'b', 'h']);
  });

  it('compiles an SMS flow on the sms channel', () => {
    const { compiled } = compileFlow(smsBase(), catalog);
    expect(compiled).toMatchObject({ channel: 'sms', entry: 't', nodes: { x: { next: { sent: null } } } });
  });

  it('does not change its input', () => {
    const doc = base();
    const before = structuredClone(doc);
    compileFlow(doc, catalog);
    expect(doc).toEqual(before);
  });
});

describe('compileFlow: hash', () => {
  it('is the sha-256 of the canonical JSON of the program without the hash', () => {
    const compiled = compileFlow(base(), catalog).compiled;
    if (!compiled) throw new Error('expected a compiled flow');
    const { hash, ...body } = compiled;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex'));
    expect(compiledFlowHash(compiled)).toBe(hash);
  });

  it('is stable: same program, same hash, whatever the key order, positions or description', () => {
    const a = compileFlow(base(), catalog).compiled?.hash;
    const reordered = JSON.parse(
      JSON.stringify(base(), (_key, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
      ),
    ) as FlowDocument;
    expect(Object.keys(reordered)[0]).toBe('edges');
    const moved = edit(base(), (d) => {
      d.nodes[1]!.position = { x: 400, y: 80 };
      d.description = 'changed on the canvas only';
    });
    expect(compileFlow(reordered, catalog).compiled?.hash).toBe(a);
    expect(compileFlow(moved, catalog).compiled?.hash).toBe(a);
    expect(compileFlow(base(), catalog).compiled?.hash).toBe(a);
  });

  it('changes when the program changes', () => {
    const a = compileFlow(base(), catalog).compiled?.hash;
    const config = edit(base(), (d) => (d.nodes[2]!.config.text = 'Bye'));
    const defaultsSpelledOut = edit(base(), (d) => (d.nodes[2]!.config.voice = 'alice'));
    const wiring = edit(base(), (d) => d.edges.push(edge('e9', 'm', 'timeout', 'h')));
    const name = edit(base(), (d) => (d.name = 'Sales line'));
    expect(compileFlow(config, catalog).compiled?.hash).not.toBe(a);
    expect(compileFlow(wiring, catalog).compiled?.hash).not.toBe(a);
    expect(compileFlow(name, catalog).compiled?.hash).not.toBe(a);
    // The parsed config is what is hashed, so writing a default out does not change the program.
    expect(compileFlow(defaultsSpelledOut, catalog).compiled?.hash).toBe(a);
  });
});

describe('compileFlow: diagnostics order', () => {
  function messy(reverse: boolean): FlowDocument {
    const doc = edit(base(), (d) => {
      d.nodes.push(node('o', 'hangup'), node('x', 'teleport'), node('y', 'say', { text: 1 }));
      d.edges.push(edge('e9', 'ghost', 'next', 'h'), edge('e10', 'm', '1', 'h'), edge('e11', 's', 'next', 't'));
      d.edges = d.edges.filter((e) => e.id !== 'e4');
    });
    if (reverse) {
      doc.nodes.reverse();
      doc.edges.reverse();
    }
    return doc;
  }

  it('sorts errors first, then by code and location, independent of document order', () => {
    // The extra edge e10 (m:1 → h) still counts for reachability, so h is not reported unreachable.
    const forward = compileFlow(messy(false), catalog).diagnostics;
    expect(forward.map((d) => [d.code, d.nodeId, d.edgeId])).toEqual([
      ['UNKNOWN_NODE_TYPE', 'x', undefined],
      ['INVALID_CONFIG', 'y', undefined],
      ['PORT_NOT_CONNECTED', 'b', undefined],
      ['EDGE_MISSING_SOURCE', undefined, 'e9'],
      ['PORT_MULTIPLE_EDGES', 'm', 'e10'],
      ['PORT_MULTIPLE_EDGES', 'm', 'e2'],
      ['EDGE_INTO_TRIGGER', 't', 'e11'],
      ['UNREACHABLE_NODE', 'o', undefined],
      ['UNREACHABLE_NODE', 'x', undefined],
      ['UNREACHABLE_NODE', 'y', undefined],
    ]);
    const backward = compileFlow(messy(true), catalog).diagnostics;
    // Only the document paths of UNKNOWN_NODE_TYPE differ; everything else matches exactly.
    const strip = (ds: Diagnostic[]) => ds.map((d) => (d.code === 'UNKNOWN_NODE_TYPE' ? { ...d, path: undefined } : d));
    expect(strip(backward)).toEqual(strip(forward));
  });

  it('validateFlow returns the same diagnostics and summarize counts them', () => {
    const diagnostics = validateFlow(messy(false), catalog);
    expect(diagnostics).toEqual(compileFlow(messy(false), catalog).diagnostics);
    expect(summarize(diagnostics)).toEqual({
      errors: 7,
      warnings: 3,
      byCode: {
        UNKNOWN_NODE_TYPE: 1,
        INVALID_CONFIG: 1,
        PORT_NOT_CONNECTED: 1,
        EDGE_MISSING_SOURCE: 1,
        PORT_MULTIPLE_EDGES: 2,
        EDGE_INTO_TRIGGER: 1,
        UNREACHABLE_NODE: 3,
      },
    });
  });
});
