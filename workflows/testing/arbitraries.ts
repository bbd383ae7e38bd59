import fc from 'fast-check';
import type { Channel, NodeSpec } from '../catalog';

/**
 * fast-check generators for the fuzzing properties (issue 10): hostile strings and values, and flow
 * documents built from real node types' defaults, then mutated. Pure and seeded by fast-check only,
 * so a failing seed replays the same input. It imports nothing app-specific: tests pass the node
 * types in as templates.
 */

// ---------------------------------------------------------------------------------------------
// Strings and values

/** Characters that break naive code: NUL, controls, bidi marks, lone surrogates, combining marks, emoji. */
export const ODD_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\r\n',
  '\t',
  '\u200b', // zero-width space
  '\u200e', // left-to-right mark
  '\u200f', // right-to-left mark
  '\u202e', // right-to-left override
  '\u2028', // line separator (invalid in pre-2019 JS string literals)
  '\ufeff', // byte order mark
  '\ufffd',
  '\ufffe',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u0301', // combining acute accent
  '😀',
  '👩‍👩‍👧‍👦',
  '🇨🇳',
  '中文',
  'ﷺ',
  'İ',
  'ß',
] as const;

/** Strings with a meaning somewhere: prototype keys, templates, markup, numbers, paths. */
export const ODD_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '{{customer.firstName}}',
  '{{vars.__proto__}}',
  '{{',
  '}}',
  '<Say>hi</Say>',
  ']]>',
  '<?xml version="1.0"?>',
  '&amp;&lt;&#0;',
  '"\'`',
  '\\',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x10',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '%',
  '+15005550100',
  'DROP TABLE flows; --',
  "' OR 1=1 --",
  '%_\\',
] as const;

/** One "character": mostly ordinary, sometimes one of the odd ones. */
export const oddUnit: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_CHARACTERS) });

/** Strings a hostile or careless client could send, short and long. */
export function oddString(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: oddUnit, maxLength }) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_CHARACTERS) },
    { weight: 1, arbitrary: fc.string({ maxLength }) },
  );
}

/** A string far longer than any field allows (up to 100,000 characters). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2_000, max: 200_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '{{', ' '))
  .map(([length, char]) => char.repeat(Math.ceil(length / char.length)));

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` levels. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** An object whose own keys are prototype names, as JSON.parse makes them (no prototype is changed). */
export function prototypeKeys(inner: unknown): Record<string, unknown> {
  return JSON.parse(`{"__proto__":${JSON.stringify(inner) ?? 'null'},"constructor":{"prototype":{"polluted":true}},"toString":"x"}`) as Record<string, unknown>;
}

/** Numbers that are not quite numbers: NaN, infinities, -0, floats where integers go, huge and tiny. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 0.5, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double(),
);

/** Any value of the wrong shape: primitives, odd numbers and strings, deep nesting, prototype keys, JSON. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, [], {}, [null], { '': '' }) },
  { weight: 3, arbitrary: oddNumber },
  { weight: 3, arbitrary: oddString() },
  { weight: 1, arbitrary: hugeString },
  // Deeper values than this cannot even be copied with structuredClone; flowJsonArbitrary splices deeper ones into text.
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 50, max: 1_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nested(depth, kind)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(prototypeKeys) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(oddString(), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(oddString(12), fc.oneof(oddString(), oddNumber), { maxKeys: 4 }) },
);

/** Anything at all, including values JSON cannot hold (dates, maps, sparse arrays, null prototypes). */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ key: oddString(12), maxDepth: 4, withNullPrototype: true, withDate: true, withMap: true, withSet: true, withSparseArray: true, withBoxedValues: true, withTypedArray: true }),
  oddValue,
);

// ---------------------------------------------------------------------------------------------
// Flow documents

/** What the generator needs to know about one node type version. */
export interface NodeTemplate {
  type: string;
  version: number;
  channels: readonly Channel[];
  trigger?: Channel;
  /** Config a freshly dropped node starts with (the definition's `defaults`). */
  defaults: unknown;
  /** Port ids with the default config; `required` ones must be connected. */
  ports: readonly { id: string; required?: boolean }[];
}

/** Templates from node definitions (`nodeDefinitions`): their defaults and the ports those give. */
export function templatesOf(definitions: readonly (NodeSpec & { defaults: unknown })[]): NodeTemplate[] {
  return definitions.map((definition) => ({
    type: definition.type,
    version: definition.version,
    channels: definition.channels,
    trigger: definition.trigger,
    defaults: definition.defaults,
    ports: definition.ports(definition.configSchema.parse(definition.defaults) as never),
  }));
}

