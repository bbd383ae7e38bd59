import { type Comparison, type Condition, COMPARISONS, type COUNTED, type Leaf, type TagRuleInput, tagRuleInputSchema } from '@/server/tags/rules';

/**
 * The tag-rule form's state: the rule as the inputs hold it (numbers as the text typed, keywords
 * as one comma-separated line) and the condition as a tree of groups and rows with ids for React.
 * `buildRule` turns it into the JSON the server takes and `validateDraft` checks that with the
 * server's own schema, pointing each issue at the group or row it concerns.
 */

export type Fact = Leaf['fact'];
/** The order the fact picker offers them in. */
export const FACTS: Fact[] = ['keyword', 'count', 'spend', 'days-since-last-order', 'tag', 'attribute', 'score', 'age'];
export type AttributeOp = Comparison | 'contains' | 'exists';
export const ATTRIBUTE_OPS: AttributeOp[] = [...COMPARISONS, 'contains', 'exists'];
export type Counted = (typeof COUNTED)[number];
/** "None of" is `{ not: … }`: over one item, `{ not: item }`; over several, `{ not: { any: [...] } }`. */
export type GroupMode = 'all' | 'any' | 'none';
export const GROUP_MODES: GroupMode[] = ['all', 'any', 'none'];

/** Every input a row may show; the fact picks which ones count, so switching facts loses nothing typed. */
export interface LeafDraft {
  fact: Fact;
  op: Comparison;
  value: string;
  withinDays: string;
  key: string;
  attributeOp: AttributeOp;
  attributeValue: string;
  attributeType: 'text' | 'number';
  score: 'value' | 'behaviour';
  tag: string;
  present: boolean;
  of: Counted;
  event: string;
  keywords: string;
}

export interface LeafNode {
  id: string;
  type: 'leaf';
  leaf: LeafDraft;
}
export interface GroupNode {
  id: string;
  type: 'group';
  mode: GroupMode;
  children: DraftNode[];
}
export type DraftNode = LeafNode | GroupNode;

export interface RuleDraft {
  name: string;
  tag: string;
  action: 'add' | 'remove';
  /** Empty: the tag lasts while the rule matches. */
  expiresAfterDays: string;
  enabled: boolean;
  condition: GroupNode;
}

let counter = 0;
const nextId = () => `c${++counter}`;

export const DEFAULT_LEAF: LeafDraft = {
  fact: 'keyword',
  op: '>=',
  value: '1',
  withinDays: '30',
  key: '',
  attributeOp: '=',
  attributeValue: '',
  attributeType: 'text',
  score: 'value',
  tag: '',
  present: true,
  of: 'orders',
  event: '',
  keywords: '',
};

export const newLeaf = (leaf: Partial<LeafDraft> = {}): LeafNode => ({ id: nextId(), type: 'leaf', leaf: { ...DEFAULT_LEAF, ...leaf } });
export const newGroup = (mode: GroupMode = 'all', children: DraftNode[] = [newLeaf()]): GroupNode => ({ id: nextId(), type: 'group', mode, children });

export function emptyDraft(): RuleDraft {
  return { name: '', tag: '', action: 'add', expiresAfterDays: '', enabled: true, condition: newGroup('all') };
}

