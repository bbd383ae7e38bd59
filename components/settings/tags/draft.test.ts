import { describe, expect, it } from 'vitest';
import { type Condition, SEED_TAG_RULES, type TagRuleInput } from '@/server/tags/rules';
import { addChild, buildRule, type DraftIssue, emptyDraft, newGroup, newLeaf, numbering, removeNode, type RuleDraft, ruleToDraft, setGroupMode, splitKeywords, updateLeaf, validateDraft } from './draft';

const formulaRule: TagRuleInput = {
  name: 'said 奶粉 at least twice in 30 days',
  tag: '母婴用户',
  action: 'add',
  condition: { fact: 'keyword', keywords: ['奶粉'], withinDays: 30, op: '>=', value: 2 },
  expiresAfterDays: null,
  enabled: true,
};

describe('the tag rule form', () => {
  it('round-trips every seed rule and nested groups, "none of" included', () => {
    for (const rule of SEED_TAG_RULES) expect(buildRule(ruleToDraft(rule)).rule).toEqual(rule);
    const nested: Condition = {
      any: [
        { all: [{ fact: 'age', op: '>=', value: 65 }, { fact: 'tag', tag: 'vip', present: false }] },
        { not: { any: [{ fact: 'spend', withinDays: 30, op: '>', value: 0 }, { fact: 'count', of: 'events', event: 'purchase', withinDays: 7, op: '>=', value: 1 }] } },
        { not: { fact: 'attribute', key: 'plan', op: 'exists' } },
        { not: { all: [{ fact: 'attribute', key: 'level', op: '>', value: 3 }, { fact: 'score', score: 'value', op: '<', value: 0.5 }] } },
      ],
    };
    const rule = { ...formulaRule, condition: nested, expiresAfterDays: 30 };
    expect(buildRule(ruleToDraft(rule)).rule).toEqual(rule);
    expect(validateDraft(ruleToDraft(rule))).toEqual({ ok: true, rule });
  });

  it('builds the rule a designer fills in: keywords split on commas, numbers from their text', () => {
    const draft = emptyDraft();
    const row = draft.condition.children[0]!;
    const filled: RuleDraft = {
      ...draft,
      name: formulaRule.name,
      tag: ' 母婴用户 ',
      condition: updateLeaf(draft.condition, row.id, { fact: 'keyword', keywords: '奶粉，baby formula, ', withinDays: '30', op: '>=', value: '2' }),
    };
    expect(validateDraft(filled)).toEqual({ ok: true, rule: { ...formulaRule, condition: { fact: 'keyword', keywords: ['奶粉', 'baby formula'], withinDays: 30, op: '>=', value: 2 } } });
    expect(splitKeywords('a, b、c\nd,,')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps expiry only for a rule that adds', () => {
    const draft = { ...ruleToDraft(formulaRule), expiresAfterDays: '14' };
    expect(buildRule(draft).rule.expiresAfterDays).toBe(14);
    expect(buildRule({ ...draft, action: 'remove' }).rule.expiresAfterDays).toBeNull();
  });

  it('points each issue at its field, group or row', () => {
    const draft = emptyDraft();
    const first = draft.condition.children[0]!;
    const group = newGroup('any', []);
    let condition = updateLeaf(draft.condition, first.id, { keywords: ' ', withinDays: '' });
    condition = addChild(condition, draft.condition.id, group);
    condition = addChild(condition, draft.condition.id, newLeaf({ fact: 'count', of: 'events', event: '' }));
    const result = validateDraft({ ...draft, condition });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    const find = (pred: (i: DraftIssue) => boolean) => issues.find(pred);
    expect(find((i) => i.field === 'name')?.message).toBe('give the rule a name');
    expect(find((i) => i.field === 'tag')).toBeDefined();
    expect(find((i) => i.nodeId === first.id && i.leafField === 'keywords')).toBeDefined();
    expect(find((i) => i.nodeId === first.id && i.leafField === 'withinDays')).toBeDefined();
    expect(find((i) => i.nodeId === group.id)?.message).toBe('a group needs at least one condition');
    // The checks across the rule run once every row has the right types.
    const events = newLeaf({ fact: 'count', of: 'events', event: ' ' });
    const kindless = validateDraft({ ...draft, name: 'x', tag: 'y', condition: { ...draft.condition, children: [events] } });
    expect(kindless.ok || kindless.issues).toEqual([{ field: 'condition', nodeId: undefined, leafField: undefined, message: 'an event count needs the event kind' }]);
  });

  it('locates issues in a rule of a single row (stored without its group) and in an empty "none of"', () => {
    const draft = emptyDraft();
    const row = draft.condition.children[0]!;
    const single = validateDraft({ ...draft, name: 'x', tag: 'y', condition: updateLeaf(draft.condition, row.id, { keywords: '奶粉', value: 'abc' }) });
    expect(single.ok || single.issues.map((i) => [i.nodeId, i.leafField])).toEqual([[row.id, 'value']]);
    const none = setGroupMode(removeNode(draft.condition, row.id), draft.condition.id, 'none');
    const empty = validateDraft({ ...draft, name: 'x', tag: 'y', condition: none });
    expect(empty.ok || empty.issues.map((i) => [i.nodeId, i.message])).toEqual([[draft.condition.id, 'a group needs at least one condition']]);
  });

  it('numbers groups and rows for their labels', () => {
    const draft = emptyDraft();
    const group = newGroup('any');
    const tree = addChild(draft.condition, draft.condition.id, group);
    const numbers = numbering(tree);
    expect(numbers.get(draft.condition.id)).toBe('');
    expect(numbers.get(draft.condition.children[0]!.id)).toBe('1');
    expect(numbers.get(group.id)).toBe('2');
    expect(numbers.get(group.children[0]!.id)).toBe('2.1');
  });
});