interface Plan {
  channel: Channel;
  /** Indexes into the body templates, one per body node. */
  picks: number[];
  /** Choices consumed in order (cyclically) while wiring, so the document is a function of the plan. */
  choices: number[];
  /** Node id style: plain ids, or ids with odd characters (starting at this index of ODD_CHARACTERS). */
  oddIds: number | null;
}

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  channel: fc.constantFrom<Channel>('voice', 'sms'),
  picks: fc.array(fc.nat(), { maxLength: 10 }),
  choices: fc.array(fc.nat(), { minLength: 1, maxLength: 48 }),
  oddIds: fc.option(fc.nat(), { freq: 2 }),
});

/** A copy, so mutating the document never touches the template or a value fast-check may replay. */
const clone = <T>(value: T): T => structuredClone(value);

/**
 * A document that usually compiles: one trigger for the channel, nodes of types that support it
 * with their defaults, every node but the first wired from an earlier node's free port (so it is
 * reachable), leftover required ports wired forward, and a final node without ports. Forward edges
 * only, so no cycle: mutations add those.
 */
function buildDocument(plan: Plan, templates: readonly NodeTemplate[]): Record<string, unknown> {
  let next = 0;
  const choose = (n: number) => (n <= 0 ? 0 : plan.choices[next++ % plan.choices.length]! % n);
  const triggers = templates.filter((t) => t.trigger === plan.channel);
  const body = templates.filter((t) => t.trigger === undefined && t.channels.includes(plan.channel));
  const terminals = body.filter((t) => t.ports.length === 0);
  const chosen = [triggers[choose(triggers.length)], ...plan.picks.map((pick) => body[pick % body.length])];
  if (terminals.length > 0) chosen.push(terminals[choose(terminals.length)]);
  const kinds = chosen.filter((t): t is NodeTemplate => t !== undefined);

  const idOf = (index: number) => (plan.oddIds === null ? `n${index}` : `n${index} ${ODD_CHARACTERS[(plan.oddIds + index) % ODD_CHARACTERS.length]}`);
  const nodes = kinds.map((template, index) => ({
    id: idOf(index),
    type: template.type,
    typeVersion: template.version,
    position: { x: index * 200, y: choose(400) },
    config: clone(template.defaults ?? {}),
  }));

  const used = kinds.map(() => new Set<string>());
  const edges: { id: string; source: string; sourcePort: string; target: string }[] = [];
  const wire = (source: number, port: string, target: number) => {
    used[source]!.add(port);
    edges.push({ id: `e${edges.length}`, source: idOf(source), sourcePort: port, target: idOf(target) });
  };
  for (let target = 1; target < kinds.length; target++) {
    const parents = kinds.flatMap((template, source) => (source < target ? template.ports.filter((p) => !used[source]!.has(p.id)).map((p) => [source, p.id] as const) : []));
    if (parents.length === 0) continue;
    const [source, port] = parents[choose(parents.length)]!;
    wire(source, port, target);
  }
  kinds.forEach((template, source) => {
    for (const port of template.ports) {
      if (used[source]!.has(port.id) || source === kinds.length - 1) continue;
      // Optional ports stay open half of the time: an open port ends the run there.
      if (port.required || choose(2) === 0) wire(source, port.id, source + 1 + choose(kinds.length - source - 1));
    }
  });
  return { format: 'switchboard.flow/1', name: `Fuzz ${plan.channel} flow`, nodes, edges };
}

// Mutations: each takes the document apart a little. `at` picks an item (modulo the list length).

type Mutation =
  | { kind: 'deleteNode' | 'duplicateNode' | 'deleteEdge' | 'duplicateEdge' | 'deleteConfigField' | 'cycle'; at: number }
  | { kind: 'renameNode' | 'renameNodeEverywhere' | 'retargetEdge' | 'moveEdgeSource' | 'renamePort'; at: number; to: string }
  | { kind: 'swapType'; at: number; template: number }
  | { kind: 'unknownType'; at: number; to: string }
  | { kind: 'setVersion'; at: number; to: unknown }
  | { kind: 'corruptConfig'; at: number; field: number; to: unknown }
  | { kind: 'corruptNode'; at: number; key: 'id' | 'type' | 'typeVersion' | 'position' | 'label' | 'config'; to: unknown }
  | { kind: 'corruptEdge'; at: number; key: 'id' | 'source' | 'sourcePort' | 'target'; to: unknown }
  | { kind: 'corruptDocument'; key: 'format' | 'name' | 'description' | 'nodes' | 'edges'; to: unknown }
  | { kind: 'addKey'; where: 'document' | 'node' | 'config' | 'edge'; at: number; key: string; to: unknown };