/** Keywords as typed: separated by commas (also the Chinese `，` and `、`) or new lines. */
export function splitKeywords(text: string): string[] {
  return text
    .split(/[,，、\n]/)
    .map((k) => k.trim())
    .filter(Boolean);
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function leafToDraft(leaf: Leaf): LeafDraft {
  const d: LeafDraft = { ...DEFAULT_LEAF, fact: leaf.fact };
  switch (leaf.fact) {
    case 'attribute':
      return { ...d, key: leaf.key, attributeOp: leaf.op, attributeValue: leaf.value === undefined ? '' : String(leaf.value), attributeType: typeof leaf.value === 'number' ? 'number' : 'text' };
    case 'score':
      return { ...d, score: leaf.score, op: leaf.op, value: text(leaf.value) };
    case 'tag':
      return { ...d, tag: leaf.tag, present: leaf.present };
    case 'count':
      return { ...d, of: leaf.of, event: leaf.event ?? '', withinDays: text(leaf.withinDays), op: leaf.op, value: text(leaf.value) };
    case 'spend':
      return { ...d, withinDays: text(leaf.withinDays), op: leaf.op, value: text(leaf.value) };
    case 'keyword':
      return { ...d, keywords: leaf.keywords.join(', '), withinDays: text(leaf.withinDays), op: leaf.op, value: text(leaf.value) };
    case 'days-since-last-order':
    case 'age':
      return { ...d, op: leaf.op, value: text(leaf.value) };
  }
}

/** A number input's text; empty or not a number is NaN, which the schema refuses with its own message. */
const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** The row as the schema's leaf (not yet checked: numbers may be NaN, texts empty). */
export function draftToLeaf(d: LeafDraft): Leaf {
  switch (d.fact) {
    case 'attribute': {
      if (d.attributeOp === 'exists') return { fact: 'attribute', key: d.key.trim(), op: 'exists' };
      const value = d.attributeType === 'number' && d.attributeOp !== 'contains' ? number(d.attributeValue) : d.attributeValue;
      return { fact: 'attribute', key: d.key.trim(), op: d.attributeOp, value };
    }
    case 'score':
      return { fact: 'score', score: d.score, op: d.op, value: number(d.value) };
    case 'tag':
      return { fact: 'tag', tag: d.tag, present: d.present };
    case 'count':
      return { fact: 'count', of: d.of, ...(d.of === 'events' && d.event.trim() ? { event: d.event.trim() } : {}), withinDays: number(d.withinDays), op: d.op, value: number(d.value) };
    case 'spend':
      return { fact: 'spend', withinDays: number(d.withinDays), op: d.op, value: number(d.value) };
    case 'keyword':
      return { fact: 'keyword', keywords: splitKeywords(d.keywords), withinDays: number(d.withinDays), op: d.op, value: number(d.value) };
    case 'days-since-last-order':
      return { fact: 'days-since-last-order', op: d.op, value: number(d.value) };
    case 'age':
      return { fact: 'age', op: d.op, value: number(d.value) };
  }
}

function nodeFromCondition(condition: Condition): DraftNode {
  if ('all' in condition) return newGroup('all', condition.all.map(nodeFromCondition));
  if ('any' in condition) return newGroup('any', condition.any.map(nodeFromCondition));
  if ('not' in condition) {
    const inner = condition.not;
    return newGroup('none', 'any' in inner ? inner.any.map(nodeFromCondition) : [nodeFromCondition(inner)]);
  }
  return { id: nextId(), type: 'leaf', leaf: leafToDraft(condition) };
}

/** The form's tree for a stored condition: always a group at the top (a lone test becomes "All of: it"). */
export function conditionToDraft(condition: Condition): GroupNode {
  const node = nodeFromCondition(condition);
  return node.type === 'group' ? node : newGroup('all', [node]);
}

export function ruleToDraft(rule: TagRuleInput): RuleDraft {
  return {
    name: rule.name,
    tag: rule.tag,
    action: rule.action,
    expiresAfterDays: rule.expiresAfterDays === null ? '' : String(rule.expiresAfterDays),
    enabled: rule.enabled,
    condition: conditionToDraft(rule.condition),
  };
}

/**
 * The rule as the server takes it, and where each part of the condition came from (every object
 * of the JSON that a group or row produced, so an issue's path finds its row).
 */
export function buildRule(draft: RuleDraft): { rule: TagRuleInput; origins: Map<object, string> } {
  const origins = new Map<object, string>();
  const mark = <T extends object>(value: T, id: string): T => {
    origins.set(value, id);
    return value;
  };
  const build = (node: DraftNode): Condition => {
    if (node.type === 'leaf') return mark(draftToLeaf(node.leaf), node.id);
    const children = node.children.map(build);
    if (node.mode === 'all') return mark({ all: children }, node.id);
    if (node.mode === 'any') return mark({ any: children }, node.id);
    const [only] = children;
    return mark({ not: children.length === 1 && only ? only : mark({ any: children }, node.id) }, node.id);
  };
  const root = draft.condition;
  // "All of" or "Any of" one thing is that thing: a rule with one test stores just the test.
  const [only] = root.children;
  const condition = root.mode !== 'none' && root.children.length === 1 && only ? build(only) : build(root);
  const expires = draft.expiresAfterDays.trim();
  return {
    rule: {
      name: draft.name,
      tag: draft.tag,
      action: draft.action,
      condition,
      expiresAfterDays: draft.action === 'add' && expires !== '' ? number(expires) : null,
      enabled: draft.enabled,
    },
    origins,
  };
}

export interface DraftIssue {
  /** The rule's field the issue is about (`name`, `tag`, `expiresAfterDays`, `condition` …). */
  field: string;
  /** The group or row, for an issue inside the condition that the path locates. */
  nodeId?: string;
  /** The row's input (`keywords`, `withinDays`, `value` …), when the issue names one. */
  leafField?: string;
  message: string;
}

export type Validation = { ok: true; rule: TagRuleInput } | { ok: false; issues: DraftIssue[] };

/** The part of a zod issue read here (zod's own type, loosened for the union's nested `errors`). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: Issue[][];
  note?: string;
}

/** A branch of a union that is not the one the value was meant for: its keys are foreign, or its discriminator matches nothing. */
const foreign = (branch: Issue[]) => branch.some((i) => (i.code === 'unrecognized_keys' && i.path.length === 0) || (i.code === 'invalid_union' && i.note === 'No matching discriminator'));

/**
 * The issues a person can act on. When a value of the condition fails with a wrong type (an
 * empty number is NaN), zod reports the whole union ("Invalid input") with every branch's
 * issues; the branch the value was meant for (a row for a row, `all` for an "All of" group) is
 * the one whose keys fit, and its issues, with their full paths, are the ones to show.
 */
export function readableIssues(issues: readonly Issue[], prefix: PropertyKey[] = []): Issue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const branch = issue.code === 'invalid_union' ? issue.errors?.find((b) => b.length > 0 && !foreign(b)) : undefined;
    return branch ? readableIssues(branch, path) : [{ ...issue, path }];
  });
}

