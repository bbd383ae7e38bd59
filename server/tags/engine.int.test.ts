import { asc, eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { customerEvents, customers, customerTags, interactions, interactionSteps, messages, orders, tagChanges, tagRules } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { previewRule, runTagRules, type StoredRule } from './engine';
import { type Condition, SEED_TAG_RULES, tagRuleInputSchema, type TagRuleInput } from './rules';
import { previewScore, saveScoreFormulas, saveTagRule } from './service';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function customer(db: Db, firstName: string, extra: Partial<typeof customers.$inferInsert> = {}) {
  return firstRow(await db.insert(customers).values({ firstName, ...extra }).returning(), 'customer').id;
}

let calls = 0;
async function contact(db: Db, customerId: string, at: Date, options: { said?: string[]; emotion?: string; isTest?: boolean } = {}) {
  calls += 1;
  const row = firstRow(
    await db
      .insert(interactions)
      .values({ channel: 'voice', workflowId: `wf-${calls}`, externalId: `CA${calls}`, customerId, fromNumber: '+15550001', toNumber: '+15550002', status: 'completed', startedAt: at, emotionLabel: options.emotion ?? null, isTest: options.isTest ?? false })
      .returning(),
    'interaction',
  );
  const said = options.said ?? [];
  if (said.length) await db.insert(interactionSteps).values(said.map((input, i) => ({ interactionId: row.id, seq: i + 1, nodeId: 'menu', nodeType: 'ivr-menu', input, startedAt: at, endedAt: at, durationMs: 0 })));
  return row.id;
}

const rule = (input: Omit<TagRuleInput, 'enabled' | 'expiresAfterDays' | 'action'> & Partial<TagRuleInput>): TagRuleInput =>
  tagRuleInputSchema.parse({ action: 'add', expiresAfterDays: null, enabled: true, ...input });

async function saved(db: Db, input: TagRuleInput): Promise<StoredRule> {
  const row = await saveTagRule(db, input, undefined);
  return { ...input, id: row.id };
}

async function tagsOf(db: Db, id: string) {
  return (await db.select().from(customerTags).where(eq(customerTags.customerId, id)).orderBy(asc(customerTags.tag))).map((t) => t.tag);
}

describe.each(testDatabases())('tag rules on $name', ({ open }) => {
  it('tags exactly the customers each seeded rule describes, with the facts, and takes a tag back when it no longer holds', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    const mum = await customer(db, 'Mei');
    const once = await customer(db, 'Olga');
    const dormant = await customer(db, 'Dora');
    const never = await customer(db, 'Nora');
    const big = await customer(db, 'Bill');
    const upset = await customer(db, 'Ursula');
    const old = await customer(db, 'Otto', { birthDate: '1960-11-30' });
    const young = await customer(db, 'Yuki', { birthDate: '1961-12-02' });

    // Said 奶粉 in two utterances (one English), within 30 days; Olga once, plus once 40 days ago and once in a test run.
    await contact(db, mum, daysAgo(3), { said: ['我想问一下奶粉什么时候到', 'hello'] });
    await contact(db, mum, daysAgo(10), { said: ['do you sell BABY FORMULA'] });
    await contact(db, once, daysAgo(5), { said: ['奶粉'] });
    await contact(db, once, daysAgo(40), { said: ['奶粉'] });
    await contact(db, once, daysAgo(1), { said: ['奶粉'], isTest: true });
    // Olga also texted an agent about it: that counts too.
    await db.insert(messages).values({ customerId: once, direction: 'inbound', fromNumber: '+1', toNumber: '+2', body: '奶粉 again', status: 'received', agentId: '00000000-0000-4000-8000-000000000001', createdAt: daysAgo(2) });
    const order = (customerId: string, n: number, amount: number, at: Date) => db.insert(orders).values({ customerId, externalId: `o-${customerId}-${n}`, amount, placedAt: at });
    await order(dormant, 1, 20, daysAgo(120));
    await order(big, 1, 4000, daysAgo(200));
    await order(big, 2, 1500.5, daysAgo(10));
    await order(big, 3, 9000, daysAgo(400)); // outside the 12 months
    await contact(db, upset, daysAgo(2), { emotion: 'upset' });
    await contact(db, upset, daysAgo(20), { emotion: 'upset' });
    await contact(db, once, daysAgo(2), { emotion: 'upset' });

    const rules: StoredRule[] = [];
    for (const input of SEED_TAG_RULES) rules.push(await saved(db, input));
    const first = await runTagRules(db, { now: NOW });
    expect(first.failed).toEqual({});
    expect(await tagsOf(db, mum)).toEqual(['母婴用户']);
    expect(await tagsOf(db, once)).toEqual(['母婴用户']); // one utterance and one message to an agent
    expect(await tagsOf(db, dormant)).toEqual(['dormant']);
    expect(await tagsOf(db, never)).toEqual([]); // never ordered: not dormant
    expect(await tagsOf(db, big)).toEqual(['high-value']); // 5,500.50 in 12 months
    expect(await tagsOf(db, upset)).toEqual(['complaint-risk']);
    expect(await tagsOf(db, old)).toEqual(['elderly']); // 66 the day before
    expect(await tagsOf(db, young)).toEqual([]); // 64 until tomorrow
    expect(first).toMatchObject({ added: 6, removed: 0 });

    const [mumTag] = await db.select().from(customerTags).where(eq(customerTags.customerId, mum));
    expect(mumTag).toMatchObject({ source: 'rule', ruleId: rules[0]!.id, expiresAt: null });
    expect(mumTag!.facts).toEqual({ facts: [{ leaf: SEED_TAG_RULES[0]!.condition, value: 2 }] });
    const [riskTag] = await db.select().from(customerTags).where(eq(customerTags.customerId, upset));
    expect(riskTag!.expiresAt?.toISOString()).toBe(new Date(NOW.getTime() + 30 * 86_400_000).toISOString());
    const [history] = await db.select().from(tagChanges).where(eq(tagChanges.customerId, big));
    expect(history).toMatchObject({ tag: 'high-value', change: 'added', source: 'rule', ruleId: rules[2]!.id, facts: { facts: [{ leaf: SEED_TAG_RULES[2]!.condition, value: 5500.5 }] } });

    // Running again changes nothing.
    expect(await runTagRules(db, { now: NOW })).toMatchObject({ added: 0, removed: 0, expired: 0 });

    // Dora orders again: no longer dormant. Otto's tag set by hand is never taken by the rule.
    await order(dormant, 2, 10, daysAgo(1));
    await db.delete(customerTags).where(eq(customerTags.customerId, old));
    await db.insert(customerTags).values({ customerId: old, tag: 'elderly', source: 'manual' });
    await db.update(customers).set({ birthDate: null }).where(eq(customers.id, old));
    const second = await runTagRules(db, { now: NOW });
    expect(second).toMatchObject({ added: 0, removed: 1 });
    expect(await tagsOf(db, dormant)).toEqual([]);
    expect(await tagsOf(db, old)).toEqual(['elderly']);
    const doraHistory = await db.select().from(tagChanges).where(eq(tagChanges.customerId, dormant)).orderBy(asc(tagChanges.id));
    expect(doraHistory.map((h) => [h.change, h.facts])).toEqual([
      ['added', { facts: [{ leaf: SEED_TAG_RULES[1]!.condition, value: 120 }] }],
      ['removed', { reason: 'no longer matches' }],
    ]);

    // 31 days on, the complaint-risk tag has expired (and no longer matches).
    const later = await runTagRules(db, { now: new Date(NOW.getTime() + 31 * 86_400_000) });
    expect(later.expired).toBe(1);
    expect(await tagsOf(db, upset)).toEqual([]);
  });

  it('runs per event for one customer only, combines all / any / not, and previews before saving', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    const a = await customer(db, 'Ann', { valueScore: 0.9, attributes: { tier: 'gold', visits: 12 } });
    const b = await customer(db, 'Ben', { valueScore: 0.9, attributes: { tier: 'silver', visits: 'many' } });
    const c = await customer(db, 'Cat', { valueScore: 0.2, attributes: { tier: 'gold', visits: 30 } });
    await db.insert(customerTags).values({ customerId: c, tag: 'blocked', source: 'manual' });
    await db.insert(customerEvents).values([
      { customerId: a, kind: 'account-risk', at: daysAgo(1) },
      { customerId: b, kind: 'account-risk', at: daysAgo(1) },
      { customerId: b, kind: 'purchase', at: daysAgo(1) },
    ]);
    const condition: Condition = {
      all: [
        { any: [{ fact: 'score', score: 'value', op: '>=', value: 0.8 }, { fact: 'attribute', key: 'visits', op: '>', value: 20 }] },
        { not: { fact: 'tag', tag: 'blocked', present: true } },
        { any: [{ fact: 'attribute', key: 'tier', op: '=', value: 'gold' }, { fact: 'count', of: 'events', event: 'purchase', withinDays: 7, op: '>=', value: 1 }] },
      ],
    };
    const input = rule({ name: 'watch', tag: 'watch', condition });
    const preview = await previewRule(db, input, NOW);
    expect(preview).toMatchObject({ matches: 2, wouldAdd: 2, wouldRemove: 0 });
    expect(preview.sample.map((s) => s.name).sort()).toEqual(['Ann', 'Ben']);
    const ann = preview.sample.find((s) => s.name === 'Ann')!;
    expect(ann.facts.map((f) => f.value)).toEqual([0.8999999761581421, '12', false, 'gold', 0]);
    // Nothing was written by the preview.
    expect(await db.select().from(tagRules)).toEqual([]);
    expect(await tagsOf(db, a)).toEqual([]);

    const stored = await saved(db, input);
    const one = await runTagRules(db, { now: NOW, scope: [a], rules: [stored] });
    expect(one).toMatchObject({ added: 1 });
    expect(await tagsOf(db, a)).toEqual(['watch']);
    expect(await tagsOf(db, b)).toEqual([]);
    // The rule's tag is renamed: the old tag goes (the preview says so first) and the new one comes.
    const renamed = { ...input, tag: 'watchlist', id: stored.id };
    expect(await previewRule(db, renamed, NOW)).toMatchObject({ matches: 2, wouldAdd: 2, wouldRemove: 1 });
    await saveTagRule(db, renamed, undefined);
    expect(await runTagRules(db, { now: NOW, scope: [a], rules: [renamed] })).toMatchObject({ added: 1, removed: 1 });
    expect(await tagsOf(db, a)).toEqual(['watchlist']);
    // A remove rule takes the tag from whoever it matches, with the facts.
    const unwatch = await saved(db, rule({ name: 'unwatch', tag: 'watchlist', action: 'remove', condition: { fact: 'count', of: 'events', event: 'account-risk', withinDays: 7, op: '>=', value: 1 } }));
    expect(await runTagRules(db, { now: NOW, scope: [a], rules: [unwatch] })).toMatchObject({ removed: 1 });
    expect(await tagsOf(db, a)).toEqual([]);
  });

  it('computes value and behaviour scores from their formulas, with the facts, before the rules that test them', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    const rich = await customer(db, 'Rita', { valueScore: 0.5, behaviourScore: 0.5, attributes: { tier: 3 } });
    const poor = await customer(db, 'Paul', { valueScore: 0.5, behaviourScore: 0.5, attributes: { tier: 'none' } });
    await db.insert(orders).values([
      { customerId: rich, externalId: 's-1', amount: 6000, placedAt: daysAgo(20) },
      { customerId: rich, externalId: 's-2', amount: 6000, placedAt: daysAgo(40) },
      { customerId: poor, externalId: 's-3', amount: 2500, placedAt: daysAgo(10) },
      { customerId: poor, externalId: 's-4', amount: 9999, placedAt: daysAgo(500) }, // outside the year
    ]);
    await contact(db, poor, daysAgo(1), { emotion: 'upset' });
    await contact(db, poor, daysAgo(2), { emotion: 'upset' });
    const formulas = {
      // 0.1 + 0.6 × spend/10,000 (at most 1) + 0.3 × tier/3
      value: { base: 0.1, terms: [{ fact: 'spend' as const, withinDays: 365, cap: 10_000, weight: 0.6 }, { fact: 'attribute' as const, key: 'tier', cap: 3, weight: 0.3 }] },
      // 0.8 − 0.4 × upset contacts in 30 days / 2
      behaviour: { base: 0.8, terms: [{ fact: 'upset-contacts' as const, withinDays: 30, cap: 2, weight: -0.4 }] },
    };
    const preview = await previewScore(db, 'value', formulas.value, NOW);
    expect(preview.find((c) => c.name === 'Rita')).toMatchObject({ current: 0.5, computed: 1 });
    expect((await db.select().from(customers).where(eq(customers.id, rich)))[0]!.valueScore).toBe(0.5); // a preview writes nothing
    await saveScoreFormulas(db, formulas, undefined);
    const vip = await saved(db, rule({ name: 'valuable', tag: 'valuable', condition: { fact: 'score', score: 'value', op: '>=', value: 0.9 } }));
    const result = await runTagRules(db, { now: NOW, rules: [vip] });
    expect(result).toMatchObject({ scored: 4, added: 1, failed: {} }); // both scores of both
    const [r] = await db.select().from(customers).where(eq(customers.id, rich));
    const [p] = await db.select().from(customers).where(eq(customers.id, poor));
    expect(r!.valueScore).toBeCloseTo(1, 5); // 0.1 + 0.6 + 0.3
    expect(p!.valueScore).toBeCloseTo(0.25, 5); // 0.1 + 0.6 × 0.25 + 0 (tier is not a number)
    expect(p!.behaviourScore).toBeCloseTo(0.4, 5);
    expect(r!.behaviourScore).toBeCloseTo(0.8, 5);
    expect((p!.scoreFacts as { value: { facts: { value: unknown }[] } }).value.facts.map((f) => f.value)).toEqual([2500, 'none']);
    expect(await tagsOf(db, rich)).toEqual(['valuable']);
    // Nothing changed: nothing is written again.
    expect(await runTagRules(db, { now: NOW, rules: [vip] })).toMatchObject({ scored: 0, added: 0, removed: 0 });
    // Turned off: the scores stay as they are.
    await saveScoreFormulas(db, { value: null, behaviour: null }, undefined);
    await db.update(customers).set({ valueScore: 0.42 }).where(eq(customers.id, rich));
    expect(await runTagRules(db, { now: NOW, rules: [] })).toMatchObject({ scored: 0 });
    expect((await db.select().from(customers).where(eq(customers.id, rich)))[0]!.valueScore).toBeCloseTo(0.42, 5);
  });

  it('refuses rules that cannot be run, saying why', () => {
    const bad = (value: unknown) => tagRuleInputSchema.safeParse(value).error?.issues.map((i) => i.message);
    const base = { name: 'x', tag: 'x', action: 'add', expiresAfterDays: null, enabled: true };
    expect(bad({ ...base, condition: { fact: 'count', of: 'events', withinDays: 7, op: '>=', value: 1 } })).toEqual(['an event count needs the event kind']);
    expect(bad({ ...base, condition: { all: [] } })?.join()).toContain('a group needs at least one condition');
    expect(bad({ ...base, tag: ' ', condition: { fact: 'age', op: '>=', value: 65 } })?.join()).toContain('a tag is 1–48 letters');
    expect(bad({ ...base, action: 'remove', expiresAfterDays: 3, condition: { fact: 'age', op: '>=', value: 65 } })).toEqual(['only an added tag can expire']);
    let deep: Condition = { fact: 'age', op: '>=', value: 65 };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(bad({ ...base, condition: deep })).toEqual(['groups nest at most 6 deep']);
  });
});