const at = fc.nat();
const idLike = fc.oneof(oddString(20), fc.constantFrom('n0', 'n1', 'n2', 'missing', '__proto__', 'constructor'));

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('deleteNode', 'duplicateNode', 'deleteEdge', 'duplicateEdge', 'deleteConfigField'), at }),
  fc.record({ kind: fc.constant('cycle'), at }),
  fc.record({ kind: fc.constantFrom('renameNode', 'renameNodeEverywhere', 'retargetEdge', 'moveEdgeSource', 'renamePort'), at, to: idLike }),
  fc.record({ kind: fc.constant('swapType'), at, template: fc.nat() }),
  fc.record({ kind: fc.constant('unknownType'), at, to: fc.oneof(oddString(20), fc.constantFrom('no-such-type', 'Say', 'say ', 'ivr-menu@2')) }),
  fc.record({ kind: fc.constant('setVersion'), at, to: fc.oneof(oddNumber, fc.constantFrom<unknown>('1', null, 2, 99)) }),
  fc.record({ kind: fc.constant('corruptConfig'), at, field: fc.nat(), to: oddValue }),
  fc.record({ kind: fc.constant('corruptNode'), at, key: fc.constantFrom('id', 'type', 'typeVersion', 'position', 'label', 'config'), to: oddValue }),
  fc.record({ kind: fc.constant('corruptEdge'), at, key: fc.constantFrom('id', 'source', 'sourcePort', 'target'), to: oddValue }),
  fc.record({ kind: fc.constant('corruptDocument'), key: fc.constantFrom('format', 'name', 'description', 'nodes', 'edges'), to: oddValue }),
  fc.record({ kind: fc.constant('addKey'), where: fc.constantFrom('document', 'node', 'config', 'edge'), at, key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', ''), to: oddValue }),
);

type Item = Record<string, unknown>;

const isItem = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (document: Item, key: 'nodes' | 'edges'): Item[] => (Array.isArray(document[key]) ? (document[key] as unknown[]).filter(isItem) : []);
const pick = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);

/** Sets `key` as an own property, even `__proto__` (an assignment would change the prototype instead). */
function put(target: Item, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value: clone(value), enumerable: true, writable: true, configurable: true });
}

/** Every (object, key) pair inside a config, depth first: the places a field can be corrupted. */
function slots(config: unknown, out: [Item | unknown[], string | number][] = [], depth = 0): [Item | unknown[], string | number][] {
  if (depth > 6 || typeof config !== 'object' || config === null) return out;
  const entries: [string | number, unknown][] = Array.isArray(config) ? config.map((value, index) => [index, value]) : Object.entries(config);
  for (const [key, value] of entries) {
    out.push([config as Item | unknown[], key]);
    slots(value, out, depth + 1);
  }
  return out;
}