/** The server's schema over the form's rule; each issue with the group or row it concerns. */
export function validateDraft(draft: RuleDraft): Validation {
  const { rule, origins } = buildRule(draft);
  const parsed = tagRuleInputSchema.safeParse(rule);
  if (parsed.success) return { ok: true, rule: parsed.data };
  const issues = readableIssues(parsed.error.issues as Issue[]).map((issue): DraftIssue => {
    const [field = '', ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (field !== 'condition') return { field: String(field), message: issue.message };
    let current: unknown = rule.condition;
    let nodeId = origins.get(rule.condition);
    let after: (string | number)[] = rest;
    rest.forEach((segment, i) => {
      if (current === null || typeof current !== 'object') return;
      current = (current as Record<string | number, unknown>)[segment];
      const id = current !== null && typeof current === 'object' ? origins.get(current) : undefined;
      if (id) {
        nodeId = id;
        after = rest.slice(i + 1);
      }
    });
    const located = nodeId ? findNode(draft.condition, nodeId) : undefined;
    const leafField = located?.type === 'leaf' && typeof after[0] === 'string' ? after[0] : undefined;
    // An issue on the whole condition (too deep, too many tests, an event count without its kind) names no row.
    return { field: 'condition', nodeId: rest.length === 0 ? undefined : nodeId, leafField, message: issue.message };
  });
  return { ok: false, issues };
}

// ---------------------------------------------------------------------------------------------
// Tree edits (immutable).

export function findNode(node: DraftNode, id: string): DraftNode | undefined {
  if (node.id === id) return node;
  if (node.type === 'leaf') return undefined;
  for (const child of node.children) {
    const found = findNode(child, id);
    if (found) return found;
  }
  return undefined;
}

function mapTree(node: GroupNode, fn: (node: DraftNode) => DraftNode | null): GroupNode {
  const children = node.children.flatMap((child) => {
    const mapped = fn(child);
    if (mapped === null) return [];
    return [mapped.type === 'group' ? mapTree(mapped, fn) : mapped];
  });
  return { ...node, children };
}

export function updateLeaf(root: GroupNode, id: string, patch: Partial<LeafDraft>): GroupNode {
  return mapTree(root, (node) => (node.id === id && node.type === 'leaf' ? { ...node, leaf: { ...node.leaf, ...patch } } : node));
}

export function setGroupMode(root: GroupNode, id: string, mode: GroupMode): GroupNode {
  if (root.id === id) return { ...root, mode };
  return mapTree(root, (node) => (node.id === id && node.type === 'group' ? { ...node, mode } : node));
}

export function addChild(root: GroupNode, groupId: string, child: DraftNode): GroupNode {
  if (root.id === groupId) return { ...root, children: [...root.children, child] };
  return mapTree(root, (node) => (node.id === groupId && node.type === 'group' ? { ...node, children: [...node.children, child] } : node));
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  return mapTree(root, (node) => (node.id === id ? null : node));
}

/** "1", "2", "2.1" …: each group's and row's place, for labels that say which one. The top group is "". */
export function numbering(root: GroupNode): Map<string, string> {
  const numbers = new Map<string, string>([[root.id, '']]);
  const walk = (group: GroupNode, prefix: string) =>
    group.children.forEach((child, i) => {
      const n = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      numbers.set(child.id, n);
      if (child.type === 'group') walk(child, n);
    });
  walk(root, '');
  return numbers;
}
