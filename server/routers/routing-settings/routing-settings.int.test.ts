import { TRPCError } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db/client';
import { agents, agentSkills, auditLog, handoffs, qaHits, qaRules, scripts, skills, users, wrapCodes } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import type { Role } from '@/server/auth/permissions';
import { activeQaRules, activeScripts, recordQaHits } from '@/server/routing/admin';
import { checkReply } from '@/server/routing/qa';
import { createCallerFactory, router } from '@/server/trpc';
import { routingSettingsRouter } from './index';

// Only this router: the test does not depend on the rest of the app router compiling.
const createCaller = createCallerFactory(router({ routingSettings: routingSettingsRouter }));

async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to be refused');
}

describe.each(testDatabases())('routing settings on $name', ({ open }) => {
  let handle: DbHandle;
  const as = (role: Role) => createCaller({ headers: new Headers(), db: async () => handle.db, viewer: { userId: `${role}-1`, name: role, email: `${role}@example.com`, role } }).routingSettings;

  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('lets only admins manage, and managers and admins read QA hits', async () => {
    for (const role of ['designer', 'developer', 'agent', 'manager'] as const) {
      expect((await refusal(as(role).skills.list())).code).toBe('FORBIDDEN');
      expect((await refusal(as(role).qaRules.create({ name: 'x', kind: 'words', action: 'block', terms: ['x'], message: 'x' }))).code).toBe('FORBIDDEN');
      expect((await refusal(as(role).agents.create({ email: 'x@example.com', name: 'X' }))).code).toBe('FORBIDDEN');
    }
    for (const role of ['designer', 'developer', 'agent'] as const) expect((await refusal(as(role).qaHits.list())).code).toBe('FORBIDDEN');
    expect(await as('manager').qaHits.list()).toEqual([]);
    expect(await as('admin').qaHits.byAgent()).toEqual([]);
    const anonymous = createCaller({ headers: new Headers(), db: async () => handle.db }).routingSettings;
    expect((await refusal(anonymous.qaHits.list())).code).toBe('UNAUTHORIZED');
    expect(await handle.db.select().from(qaRules)).toEqual([]);
  });

  it('creates, updates and deletes skills with a 30 s service level by default', async () => {
    const admin = as('admin');
    await admin.skills.create({ id: 'billing', name: 'Billing' });
    await admin.skills.create({ id: 'vip', name: 'VIP', description: 'Top customers', serviceLevelSeconds: 10 });
    expect(await handle.db.select().from(skills).where(eq(skills.id, 'billing'))).toEqual([{ id: 'billing', name: 'Billing', description: '', serviceLevelSeconds: 30 }]);

    expect(await refusal(admin.skills.create({ id: 'billing', name: 'Other' }))).toEqual({ code: 'CONFLICT', message: 'A skill with the id “billing” exists already.' });
    expect((await refusal(admin.skills.create({ id: 'Bad Id', name: 'x' }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.skills.create({ id: 'x', name: 'x', serviceLevelSeconds: 0 }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.skills.update({ id: 'nope', name: 'x' }))).code).toBe('NOT_FOUND');

    await admin.skills.update({ id: 'vip', name: 'VIP line', description: '', serviceLevelSeconds: 20 });
    expect((await admin.skills.list()).map((s) => [s.id, s.name, s.serviceLevelSeconds, s.agentCount])).toEqual([
      ['billing', 'Billing', 30, 0],
      ['vip', 'VIP line', 20, 0],
    ]);

    // A queue with a conversation waiting is kept.
    await handle.db.insert(handoffs).values({ idempotencyKey: 'k-vip', skill: 'vip', reqSkill: 'vip', priority: 50 });
    const refused = await refusal(admin.skills.delete({ id: 'vip' }));
    expect(refused).toEqual({ code: 'CONFLICT', message: '1 conversation is waiting or in progress in this queue; delete it once they are done.' });
    expect(await handle.db.select({ id: skills.id }).from(skills).where(eq(skills.id, 'vip'))).toHaveLength(1);
    await handle.db.update(handoffs).set({ status: 'abandoned' }).where(eq(handoffs.idempotencyKey, 'k-vip'));
    await admin.skills.delete({ id: 'vip' });
    expect((await admin.skills.list()).map((s) => s.id)).toEqual(['billing']);
    expect((await refusal(admin.skills.delete({ id: 'vip' }))).code).toBe('NOT_FOUND');

    // Every change that happened is in the audit log, by whom and on what; refused ones are not.
    const trail = await handle.db.select().from(auditLog).where(eq(auditLog.targetType, 'skill')).orderBy(asc(auditLog.at), asc(auditLog.action));
    expect(trail.map((row) => [row.action, row.targetId, row.details, row.actorEmail, row.actorRole])).toEqual([
      ['settings.create', 'billing', { name: 'Billing' }, 'admin@example.com', 'admin'],
      ['settings.create', 'vip', { name: 'VIP' }, 'admin@example.com', 'admin'],
      ['settings.update', 'vip', { name: 'VIP line' }, 'admin@example.com', 'admin'],
      ['settings.delete', 'vip', { name: 'VIP line' }, 'admin@example.com', 'admin'],
    ]);
  });

  it('adds agents from a user with role agent or by email, with skills, capacities and phone', async () => {
    const admin = as('admin');
    await admin.skills.create({ id: 'support', name: 'Support' });
    await handle.db.insert(users).values([
      { id: 'u-agent', email: 'ann@example.com', name: 'Ann Lee', role: 'agent' },
      { id: 'u-manager', email: 'max@example.com', name: 'Max', role: 'manager' },
      { id: 'u-later', email: 'later@example.com', name: 'Later', role: 'agent' },
    ]);
    expect((await admin.agents.candidates()).map((u) => u.email)).toEqual(['ann@example.com', 'later@example.com']);

    const ann = await admin.agents.create({ userId: 'u-agent', skills: [{ skillId: 'billing', level: 4 }], phone: '+15550100009', smsCapacity: 5 });
    expect(ann).toMatchObject({ userId: 'u-agent', email: 'ann@example.com', name: 'Ann Lee', voiceCapacity: 1, smsCapacity: 5, phone: '+15550100009', senior: false, choice: 'away' });
    expect(await refusal(admin.agents.create({ userId: 'u-manager' }))).toEqual({ code: 'BAD_REQUEST', message: 'max@example.com has the role manager; make them an agent under Users first.' });
    expect((await refusal(admin.agents.create({ userId: 'u-nobody' }))).code).toBe('NOT_FOUND');
    expect(await refusal(admin.agents.create({ userId: 'u-agent' }))).toEqual({ code: 'CONFLICT', message: 'ann@example.com is an agent already.' });

    // By email: linked when a user with role agent has it, not otherwise.
    const later = await admin.agents.create({ email: 'Later@Example.com', name: 'Later Agent', senior: true });
    expect([later.userId, later.email, later.senior]).toEqual(['u-later', 'later@example.com', true]);
    const byEmail = await admin.agents.create({ email: 'new@example.com', name: 'New Person', voiceCapacity: 0 });
    expect([byEmail.userId, byEmail.voiceCapacity]).toEqual([null, 0]);
    expect(await admin.agents.candidates()).toEqual([]);
    // A row added by email before its user existed is linked by the email (the demo's agents are).
    await handle.db.insert(users).values({ id: 'u-new', email: 'new@example.com', name: 'New Person', role: 'agent' });
    expect((await admin.agents.list()).find((a) => a.email === 'new@example.com')).toMatchObject({ userId: null, userRole: 'agent' });
    expect((await refusal(admin.agents.create({ email: 'noname@example.com' }))).message).toBe('Give the agent a name.');
    expect((await refusal(admin.agents.create({}))).message).toBe('Pick a user or give an email address.');

    // Bad rows lose nothing: an unknown skill, a bad level or phone leaves the agent as it was.
    expect(await refusal(admin.agents.update({ id: ann.id, skills: [{ skillId: 'billing', level: 5 }, { skillId: 'ghost', level: 2 }] }))).toEqual({ code: 'BAD_REQUEST', message: 'Unknown skill: ghost.' });
    expect((await refusal(admin.agents.update({ id: ann.id, skills: [{ skillId: 'billing', level: 6 }] }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.agents.update({ id: ann.id, phone: '555-0100' }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.agents.update({ id: ann.id, smsCapacity: 21 }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.agents.update({ id: ann.id, skills: [{ skillId: 'billing', level: 2 }, { skillId: 'billing', level: 3 }] }))).code).toBe('BAD_REQUEST');
    expect(await handle.db.select({ skillId: agentSkills.skillId, level: agentSkills.level }).from(agentSkills).where(eq(agentSkills.agentId, ann.id))).toEqual([{ skillId: 'billing', level: 4 }]);
    expect((await handle.db.select().from(agents).where(eq(agents.id, ann.id)))[0]?.phone).toBe('+15550100009');

    await admin.agents.update({ id: ann.id, name: 'Ann L.', senior: true, voiceCapacity: 1, smsCapacity: 2, phone: '', skills: [{ skillId: 'support', level: 5 }, { skillId: 'billing', level: 1 }] });
    const listed = (await admin.agents.list()).find((a) => a.id === ann.id);
    expect(listed).toMatchObject({ name: 'Ann L.', senior: true, smsCapacity: 2, phone: '', userRole: 'agent', skills: [{ skillId: 'billing', level: 1 }, { skillId: 'support', level: 5 }] });
    expect((await admin.skills.list()).find((s) => s.id === 'support')?.agentCount).toBe(1);

    // An agent holding a conversation is kept.
    const [held] = await handle.db.insert(handoffs).values({ idempotencyKey: 'k-ann', skill: 'billing', reqSkill: 'billing', priority: 50, status: 'assigned', assignedAgentId: ann.id }).returning();
    expect((await refusal(admin.agents.delete({ id: ann.id }))).message).toBe('The agent has 1 conversation offered or in progress; delete them once those are done or reassigned.');
    await handle.db.update(handoffs).set({ status: 'resolved' }).where(eq(handoffs.id, held!.id));
    await admin.agents.delete({ id: ann.id });
    expect((await admin.agents.list()).map((a) => a.email)).toEqual(['later@example.com', 'new@example.com']);
  });

  it('keeps wrap-up codes in use, in English and Chinese', async () => {
    const admin = as('admin');
    await admin.wrapCodes.create({ id: 'refund-issued', label: 'Refund issued', labelZh: '已退款' });
    await admin.wrapCodes.create({ id: 'other', label: 'Other' });
    expect(await refusal(admin.wrapCodes.create({ id: 'other', label: 'Again' }))).toEqual({ code: 'CONFLICT', message: 'A wrap-up code “other” exists already.' });
    await admin.wrapCodes.update({ id: 'other', label: 'Something else', labelZh: '其他', active: false });
    expect(await handle.db.select().from(wrapCodes).orderBy(wrapCodes.id)).toEqual([
      { id: 'other', label: 'Something else', labelZh: '其他', active: false },
      { id: 'refund-issued', label: 'Refund issued', labelZh: '已退款', active: true },
    ]);

    await admin.qaRules.create({ name: 'Refund reference', kind: 'required-phrase', action: 'block', terms: ['refund reference'], wrapCodes: ['refund-issued'], message: 'Say the refund reference.' });
    expect(await refusal(admin.wrapCodes.delete({ id: 'refund-issued' }))).toEqual({ code: 'CONFLICT', message: '1 QA rule names this code; change it first or deactivate the code.' });
    await handle.db.insert(handoffs).values({ idempotencyKey: 'k-other', skill: 'billing', reqSkill: 'billing', priority: 1, status: 'resolved', wrapCode: 'other' });
    expect((await refusal(admin.wrapCodes.delete({ id: 'other' }))).message).toBe('1 conversation was resolved with this code; deactivate it instead.');
    await admin.wrapCodes.create({ id: 'unused', label: 'Unused' });
    await admin.wrapCodes.delete({ id: 'unused' });
    expect((await admin.wrapCodes.list()).map((c) => c.id)).toEqual(['other', 'refund-issued']);
  });

  it('saves scripts by trigger, language and tag', async () => {
    const admin = as('admin');
    const vip = await admin.scripts.create({ title: 'VIP greeting', language: 'en', trigger: 'tag', tag: ' VIP ', body: 'Welcome back, {{customer.firstName}}.' });
    expect([vip.trigger, vip.tag, vip.active]).toEqual(['tag', 'vip', true]);
    const calm = await admin.scripts.create({ title: '安抚', language: 'zh-CN', trigger: 'upset', tag: 'ignored', body: '{{customer.name}}，非常抱歉给您带来不便。' });
    expect(calm.tag).toBeNull();
    expect(await refusal(admin.scripts.create({ title: 'x', language: 'en', trigger: 'tag', body: 'x' }))).toEqual({ code: 'BAD_REQUEST', message: 'A script offered by tag needs the tag, e.g. “vip”.' });
    expect((await refusal(admin.scripts.create({ title: 'x', language: 'fr' as 'en', trigger: 'always', body: 'x' }))).code).toBe('BAD_REQUEST');
    expect((await refusal(admin.scripts.update({ id: vip.id, title: '', language: 'en', trigger: 'always', body: 'x' }))).code).toBe('BAD_REQUEST');
    expect((await handle.db.select().from(scripts).where(eq(scripts.id, vip.id)))[0]?.title).toBe('VIP greeting');

    await admin.scripts.update({ id: vip.id, title: 'VIP greeting', language: 'en', trigger: 'tag', tag: 'vip', body: 'Hello {{customer.firstName}}', active: false });
    expect((await activeScripts(handle.db)).map((s) => s.title)).toEqual(['安抚']);
    await admin.scripts.delete({ id: vip.id });
    expect((await refusal(admin.scripts.delete({ id: vip.id }))).code).toBe('NOT_FOUND');
    expect((await admin.scripts.list()).map((s) => s.id)).toEqual([calm.id]);
    const always = await admin.scripts.create({ title: 'Hello', language: 'en', trigger: 'always', body: 'Hello' });
    const tagged = await admin.scripts.create({ title: 'Elderly', language: 'en', trigger: 'tag', tag: 'elderly', body: 'Slowly' });
    expect((await admin.scripts.list()).map((s) => s.id)).toEqual([calm.id, tagged.id, always.id]);
  });

  it('refuses QA rules that cannot work, with a clear message, and records hits per agent', async () => {
    const admin = as('admin');
    expect(await refusal(admin.qaRules.create({ name: 'Bad', kind: 'pattern', action: 'block', pattern: '(unclosed', message: 'x' }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^Pattern: Not a valid regular expression: /),
    });
    expect((await refusal(admin.qaRules.create({ name: 'Empty', kind: 'pattern', action: 'block', pattern: '.*', message: 'x' }))).message).toBe('Pattern: The pattern matches empty text, so it would fire on every reply.');
    expect((await refusal(admin.qaRules.create({ name: 'None', kind: 'words', action: 'block', terms: [' ', ''], message: 'x' }))).message).toBe('A word list needs at least one word or phrase.');
    expect((await refusal(admin.qaRules.create({ name: 'Ghost', kind: 'required-phrase', action: 'block', terms: ['x'], wrapCodes: ['ghost'], message: 'x' }))).message).toBe('Unknown wrap-up code: ghost.');
    expect((await refusal(admin.qaRules.create({ name: 'No codes', kind: 'required-phrase', action: 'block', terms: ['x'], message: 'x' }))).message).toBe('A required-phrase rule needs the wrap-up codes it applies to.');

    const insults = await admin.qaRules.create({ name: 'Insults', kind: 'words', action: 'block', terms: ['idiot', ' 笨蛋 ', 'idiot'], pattern: 'dropped', wrapCodes: ['other'], message: 'Stay polite.' });
    expect([insults.terms, insults.pattern, insults.wrapCodes]).toEqual([['idiot', '笨蛋'], null, []]);
    const cards = await admin.qaRules.create({ name: 'Cards', kind: 'pattern', action: 'block', pattern: '@card-number', message: 'No card numbers.' });
    expect(await refusal(admin.qaRules.update({ id: cards.id, name: 'Cards', kind: 'pattern', action: 'block', pattern: '[', message: 'x' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await handle.db.select().from(qaRules).where(eq(qaRules.id, cards.id)))[0]?.pattern).toBe('@card-number');

    const [agent] = await handle.db.insert(agents).values({ name: 'Zed', email: 'zed@example.com' }).returning();
    const rules = await activeQaRules(handle.db);
    expect(rules.map((r) => r.name).sort()).toEqual(['Cards', 'Insults', 'Refund reference']);
    const findings = checkReply(rules, '笨蛋, card 4111 1111 1111 1111');
    await recordQaHits(handle.db, { agentId: agent!.id, handoffId: null, findings });
    expect((await handle.db.select({ excerpt: qaHits.excerpt }).from(qaHits)).map((h) => h.excerpt).sort()).toEqual(['**** **** **** 1111', '笨蛋']);

    const hits = await as('manager').qaHits.list({ agentId: agent!.id });
    expect(hits.map((h) => [h.agentName, h.ruleName, h.action])).toEqual(expect.arrayContaining([['Zed', 'Insults', 'block'], ['Zed', 'Cards', 'block']]));
    expect(await as('manager').qaHits.list({ agentId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    expect((await as('manager').qaHits.byAgent()).map((a) => [a.agentName, a.blocks, a.warns])).toEqual([['Zed', 2, 0]]);

    // A deleted rule's hits stay, without the rule.
    await admin.qaRules.delete({ id: cards.id });
    expect((await as('manager').qaHits.list()).map((h) => h.ruleName).sort()).toEqual(['Insults', null]);
  });
});
