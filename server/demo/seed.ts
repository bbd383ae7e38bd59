import 'server-only';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow, MissingRowError } from '@/db/rows';
import { agents, agentSkills, customerIdentities, customers, customerTags, flows, phoneNumbers, qaRules, scripts, skills, tags, wrapCodes } from '@/db/schema';
import demoFlow from '@/examples/demo-ivr.flow.json';
import { bindNumber, createFlow, publishFlow } from '@/server/flows/service';
import { encryptProfile } from '@/server/privacy/crypto';
import { seedTagRules } from '@/server/tags/service';
import { flowDocumentSchema } from '@/workflows/document';
import { generateHistory } from './history';

/**
 * The demo data: customers with tags, agents with skills, and the demo IVR live on the demo number;
 * with `history`, also 30 days of past contacts on it (./history.ts), which publish its version 2.
 */

export const DEMO_NUMBER = '+15005550100';

export const demoCustomers = [
  { firstName: 'Alice', lastName: 'Chen', phone: '+15005550001', email: 'alice@example.com', member: 'M-1001', locale: 'en-US', value: 0.95, behaviour: 0.4, tags: ['vip', 'high-value'] },
  { firstName: 'Bob', lastName: 'Miller', phone: '+15005550002', email: 'bob@example.com', member: 'M-1002', locale: 'en-US', value: 0.5, behaviour: 0.6, tags: ['elderly'] },
  { firstName: '伟', lastName: '王', phone: '+8613812345678', email: 'wangwei@example.cn', member: 'M-1003', locale: 'zh-CN', value: 0.7, behaviour: 0.8, tags: ['prefers-chinese', 'complaint-risk'] },
  { firstName: 'Maria', lastName: 'Garcia', phone: '+15005550003', email: 'maria@example.com', member: 'M-1004', locale: 'en-US', value: 0.3, behaviour: 0.2, tags: ['new-customer'] },
] as const;

/** Sensitive profile fields are stored encrypted (server/privacy/crypto.ts), demo ones too. */
const demoBirthdays: Record<(typeof demoCustomers)[number]['member'], string> = {
  'M-1001': '1984-03-12',
  'M-1002': '1948-11-02',
  'M-1003': '1985-06-15',
  'M-1004': '1999-08-30',
};

export async function seed(db: Db, options: { history?: boolean } = {}) {
  await db.insert(tags).values([
    { name: 'vip', category: 'value', description: 'Top-tier customers: straight to an agent' },
    { name: 'high-value', category: 'value', description: 'High lifetime value' },
    { name: 'elderly', category: 'static', description: 'Gets slower prompts' },
    { name: 'new-customer', category: 'dynamic', description: 'First 90 days' },
    { name: 'complaint-risk', category: 'dynamic', description: 'Recent complaints or upset calls' },
    { name: 'prefers-chinese', category: 'preference', description: 'Prefers Mandarin' },
  ]);
  await seedTagRules(db);
  for (const c of demoCustomers) {
    const inserted = await db
      .insert(customers)
      .values({
        firstName: c.firstName,
        lastName: c.lastName,
        locale: c.locale,
        valueScore: c.value,
        behaviourScore: c.behaviour,
        birthDate: demoBirthdays[c.member],
        sensitive: encryptProfile({ birthday: demoBirthdays[c.member] }),
      })
      .returning();
    const row = firstRow(inserted, 'insert into customers');
    await db.insert(customerIdentities).values([
      { customerId: row.id, kind: 'phone', value: c.phone },
      { customerId: row.id, kind: 'email', value: c.email },
      { customerId: row.id, kind: 'member', value: c.member },
    ]);
    await db.insert(customerTags).values(c.tags.map((tag) => ({ customerId: row.id, tag, source: 'import' as const })));
  }
  await db.insert(skills).values([
    { id: 'billing', name: 'Billing', description: 'Invoices, refunds, payments' },
    { id: 'tech-support', name: 'Technical support', description: 'Devices, service outages' },
    { id: 'general', name: 'General', description: 'Anything else' },
    { id: 'escalation', name: 'Escalation', description: 'Senior agents for upset or urgent customers' },
  ]);
  // agent@ and senior@ are local sign-ins (server/auth/seed-users.ts): agents are linked by email.
  const agentRows = await db
    .insert(agents)
    .values([
      { name: 'Local agent', email: 'agent@switchboard.local', choice: 'available', phone: '+15550100001' },
      { name: 'Sam Rivera', email: 'senior@switchboard.local', senior: true, choice: 'available', phone: '+15550100002' },
      { name: 'Dana Park', email: 'dana@switchboard.local' },
      { name: 'Lee Wong', email: 'lee@switchboard.local' },
    ])
    .returning();
  const [local, sam, dana, lee] = agentRows;
  if (!local || !sam || !dana || !lee) throw new MissingRowError('insert into agents (four demo agents)');
  await db.insert(agentSkills).values([
    { agentId: local.id, skillId: 'billing', level: 4 },
    { agentId: local.id, skillId: 'tech-support', level: 3 },
    { agentId: local.id, skillId: 'general', level: 3 },
    { agentId: local.id, skillId: 'escalation', level: 2 },
    { agentId: sam.id, skillId: 'escalation', level: 5 },
    { agentId: sam.id, skillId: 'billing', level: 5 },
    { agentId: dana.id, skillId: 'billing', level: 4 },
    { agentId: dana.id, skillId: 'general', level: 3 },
    { agentId: lee.id, skillId: 'tech-support', level: 5 },
    { agentId: lee.id, skillId: 'general', level: 2 },
  ]);

  await seedRoutingSettings(db);

  const document = flowDocumentSchema.parse(demoFlow);
  const flow = await createFlow(db, document);
  await publishFlow(db, { flowId: flow.id, document, message: 'Demo IVR' });
  await bindNumber(db, { flowId: flow.id, number: DEMO_NUMBER, channel: 'voice', label: 'Demo line' });
  const history = options.history ? await generateHistory(db, { flowId: flow.id }) : undefined;
  return { flowId: flow.id, history };
}

