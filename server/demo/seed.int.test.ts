import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { customerIdentities, experiments, flows, flowVersions, interactions, phoneNumbers, wrapCodes } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { liveFlowForNumber } from '@/server/flows/service';
import { activeQaRules, activeScripts } from '@/server/routing/admin';
import { checkReply, checkResolve } from '@/server/routing/qa';
import { renderScript, scriptVariables, suggestScripts } from '@/server/routing/scripts';
import { hasHistory } from './history';
import { DEMO_NUMBER, demoCustomers, seedIfEmpty } from './seed';
import { firstRow } from '@/db/rows';

describe.each(testDatabases())('demo data on $name', ({ open }) => {
  it('seeds demo data once, with the demo flow live on the demo number', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    expect(await seedIfEmpty(db)).toBe(true);
    expect(await seedIfEmpty(db)).toBe(false);
    const seededPhones = await db.select({ value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.kind, 'phone'));
    for (const c of demoCustomers) expect(seededPhones.map((r) => r.value)).toContain(c.phone);
    const number = firstRow(await db.select().from(phoneNumbers).where(eq(phoneNumbers.number, DEMO_NUMBER)), 'phoneNumbers');
    expect(number.voiceFlowId).toBeTruthy();
    // The history (./history.ts) publishes version 2, the self-service balance option, and tests it against version 1.
    const versions = await db.select().from(flowVersions).where(eq(flowVersions.flowId, number.voiceFlowId!)).orderBy(flowVersions.version);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const flow = firstRow(await db.select().from(flows).where(eq(flows.id, number.voiceFlowId!)), 'flows');
    expect(flow.liveVersionId).toBe(versions[1]?.id);
    expect(await hasHistory(db, flow.id)).toBe(true);
    const { n } = firstRow(await db.select({ n: count() }).from(interactions).where(eq(interactions.flowId, flow.id)), 'count of interactions');
    expect(n).toBeGreaterThan(3000);
    const [experiment] = await db.select().from(experiments).where(and(eq(experiments.number, DEMO_NUMBER), eq(experiments.status, 'running')));
    expect(experiment?.flowId).toBe(flow.id);
    const live = await liveFlowForNumber(db, DEMO_NUMBER, 'voice');
    expect(live?.compiled.channel).toBe('voice');
    expect(live?.compiled.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await liveFlowForNumber(db, '+19999999999', 'voice')).toBeUndefined();
  });

  it('seeds wrap-up codes, scripts in English and Chinese, and QA rules that block, warn and require', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    await seedIfEmpty(db);
    expect((await db.select().from(wrapCodes).orderBy(wrapCodes.id)).map((c) => [c.id, c.labelZh !== '', c.active])).toEqual([
      ['billing-resolved', true, true],
      ['callback-promised', true, true],
      ['other', true, true],
      ['refund-issued', true, true],
      ['tech-fixed', true, true],
    ]);

    const scripts = await activeScripts(db);
    const vars = scriptVariables({ customer: { firstName: 'Bob', lastName: 'Miller' }, agent: { name: 'Sam Rivera' } });
    const upsetElderly = suggestScripts(scripts, { upset: true, tags: ['elderly'], language: 'en' });
    expect(upsetElderly.map((s) => [s.trigger, s.tag, s.language])).toEqual([
      ['upset', null, 'en'],
      ['tag', 'elderly', 'en'],
      ['always', null, 'en'],
    ]);
    expect(renderScript(upsetElderly[0]!.body, vars)).toMatch(/^I'm really sorry, Bob, .* I'm Sam Rivera /);
    const vipZh = suggestScripts(scripts, { upset: false, tags: ['vip'], language: 'zh-CN' });
    expect(vipZh.map((s) => [s.trigger, s.tag, s.language])).toEqual([
      ['tag', 'vip', 'zh-CN'],
      ['always', null, 'zh-CN'],
    ]);
    expect(renderScript(vipZh[0]!.body, scriptVariables({ customer: { firstName: '伟', lastName: '王' }, agent: { name: '李娜' } }))).toMatch(/^王伟，欢迎回来.*我是李娜/);

    const rules = await activeQaRules(db);
    const actions = (text: string) => checkReply(rules, text).map((f) => [f.ruleName, f.action, f.excerpt]);
    expect(actions("Don't be stupid")).toEqual([['Insults', 'block', 'stupid']]);
    expect(actions('你这个笨蛋')).toEqual([['Insults', 'block', '笨蛋']]);
    expect(actions('Your card 4111 1111 1111 1111, I guarantee it')).toEqual([
      ['Card numbers', 'block', '**** **** **** 1111'],
      ['No promises', 'warn', 'guarantee'],
    ]);
    expect(actions('Thanks for calling, have a nice day')).toEqual([]);
    expect(checkResolve(rules, 'refund-issued', ['Done, the money is on its way.']).map((f) => [f.ruleName, f.action])).toEqual([['Refund reference', 'block']]);
    expect(checkResolve(rules, 'refund-issued', ['Your refund reference is R-1001.'])).toEqual([]);
    expect(checkResolve(rules, 'billing-resolved', [])).toEqual([]);
  });
});