function mutate(document: Item, mutation: Mutation, templates: readonly NodeTemplate[]): void {
  const nodes = list(document, 'nodes');
  const edges = list(document, 'edges');
  const node = 'at' in mutation ? pick(nodes, mutation.at) : undefined;
  const edge = 'at' in mutation ? pick(edges, mutation.at) : undefined;
  switch (mutation.kind) {
    case 'deleteNode':
      if (node && Array.isArray(document.nodes)) document.nodes = document.nodes.filter((n) => n !== node);
      return;
    case 'duplicateNode':
      if (node && Array.isArray(document.nodes)) document.nodes.push(clone(node));
      return;
    case 'deleteEdge':
      if (edge && Array.isArray(document.edges)) document.edges = document.edges.filter((e) => e !== edge);
      return;
    case 'duplicateEdge':
      if (edge && Array.isArray(document.edges)) document.edges.push(clone(edge));
      return;
    case 'deleteConfigField': {
      const slot = node && pick(slots(node.config), mutation.at);
      if (slot && Array.isArray(slot[0])) slot[0].splice(slot[1] as number, 1);
      else if (slot) delete (slot[0] as Item)[slot[1]];
      return;
    }
    case 'cycle': {
      // An edge from a later node back to an earlier one: a loop, spinning unless a waiting node is in it.
      const from = pick(nodes, mutation.at);
      const to = pick(nodes, Math.floor(mutation.at / 7));
      const port = from && pick(templates.find((t) => t.type === from.type)?.ports ?? [], mutation.at);
      if (from && to && port && Array.isArray(document.edges)) document.edges.push({ id: `cycle${mutation.at}`, source: from.id, sourcePort: port.id, target: to.id });
      return;
    }
    case 'renameNode':
      if (node) node.id = mutation.to;
      return;
    case 'renameNodeEverywhere':
      // A designer's odd but consistent choice of id: the edges follow, so the flow may still compile.
      if (node) {
        for (const e of edges) {
          if (e.source === node.id) e.source = mutation.to;
          if (e.target === node.id) e.target = mutation.to;
        }
        node.id = mutation.to;
      }
      return;
    case 'retargetEdge':
      if (edge) edge.target = mutation.to;
      return;
    case 'moveEdgeSource':
      if (edge) edge.source = mutation.to;
      return;
    case 'renamePort':
      if (edge) edge.sourcePort = mutation.to;
      return;
    case 'swapType': {
      const template = pick(templates, mutation.template);
      if (node && template) {
        node.type = template.type;
        node.typeVersion = template.version;
      }
      return;
    }
    case 'unknownType':
      if (node) node.type = mutation.to;
      return;
    case 'setVersion':
      if (node) node.typeVersion = mutation.to;
      return;
    case 'corruptConfig': {
      const slot = node && pick(slots(node.config), mutation.field);
      if (slot && Array.isArray(slot[0])) slot[0][slot[1] as number] = clone(mutation.to);
      else if (slot) put(slot[0] as Item, slot[1] as string, mutation.to);
      else if (node) node.config = clone(mutation.to);
      return;
    }
    case 'corruptNode':
      if (node) put(node, mutation.key, mutation.to);
      return;
    case 'corruptEdge':
      if (edge) put(edge, mutation.key, mutation.to);
      return;
    case 'corruptDocument':
      put(document, mutation.key, mutation.to);
      return;
    case 'addKey': {
      const target = mutation.where === 'document' ? document : mutation.where === 'node' ? node : mutation.where === 'edge' ? edge : node?.config;
      if (isItem(target)) put(target, mutation.key, mutation.to);
      return;
    }
    default: {
      const unknown: never = mutation;
      throw new Error(`unknown mutation ${JSON.stringify(unknown)}`);
    }
  }
}

/** Valid documents (about a fifth of them) and documents with up to `maxMutations` mutations. */
export function flowDocumentArbitrary(templates: readonly NodeTemplate[], maxMutations = 4): fc.Arbitrary<Record<string, unknown>> {
  const mutations = fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 4, arbitrary: fc.array(mutationArbitrary, { minLength: 1, maxLength: maxMutations }) });
  return fc.tuple(planArbitrary, mutations).map(([plan, list]) => {
    const document = buildDocument(plan, templates);
    for (const mutation of list) mutate(document, mutation, templates);
    return document;
  });
}

/** `[[[…]]]` or `{"a":{"a":…}}` as JSON text, `depth` levels deep: deeper than JSON.stringify can write. */
export function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * A generated document in memory (with NaN, undefined, prototype keys…) and as a flow file, its
 * JSON. With `deep`, the file also has a value nested far deeper than any config needs spliced into
 * the first node's config: JSON.parse reads it, JSON.stringify and recursive code overflow on it.
 */
export function flowFileArbitrary(templates: readonly NodeTemplate[], options: { deep?: boolean } = {}): fc.Arbitrary<{ document: Record<string, unknown>; json: string }> {
  const deep = options.deep ? fc.tuple(fc.integer({ min: 1_000, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const)) : fc.constant(null);
  return fc.tuple(flowDocumentArbitrary(templates), deep).map(([document, nesting]) => {
    const json = JSON.stringify(document);
    const file = nesting === null ? json : json.replace(/"config":\{(\}?)/, (_, empty: string) => `"config":{"deep":${nestedJson(...nesting)}${empty ? '}' : ','}`);
    return Object.assign({ document, json: file }, { [fc.toStringMethod]: () => describeFile(file) });
  });
}

/** How a failing file is printed: its start and its size, not megabytes of brackets. */
function describeFile(json: string): string {
  return json.length <= 4_000 ? `file ${JSON.stringify(json)}` : `file of ${json.length} characters starting ${JSON.stringify(json.slice(0, 2_000))}…`;
}