/** The flow answering calls to the demo number, if the demo data is there. */
export async function demoFlowId(db: Db): Promise<string | undefined> {
  const [row] = await db
    .select({ flowId: phoneNumbers.voiceFlowId })
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.number, DEMO_NUMBER), eq(phoneNumbers.active, true)));
  return row?.flowId ?? undefined;
}

export const demoWrapCodes = [
  { id: 'billing-resolved', label: 'Billing question resolved', labelZh: '账单问题已解决' },
  { id: 'refund-issued', label: 'Refund issued', labelZh: '已办理退款' },
  { id: 'tech-fixed', label: 'Technical issue fixed', labelZh: '技术问题已修复' },
  { id: 'callback-promised', label: 'Callback promised', labelZh: '已承诺回电' },
  { id: 'other', label: 'Other', labelZh: '其他' },
];

/** Wrap-up codes, suggested scripts in English and Chinese, and QA rules for agents' replies. */
async function seedRoutingSettings(db: Db) {
  await db.insert(wrapCodes).values(demoWrapCodes);
  await db.insert(scripts).values([
    {
      title: 'Calm an upset customer',
      language: 'en',
      trigger: 'upset',
      body: "I'm really sorry, {{customer.firstName}}, I can hear this has been frustrating. I'm {{agent.name}} and I will stay with you until it is sorted out. Could you tell me what happened?",
    },
    { title: '安抚情绪激动的客户', language: 'zh-CN', trigger: 'upset', body: '{{customer.name}}您好，非常抱歉给您带来了困扰，我是{{agent.name}}，会一直帮您处理到问题解决为止。能具体说说发生了什么吗？' },
    {
      title: 'Step by step, patiently',
      language: 'en',
      trigger: 'tag',
      tag: 'elderly',
      body: "Take all the time you need, {{customer.firstName}}. We'll go one step at a time, and I'll wait for you after each one. First, …",
    },
    { title: '耐心地一步一步来', language: 'zh-CN', trigger: 'tag', tag: 'elderly', body: '{{customer.name}}，您别着急，我们一步一步来，每一步我都等您做完再继续。首先……' },
    { title: 'Personal greeting for VIPs', language: 'en', trigger: 'tag', tag: 'vip', body: 'Welcome back, {{customer.firstName}}. Thank you for being with us; I am {{agent.name}} and I will take care of this for you personally.' },
    { title: '贵宾专属问候', language: 'zh-CN', trigger: 'tag', tag: 'vip', body: '{{customer.name}}，欢迎回来，感谢您一直以来的支持。我是{{agent.name}}，这件事由我亲自为您跟进。' },
    { title: 'Greeting', language: 'en', trigger: 'always', body: 'Hello {{customer.firstName}}, this is {{agent.name}}. How can I help you today?' },
    { title: '问候', language: 'zh-CN', trigger: 'always', body: '{{customer.name}}您好，我是{{agent.name}}，请问有什么可以帮您？' },
  ]);
  await db.insert(qaRules).values([
    { name: 'Insults', kind: 'words', action: 'block', terms: ['stupid', 'idiot', 'shut up', '笨蛋', '傻瓜', '闭嘴'], message: 'Stay polite: this reply insults the customer. / 请注意用语礼貌。' },
    { name: 'Card numbers', kind: 'pattern', action: 'block', pattern: '@card-number', message: 'Never write out a card number; ask the customer to use the secure payment line. / 请勿发送银行卡号。' },
    { name: 'ID numbers', kind: 'pattern', action: 'warn', pattern: '@cn-id', message: 'Avoid repeating ID numbers in writing. / 请避免发送身份证号码。' },
    { name: 'No promises', kind: 'words', action: 'warn', terms: ['guarantee', 'guaranteed', '保证'], message: 'Careful: do not promise what we cannot guarantee. / 请勿做出无法兑现的承诺。' },
    {
      name: 'Refund reference',
      kind: 'required-phrase',
      action: 'block',
      terms: ['refund reference', '退款编号'],
      wrapCodes: ['refund-issued'],
      message: 'Give the customer the refund reference before resolving as “Refund issued”. / 请先告知客户退款编号。',
    },
  ]);
}

/** Seeds a database that has neither customers nor flows, history included; leaves any other database alone. */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  const { n: customerCount } = firstRow(await db.select({ n: count() }).from(customers), 'count of customers');
  const { n: flowCount } = firstRow(await db.select({ n: count() }).from(flows), 'count of flows');
  if (customerCount > 0 || flowCount > 0) return false;
  await seed(db, { history: true });
  return true;
}
