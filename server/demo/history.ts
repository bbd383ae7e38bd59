import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, inArray, like, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type Db, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';
import {
  agentSkills,
  customerIdentities,
  customers,
  customerTags,
  experiments,
  experimentVariants,
  flows,
  flowVersions,
  handoffEvents,
  handoffs,
  interactions,
  interactionSteps,
  phoneNumbers,
  wrapCodes,
} from '@/db/schema';
import { definition as endNode } from '@/nodes/end/definition';
import { definition as sayNode } from '@/nodes/say/definition';
import { computePriority } from '@/nodes/route-to-skill/priority';
import { classifyEmotion } from '@/nodes/shared/emotion';
import { pickVariant } from '@/server/analytics/assign';
import { DEFAULT_KPI_SETTINGS } from '@/server/analytics/kpis';
import { publishFlow, saveDraft } from '@/server/flows/service';
import type { CompiledFlow, CompiledNode } from '@/workflows/compiled';
import type { FlowDocument } from '@/workflows/document';

/**
 * Thirty days of made-up but plausible traffic on the demo flow, so the performance and experiment
 * pages have figures: synthetic callers walk the flow's compiled program node by node, queue for
 * agents, hang up, call back when their problem was not solved, and answer surveys. Version 2 of
 * the flow (a self-service balance option) is published half-way and tested against version 1.
 * Rows are written as the runtime writes them, closed (no open handoff is left for the inbox).
 */

export interface HistoryOptions {
  flowId: string;
  days?: number;
  contactsPerDay?: number;
  /** Synthetic customers to create; the customers already there call too. */
  customers?: number;
  now?: Date;
  seed?: number;
  /** Split traffic between version 1 and 2 from day −14 on (else version 2 takes it all). */
  experiment?: boolean;
  /** Contacts per transaction. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface HistoryResult {
  interactions: number;
  steps: number;
  handoffs: number;
  customers: number;
  versions: { v1Id: string; v2Id: string };
  experimentId?: string;
}

export const HISTORY_WORKFLOW_PREFIX = 'history:';
export const BALANCE_EXPERIMENT = 'Self-service balance option';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Version 2 is published, and the experiment starts, this many days before the end. */
const V2_DAYS_AGO = 14;
/** Share of contacts that are first contacts; the rest are call-backs (see REPEAT). */
const FRESH_SHARE = 0.82;
/**
 * A new, unrelated issue seldom comes within a week of the last contact: first contacts go to
 * callers who have not called for this long, so repeat contacts within the FCR window are the
 * call-backs REPEAT models (about a failed contact), not chance.
 */
const NEW_ISSUE_GAP_MS = 7 * DAY_MS;

// --- randomness ---------------------------------------------------------------------------------

type Rng = () => number;

/** mulberry32: a small, fast, seedable PRNG, so the same seed gives the same history. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rng: Rng, min: number, max: number) => min + rng() * (max - min);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const exponential = (rng: Rng, mean: number) => -mean * Math.log(1 - rng());
const gaussian = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** An index of `weights` drawn in proportion to its weight; -1 when none is positive. */
function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let r = rng() * weights.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < weights.length; i++) {
    if ((r -= weights[i]!) < 0) return i;
  }
  return -1;
}

/** A key of `weights` drawn in proportion to its weight; undefined when none is positive. */
function weighted<K extends string>(rng: Rng, weights: Partial<Record<K, number>>): K | undefined {
  const entries = Object.entries(weights) as [K, number][];
  return entries[weightedIndex(rng, entries.map(([, w]) => w))]?.[0];
}

/** A v4-shaped uuid from the PRNG: the experiment's id decides who is in which arm, so it is seeded too. */
function seededUuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(rng() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

// --- when people call ---------------------------------------------------------------------------

/** Relative traffic per hour (the server's local time): quiet at night, busy 08:00–20:00 with a dip at lunch. */
const HOUR_WEIGHTS = [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.5, 1.0, 1.3, 1.4, 1.35, 1.0, 1.1, 1.3, 1.3, 1.2, 1.0, 0.8, 0.6, 0.45, 0.25, 0.15, 0.08];
/** Sunday … Saturday. */
const WEEKDAY_WEIGHTS = [0.4, 1.05, 1.0, 1.0, 1.0, 0.95, 0.55];
const MEAN_WEEKDAY_WEIGHT = WEEKDAY_WEIGHTS.reduce((a, b) => a + b, 0) / 7;

/** Call-backs: how likely a caller tries again after each kind of ending, and how soon. */
const REPEAT = {
  contained: { chance: 0.08, afterHours: [1, 20] },
  flowHangup: { chance: 0.35, afterHours: [0.05, 1] },
  ivrHangup: { chance: 0.4, afterHours: [0.1, 3] },
  queueAbandoned: { chance: 0.5, afterHours: [0.2, 4] },
  resolved: { chance: 0.04, afterHours: [24, 7 * 24] },
  unresolved: { chance: 0.6, afterHours: [3, 5 * 24] },
} as const satisfies Record<string, { chance: number; afterHours: readonly [number, number] }>;
type Ending = keyof typeof REPEAT;

// --- how callers behave at each node of the demo flow -------------------------------------------

interface Caller {
  id: string;
  phone: string;
  locale: 'en-US' | 'zh-CN';
  tags: ReadonlySet<string>;
  value: number;
  behaviour: number;
}

type Temper = 'upset' | 'neutral' | 'positive';

interface Contact {
  caller: Caller;
  /** Decided when the call starts, so what the caller says matches what the emotion check hears. */
  temper: Temper;
}

interface QueueBehaviour {
  skill: string;
  /** The node's hold timeout; 0 for a hold that never gives up (escalation). */
  timeoutSeconds: number;
  answered: number;
  abandoned: number;
  meanWaitSeconds: number;
  urgent?: boolean;
  /** The interaction's status however the hold ends (an escalation is escalated). */
  endsAs?: 'escalated';
  reason: (contact: Contact, emotion: string | null) => string;
}

interface NodeBehaviour {
  ms: [number, number];
  /** Per port, when leaving by it takes a different time (a menu that times out is asked three times). */
  portMs?: Record<string, [number, number]>;
  /** Chance the caller hangs up during this node. */
  hangup?: number;
  /** Port weights; ports the version's node does not have are left out (version 1 has no option 3). */
  ports?: Record<string, number>;
  /** A port the caller's facts decide (tags, temper); undefined falls back to `ports`. */
  pick?: (contact: Contact) => string | undefined;
  input?: (port: string, contact: Contact, rng: Rng) => string | null;
  /** This node scores the caller's emotion; the port is its label. */
  scoresEmotion?: boolean;
  queue?: QueueBehaviour;
  /** For a node without ports: what the end step records. */
  end?: 'completed' | 'hangup';
}

const REASONS: Record<Caller['locale'], Record<Temper, string[]>> = {
  'en-US': {
    upset: ['This is ridiculous, I was charged twice this month!', 'I am furious, my bill doubled and nobody told me', 'Terrible service, you cut me off although I paid'],
    neutral: ['I have a question about my last invoice', 'I want to change my payment date', 'What is this extra fee on my bill'],
    positive: ['Thanks, I just want to check the price of my new plan', 'Great service so far, I only need a copy of my invoice'],
  },
  'zh-CN': {
    upset: ['太离谱了，这个月重复扣费了！', '我非常生气，账单翻倍了也没人通知我'],
    neutral: ['我想问一下上个月的账单', '我想修改付款日期', '账单上这笔额外费用是什么'],
    positive: ['谢谢，我想确认一下新套餐的价格', '服务很好，我只需要一份发票'],
  },
};

const hasAny = (caller: Caller, tags: string[]) => tags.some((tag) => caller.tags.has(tag));
const MENU_KEYS: Record<string, string> = { 'option-0': '0', 'option-1': '1', 'option-2': '2', 'option-3': '3', invalid: '9' };

/**
 * The demo flow (examples/demo-ivr.flow.json and its version 2), by node id. A node not listed here
 * leaves by its first port, or ends the run when it has none.
 */
const BEHAVIOUR: Record<string, NodeBehaviour> = {
  start: { ms: [20, 150] },
  welcome: { ms: [2500, 4000], hangup: 0.01 },
  'main-menu': {
    ms: [4000, 9000],
    portMs: { timeout: [30_000, 40_000], invalid: [18_000, 32_000] },
    hangup: 0.025,
    ports: { 'option-1': 34, 'option-2': 28, 'option-0': 14, 'option-3': 16, timeout: 4, invalid: 3 },
    // The menu's per-tag behaviour sends VIPs straight to an agent.
    pick: ({ caller }) => (caller.tags.has('vip') ? 'option-0' : undefined),
    input: (port) => MENU_KEYS[port] ?? null,
  },
  'ask-reason': {
    ms: [5000, 14_000],
    portMs: { timeout: [6500, 7500] },
    hangup: 0.02,
    ports: { collected: 90, timeout: 10 },
    input: (port, { caller, temper }, rng) => (port === 'collected' ? pick(rng, REASONS[caller.locale][temper]) : null),
  },
  mood: { ms: [150, 600], scoresEmotion: true, pick: ({ temper }) => temper },
  'sorry-sms': { ms: [300, 1200], ports: { sent: 97, failed: 3 } },
  'mark-risk': { ms: [20, 80] },
  'is-vip': { ms: [5, 30], pick: ({ caller }) => (hasAny(caller, ['vip', 'high-value']) ? 'matched' : 'noMatch') },
  'route-billing': {
    ms: [0, 0],
    queue: { skill: 'billing', timeoutSeconds: 120, answered: 84, abandoned: 8, meanWaitSeconds: 28, reason: () => 'Asked for skill “billing”' },
  },
  'route-tech': {
    ms: [0, 0],
    queue: { skill: 'tech-support', timeoutSeconds: 120, answered: 83, abandoned: 8, meanWaitSeconds: 32, reason: () => 'Asked for skill “tech-support”' },
  },
  'route-general': {
    ms: [0, 0],
    queue: { skill: 'general', timeoutSeconds: 120, answered: 86, abandoned: 7, meanWaitSeconds: 20, reason: () => 'Asked for skill “general”' },
  },
  escalate: {
    ms: [0, 0],
    queue: {
      skill: 'escalation',
      timeoutSeconds: 0,
      answered: 95,
      abandoned: 5,
      meanWaitSeconds: 12,
      urgent: true,
      endsAs: 'escalated',
      reason: (_contact, emotion) => `No agent answered in time (emotion ${emotion ?? ''})`,
    },
  },
  goodbye: { ms: [3000, 5000], end: 'hangup' },
  balance: { ms: [5000, 8000], hangup: 0.01 },
  'balance-bye': { ms: [1500, 2500], end: 'completed' },
};

/** Weights of CSAT 1 … 5: for a happy caller, after one bad experience (a long wait, upset, not solved), after several. */
const CSAT_WEIGHTS = [
  [2, 3, 8, 30, 57],
  [5, 8, 20, 37, 30],
  [18, 18, 26, 24, 14],
];

/** Wrap-up codes per queue, and whether the agent resolved it on first contact. */
const WRAP_UPS: Record<string, Record<string, number>> = {
  billing: { 'billing-resolved': 60, 'refund-issued': 25, 'callback-promised': 10, other: 5 },
  'tech-support': { 'tech-fixed': 72, 'callback-promised': 18, other: 10 },
  general: { other: 45, 'billing-resolved': 25, 'tech-fixed': 20, 'callback-promised': 10 },
  escalation: { 'billing-resolved': 35, 'refund-issued': 30, 'tech-fixed': 15, 'callback-promised': 15, other: 5 },
};

// --- version 2 ----------------------------------------------------------------------------------

const MENU_ID = 'main-menu';
const BALANCE_DIGIT = '3';

/** Version 1's document with option 3 on the main menu: the balance is read out and the call ends. */
export function withBalanceOption(document: FlowDocument): FlowDocument {
  const menu = document.nodes.find((node) => node.id === MENU_ID);
  const options = menu?.config.options;
  if (!menu || !Array.isArray(options)) throw new Error(`the flow has no menu '${MENU_ID}' with options`);
  if (options.some((option: { digit?: string }) => option.digit === BALANCE_DIGIT)) throw new Error(`the menu already has an option ${BALANCE_DIGIT}`);
  const prompt = String(menu.config.prompt ?? '').replace(' To speak to an agent', ' For your balance, press 3 or say balance. To speak to an agent');
  return {
    ...document,
    nodes: [
      ...document.nodes.map((node) =>
        node.id === MENU_ID ? { ...node, config: { ...node.config, prompt, options: [...options, { digit: BALANCE_DIGIT, label: 'Balance', keywords: ['balance', '余额'] }] } } : node,
      ),
      {
        id: 'balance',
        type: sayNode.type,
        typeVersion: sayNode.version,
        position: { x: 1002, y: -160 },
        config: { text: 'Your current balance is 42 dollars and 17 cents, due on the 28th. You can pay any time in the app.', language: 'en-US' },
      },
      {
        id: 'balance-bye',
        type: endNode.type,
        typeVersion: endNode.version,
        position: { x: 1332, y: -160 },
        config: { message: 'Thanks for calling. Goodbye!', outcome: 'completed', language: 'en-US' },
      },
    ],
    edges: [
      ...document.edges,
      { id: `e-${MENU_ID}-option-${BALANCE_DIGIT}`, source: MENU_ID, sourcePort: `option-${BALANCE_DIGIT}`, target: 'balance' },
      { id: 'e-balance-next', source: 'balance', sourcePort: 'next', target: 'balance-bye' },
    ],
  };
}

// --- customers ----------------------------------------------------------------------------------

const FIRST_EN = [
  'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph',
  'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Nancy', 'Anthony', 'Lisa', 'Mark', 'Emily', 'Steven', 'Ashley', 'Andrew', 'Michelle', 'Joshua',
  'Amanda', 'Kevin', 'Melissa', 'Brian', 'Stephanie', 'Priya', 'Carlos', 'Sofia', 'Ahmed', 'Fatima', 'Kenji', 'Yuki', 'Olga', 'Luca', 'Chloe', 'Noah', 'Emma',
  'Liam', 'Olivia', 'Aisha', 'Diego', 'Hannah', 'Omar', 'Grace', 'Ethan', 'Zoe', 'Mateo', 'Isabella', 'Samuel',
];
const LAST_EN = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson',
  'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Singh', 'Murphy', 'Cohen', 'Okafor', 'Novak',
  'Rossi', 'Schmidt', 'Dubois', 'Silva', 'Tanaka', 'Kowalski', "O'Brien", 'Hughes', 'Price', 'Bennett', 'Wood', 'Reyes', 'Sullivan',
];
const SURNAME_ZH = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹'];
const GIVEN_ZH = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '婷',
  '浩然', '子涵', '欣怡', '宇轩', '思远', '晓明', '雨桐', '俊杰', '佳怡', '志强', '海燕', '立新', '梓萱', '嘉豪', '春梅',
];

/** Creates `n` customers with a phone, often an email and a member id, and some of the demo tags. */
async function createCustomers(db: Db, rng: Rng, n: number, now: number): Promise<Caller[]> {
  const taken = new Set((await db.select({ value: customerIdentities.value }).from(customerIdentities).where(eq(customerIdentities.kind, 'phone'))).map((r) => r.value));
  const callers: Caller[] = [];
  const customerRows: (typeof customers.$inferInsert)[] = [];
  const identityRows: (typeof customerIdentities.$inferInsert)[] = [];
  const tagRows: (typeof customerTags.$inferInsert)[] = [];
  const memberBase = 20_000 + Math.floor(rng() * 70_000);
  for (let i = 0; i < n; i++) {
    const zh = rng() < 0.35;
    let phone: string;
    do {
      // The demo's 王伟 is +8613812345678: no synthetic number contains it, so searching for it finds one customer.
      phone = zh ? `+86138${String(Math.floor(rng() * 1e8)).padStart(8, '0')}` : `+1555${String(Math.floor(rng() * 1e7)).padStart(7, '0')}`;
    } while (taken.has(phone) || phone.endsWith('12345678'));
    taken.add(phone);
    const tags = new Set<string>();
    if (rng() < 0.03) tags.add('vip');
    if (tags.has('vip') || rng() < 0.09) tags.add('high-value');
    if (rng() < 0.08) tags.add('elderly');
    const isNew = rng() < 0.1;
    if (isNew) tags.add('new-customer');
    if (rng() < 0.05) tags.add('complaint-risk');
    if (zh ? rng() < 0.75 : rng() < 0.01) tags.add('prefers-chinese');
    const value = tags.has('vip') ? between(rng, 0.9, 1) : tags.has('high-value') ? between(rng, 0.75, 0.95) : 0.1 + 0.6 * rng() ** 2;
    const behaviour = tags.has('complaint-risk') ? between(rng, 0.7, 0.95) : between(rng, 0.2, 0.8);
    const id = randomUUID();
    const since = new Date(now - (isNew ? between(rng, 1, 90) : between(rng, 120, 1500)) * DAY_MS);
    const [firstName, lastName] = zh ? [pick(rng, GIVEN_ZH), pick(rng, SURNAME_ZH)] : [pick(rng, FIRST_EN), pick(rng, LAST_EN)];
    const locale = zh ? 'zh-CN' : 'en-US';
    customerRows.push({ id, firstName, lastName, locale, valueScore: round(value, 3), behaviourScore: round(behaviour, 3), createdAt: since, updatedAt: since });
    identityRows.push({ customerId: id, kind: 'phone', value: phone, createdAt: since });
    const member = memberBase + i;
    if (rng() < 0.6) identityRows.push({ customerId: id, kind: 'email', value: zh ? `user${member}@example.cn` : `${firstName}.${lastName}.${member}@example.com`.toLowerCase().replace("'", ''), createdAt: since });
    if (rng() < 0.5) identityRows.push({ customerId: id, kind: 'member', value: `M-${member}`, createdAt: since });
    for (const tag of tags) tagRows.push({ customerId: id, tag, source: 'import', createdAt: since });
    callers.push({ id, phone, locale, tags, value, behaviour });
  }
  await db.transaction(async (tx) => {
    await bulkInsert(tx, customers, customerRows);
    // Another customer may already have the email or member id: that customer keeps it.
    await bulkInsert(tx, customerIdentities, identityRows, { ignoreConflicts: true });
    await bulkInsert(tx, customerTags, tagRows);
  });
  return callers;
}

/** The customers already there with a phone (the demo's four): they call too. */
async function existingCallers(db: Db): Promise<Caller[]> {
  const rows = await db
    .select({ id: customers.id, locale: customers.locale, value: customers.valueScore, behaviour: customers.behaviourScore, phone: customerIdentities.value })
    .from(customers)
    .innerJoin(customerIdentities, and(eq(customerIdentities.customerId, customers.id), eq(customerIdentities.kind, 'phone')))
    // In a stable order, so the same seed gives the same history.
    .orderBy(customerIdentities.value);
  const tags = new Map<string, Set<string>>();
  for (const t of rows.length > 0 ? await db.select().from(customerTags) : []) tags.set(t.customerId, (tags.get(t.customerId) ?? new Set()).add(t.tag));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id)).map((r) => ({ ...r, tags: tags.get(r.id) ?? new Set() }));
}

// --- one contact --------------------------------------------------------------------------------

type InteractionRow = typeof interactions.$inferInsert;
type StepRow = typeof interactionSteps.$inferInsert;
type HandoffRow = typeof handoffs.$inferInsert;
type EventRow = typeof handoffEvents.$inferInsert;

interface Batch {
  interactions: InteractionRow[];
  steps: StepRow[];
  handoffs: HandoffRow[];
  events: EventRow[];
}

interface World {
  rng: Rng;
  now: number;
  /** Agents per skill, weighted by level; senior ones are offered escalations first. */
  agents: Map<string, { id: string; weight: number }[]>;
  wrapCodes: Set<string>;
}

/** Walks `program` for one call starting at `startMs`, appending its rows to `batch`; returns how it ended. */
function runContact(world: World, batch: Batch, program: CompiledFlow, contact: Contact, startMs: number, row: Omit<InteractionRow, 'status' | 'startedAt'>): Ending {
  const { rng } = world;
  const interactionId = row.id!;
  const slow = contact.caller.tags.has('elderly') ? 1.4 : 1;
  let emotion: { score: number; label: Temper } | null = null;
  let status: InteractionRow['status'] = 'completed';
  let error: string | null = null;
  let ending: Ending = 'contained';
  let resolved: { at: number; waited: number; fcr: boolean } | null = null;
  let t = startMs;
  let seq = 0;
  let nodeId: string | null = program.entry;

  /** Records the step at `node` from `t` to `t + ms`. */
  const step = (node: CompiledNode, ms: number, port: string | null, extra: Partial<StepRow> = {}) => {
    seq += 1;
    const startedAt = t;
    t += Math.max(1, Math.round(ms));
    batch.steps.push({ interactionId, seq, nodeId: node.id, nodeType: node.type, port, input: null, data: {}, error: null, startedAt: new Date(startedAt), endedAt: new Date(t), durationMs: t - startedAt, ...extra });
  };

  while (nodeId !== null && seq < 40) {
    const node: CompiledNode | undefined = program.nodes[nodeId];
    if (!node) break;
    const behaviour = BEHAVIOUR[node.id];
    const ports = Object.keys(node.next);

    if (behaviour?.queue) {
      const q = behaviour.queue;
      const outcome = weighted(rng, { answered: q.answered, abandoned: q.abandoned, timeout: q.timeoutSeconds > 0 ? 100 - q.answered - q.abandoned : 0 })!;
      const handoffId = randomUUID();
      const queuedAt = t + between(rng, 200, 800);
      // Busy hours mean longer waits.
      const load = 0.6 + (0.6 * HOUR_WEIGHTS[new Date(queuedAt).getHours()]!) / 1.4;
      const priority = q.urgent ? 100 : computePriority(contact.caller, emotion);
      const handoff: HandoffRow = {
        id: handoffId,
        interactionId,
        customerId: contact.caller.id,
        idempotencyKey: `${HISTORY_WORKFLOW_PREFIX}${interactionId}:${seq + 1}`,
        channel: 'voice',
        skill: q.skill,
        reqSkill: q.skill,
        priority,
        urgent: q.urgent ?? false,
        reason: q.reason(contact, emotion?.label ?? null),
        queuedAt: new Date(queuedAt),
        virtualStart: new Date(queuedAt),
        createdAt: new Date(queuedAt),
      };
      const event = (kind: EventRow['kind'], at: number, agentId: string | null, detail: Record<string, unknown>) =>
        batch.events.push({ handoffId, kind, agentId, detail, at: new Date(at) });
      event('queued', queuedAt, null, { skill: q.skill, priority });
      // The hold lasts until the caller leaves the queue or the agent: that is the step's time.
      const ends = (at: number, data: Record<string, unknown>) => step(node, at - t, null, { data });

      if (outcome === 'answered') {
        const limit = q.timeoutSeconds > 0 ? q.timeoutSeconds - 2 : 1800;
        const wait = Math.min(limit, 1 + exponential(rng, q.meanWaitSeconds * load));
        const acceptedAt = queuedAt + wait * 1000;
        const offeredAt = Math.max(queuedAt, acceptedAt - between(rng, 2000, 8000));
        const talk = (150 + 370 * rng() ** 1.3) * 1000;
        const endedAt = acceptedAt + talk;
        const resolvedAt = endedAt + between(rng, 15_000, 80_000);
        const agentId = pickAgent(world, q.skill);
        const wrapCode = pickWrapCode(world, q.skill);
        const fcr = wrapCode !== 'callback-promised' && rng() < 0.87;
        Object.assign(handoff, { status: 'resolved', assignedAgentId: agentId, acceptedAt: new Date(acceptedAt), endedAt: new Date(endedAt), resolvedAt: new Date(resolvedAt), wrapCode, firstContactResolution: fcr });
        event('offered', offeredAt, agentId, { expiresAt: new Date(offeredAt + 20_000).toISOString(), by: 'handoff' });
        event('accepted', acceptedAt, agentId, { waitedSeconds: Math.round(wait) });
        event('ended', endedAt, agentId, { by: 'customer' });
        event('resolved', resolvedAt, agentId, { wrapCode, firstContactResolution: fcr });
        batch.handoffs.push(handoff);
        ends(endedAt, { end: q.endsAs ?? 'completed' });
        status = q.endsAs ?? 'completed';
        resolved = { at: resolvedAt, waited: wait, fcr };
        ending = fcr ? 'resolved' : 'unresolved';
        break;
      }
      if (outcome === 'abandoned') {
        // Some hang up at once on hearing the hold message (short abandons), the rest lose patience.
        const limit = q.timeoutSeconds > 0 ? q.timeoutSeconds - 3 : 600;
        const waited = rng() < 0.3 ? between(rng, 1, 4.9) : between(rng, 5, limit);
        const at = queuedAt + waited * 1000;
        Object.assign(handoff, { status: 'abandoned', endedAt: new Date(at) });
        event('abandoned', at, null, { waitedSeconds: Math.round(waited) });
        batch.handoffs.push(handoff);
        ends(at, { end: q.endsAs ?? 'hangup' });
        status = q.endsAs ?? 'abandoned';
        ending = 'queueAbandoned';
        break;
      }
      const at = queuedAt + q.timeoutSeconds * 1000;
      Object.assign(handoff, { status: 'timeout', endedAt: new Date(at) });
      event('timeout', at, null, { waitedSeconds: q.timeoutSeconds });
      batch.handoffs.push(handoff);
      step(node, at - t, 'timeout');
      ending = 'queueAbandoned';
      nodeId = node.next.timeout ?? null;
      continue;
    }

    const [minMs, maxMs] = behaviour?.ms ?? [50, 500];
    if (behaviour?.hangup !== undefined && rng() < behaviour.hangup) {
      step(node, between(rng, minMs, maxMs) * slow * rng(), null, { error: 'caller hung up' });
      status = 'abandoned';
      error = 'caller hung up';
      ending = 'ivrHangup';
      break;
    }
    if (ports.length === 0) {
      const end = behaviour?.end ?? 'completed';
      step(node, between(rng, minMs, maxMs), null, { data: { end } });
      ending = end === 'hangup' ? 'flowHangup' : 'contained';
      break;
    }
    const decided = behaviour?.pick?.(contact);
    const offered = behaviour?.ports && Object.fromEntries(Object.entries(behaviour.ports).filter(([port]) => ports.includes(port)));
    const port = decided !== undefined && ports.includes(decided) ? decided : ((offered && weighted(rng, offered)) ?? ports[0]!);
    const [portMin, portMax] = behaviour?.portMs?.[port] ?? [minMs, maxMs];
    const extra: Partial<StepRow> = { input: behaviour?.input?.(port, contact, rng) ?? null };
    if (behaviour?.scoresEmotion) {
      const score = port === 'upset' ? between(rng, -0.95, -0.35) : port === 'positive' ? between(rng, 0.35, 0.9) : between(rng, -0.25, 0.25);
      emotion = { score: round(score, 2), label: classifyEmotion(score) };
      extra.data = { emotion };
    }
    step(node, between(rng, portMin, portMax) * (decided === 'option-0' && contact.caller.tags.has('vip') ? 0.1 : slow), port, extra);
    nodeId = node.next[port] ?? null;
  }

  // Only the emotion check scores emotion; a few contacts carry a mild score from elsewhere (an SMS reply).
  if (emotion === null && rng() < 0.3) {
    const score = round(between(rng, -0.25, 0.35), 2);
    emotion = { score, label: classifyEmotion(score) };
  }
  let csat: number | null = null;
  let csatRequestedAt: Date | null = null;
  if (resolved !== null) {
    const { at, waited, fcr } = resolved;
    const unhappy = (waited > 60 ? 1 : 0) + (emotion?.label === 'upset' ? 1 : 0) + (fcr ? 0 : 1);
    const answers = rng() < 0.55;
    // A survey waits 24 h for its answer: none is left open, or a demo caller's next text could answer it.
    if (rng() < 0.75 && (answers || at < world.now - DAY_MS)) {
      csatRequestedAt = new Date(at + 5000);
      if (answers) csat = 1 + weightedIndex(rng, CSAT_WEIGHTS[Math.min(unhappy, 2)]!);
    }
  }
  batch.interactions.push({
    ...row,
    status,
    error,
    emotionScore: emotion?.score ?? null,
    emotionLabel: emotion?.label ?? null,
    csat,
    csatRequestedAt,
    startedAt: new Date(startMs),
    endedAt: new Date(t + 200),
  });
  return ending;
}

function pickAgent(world: World, skill: string): string | null {
  const list = world.agents.get(skill) ?? [...world.agents.values()].flat();
  return list[weightedIndex(world.rng, list.map((a) => a.weight))]?.id ?? null;
}

function pickWrapCode(world: World, skill: string): string | null {
  const usable = Object.fromEntries(Object.entries(WRAP_UPS[skill] ?? {}).filter(([code]) => world.wrapCodes.has(code)));
  return weighted(world.rng, usable) ?? [...world.wrapCodes][0] ?? null;
}

// --- the whole history --------------------------------------------------------------------------

/** A queue of contacts by time: first contacts are known up front (their caller is chosen when they come, -1), call-backs join as contacts end. */
class ContactQueue {
  private heap: { at: number; caller: number }[] = [];
  push(item: { at: number; caller: number }) {
    const h = this.heap;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }
  pop(): { at: number; caller: number } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }
}

/** A call-back lands in opening hours: one that would come at night comes the next morning. */
function daytime(rng: Rng, at: number): number {
  const d = new Date(at);
  if (d.getHours() >= 8 && d.getHours() < 21) return at;
  if (d.getHours() >= 21) d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime() + between(rng, 0, 3) * HOUR_MS;
}

export async function generateHistory(db: Db, options: HistoryOptions): Promise<HistoryResult> {
  const days = options.days ?? 30;
  const perDay = options.contactsPerDay ?? 150;
  const batchSize = options.batchSize ?? 1000;
  const rng = mulberry32(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const end = now - HOUR_MS;
  const start = end - days * DAY_MS;
  const v2From = Math.max(start, end - V2_DAYS_AGO * DAY_MS);

  // Versions: the live one is version 1; version 2 adds the balance option and becomes the draft too.
  const flow = firstRow(await db.select().from(flows).where(eq(flows.id, options.flowId)), `flow ${options.flowId}`);
  if (!flow.liveVersionId) throw new Error('the flow has no live version to build history on');
  const v1 = firstRow(await db.select().from(flowVersions).where(eq(flowVersions.id, flow.liveVersionId)), 'the live flow version');
  const number = firstRow(
    await db.select({ number: phoneNumbers.number }).from(phoneNumbers).where(and(eq(phoneNumbers.voiceFlowId, flow.id), eq(phoneNumbers.active, true))).limit(1),
    'the voice number of the flow',
  ).number;
  const [live] = await db
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.number, number), eq(experiments.channel, 'voice'), inArray(experiments.status, ['running', 'paused'])));
  if (live && options.experiment !== false) throw new Error(`${number} already runs an experiment`);
  const document = withBalanceOption(v1.document);
  const { version: v2 } = await publishFlow(db, { flowId: flow.id, document, message: 'Self-service balance option' });
  // The canvas shows what is live, unless someone has changed the draft since (theirs is kept).
  if (JSON.stringify(flow.draft) === JSON.stringify(v1.document)) await saveDraft(db, { flowId: flow.id, document, expectedRevision: flow.draftRevision });
  // Versions are immutable, but this is made-up past: they were published back then.
  await db
    .update(flowVersions)
    .set({ publishedAt: sql`least(${flowVersions.publishedAt}, ${new Date(start - HOUR_MS).toISOString()}::timestamptz)` })
    .where(eq(flowVersions.id, v1.id));
  await db.update(flowVersions).set({ publishedAt: new Date(v2From) }).where(eq(flowVersions.id, v2.id));
  const programs = new Map<string, CompiledFlow>([
    [v1.id, v1.compiled],
    [v2.id, v2.compiled],
  ]);

  let experimentId: string | undefined;
  let arms: { id: string; versionId: string; weight: number }[] = [];
  if (options.experiment !== false) {
    experimentId = seededUuid(rng);
    arms = [
      { id: randomUUID(), versionId: v1.id, weight: 50 },
      { id: randomUUID(), versionId: v2.id, weight: 50 },
    ];
    await db.insert(experiments).values({
      id: experimentId,
      name: BALANCE_EXPERIMENT,
      hypothesis: 'Reading out the balance in the menu (press 3) lets more callers finish without an agent, without more hang-ups, escalations or unhappy callers.',
      number,
      channel: 'voice',
      flowId: flow.id,
      status: 'running',
      metric: 'containment',
      guardrails: ['abandonment', 'escalation', 'csat'],
      minimumEffect: 0.05,
      createdAt: new Date(v2From - HOUR_MS),
      startedAt: new Date(v2From),
    });
    await db.insert(experimentVariants).values([
      { id: arms[0]!.id, experimentId, position: 0, name: 'Current menu (version 1)', flowVersionId: v1.id, weight: 50 },
      { id: arms[1]!.id, experimentId, position: 1, name: 'Balance option (version 2)', flowVersionId: v2.id, weight: 50 },
    ]);
  }

  // Who calls, and how often: a few people call a lot, most once or twice a month.
  const before = await existingCallers(db);
  const created = await createCustomers(db, rng, options.customers ?? 1200, now);
  const callers = [...before, ...created];
  if (callers.length === 0) throw new Error('no callers');
  const cumulative: number[] = [];
  for (const _ of callers) cumulative.push((cumulative.at(-1) ?? 0) + Math.exp(0.6 * gaussian(rng)));
  const total = cumulative.at(-1)!;
  const randomCaller = () => {
    const r = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const agentRows = await db.select().from(agentSkills).orderBy(agentSkills.agentId, agentSkills.skillId);
  const world: World = {
    rng,
    now,
    agents: new Map(),
    wrapCodes: new Set((await db.select({ id: wrapCodes.id }).from(wrapCodes).where(eq(wrapCodes.active, true)).orderBy(wrapCodes.id)).map((r) => r.id)),
  };
  for (const a of agentRows) world.agents.set(a.skillId, [...(world.agents.get(a.skillId) ?? []), { id: a.agentId, weight: a.level ** 2 }]);

  // First contacts, day by day along the weekly and daily curves.
  const queue = new ContactQueue();
  for (const day = new Date(start); day.getTime() < end; day.setDate(day.getDate() + 1)) {
    day.setHours(0, 0, 0, 0);
    const expected = perDay * FRESH_SHARE * (WEEKDAY_WEIGHTS[day.getDay()]! / MEAN_WEEKDAY_WEIGHT) * between(rng, 0.85, 1.15);
    for (let i = 0; i < Math.round(expected); i++) {
      const at = day.getTime() + (weightedIndex(rng, HOUR_WEIGHTS) + rng()) * HOUR_MS;
      if (at >= start && at < end) queue.push({ at, caller: -1 });
    }
  }

  const expectedTotal = Math.round(days * perDay);
  const counts = { interactions: 0, steps: 0, handoffs: 0 };
  let batch: Batch = { interactions: [], steps: [], handoffs: [], events: [] };
  // One batch is written while the next is made (a write is mostly the database's time).
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const full = batch;
    batch = { interactions: [], steps: [], handoffs: [], events: [] };
    counts.interactions += full.interactions.length;
    counts.steps += full.steps.length;
    counts.handoffs += full.handoffs.length;
    await writing;
    writing = writeBatch(db, full);
    writing.catch(() => {});
    options.onProgress?.(counts.interactions, Math.max(expectedTotal, counts.interactions));
  };

  const lastContact = new Float64Array(callers.length).fill(-Infinity);
  const freshCaller = (at: number) => {
    let index = randomCaller();
    for (let tries = 0; tries < 20 && lastContact[index]! > at - NEW_ISSUE_GAP_MS; tries++) index = randomCaller();
    return index;
  };
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (next.caller < 0) next.caller = freshCaller(next.at);
    lastContact[next.caller] = next.at;
    const caller = callers[next.caller]!;
    const arm = next.at >= v2From && arms.length > 0 ? pickVariant(experimentId!, caller.phone, arms) : undefined;
    const versionId = arm ? arm.versionId : next.at >= v2From ? v2.id : v1.id;
    const id = randomUUID();
    const temper = weighted(rng, { upset: 25, neutral: 50, positive: 25 })!;
    const ending = runContact(world, batch, programs.get(versionId)!, { caller, temper }, next.at, {
      id,
      channel: 'voice',
      workflowId: `${HISTORY_WORKFLOW_PREFIX}${id}`,
      externalId: `CAhist${id.replace(/-/g, '').slice(0, 28)}`,
      flowId: flow.id,
      flowVersionId: versionId,
      customerId: caller.id,
      fromNumber: caller.phone,
      toNumber: number,
      isTest: false,
      vars: {},
      experimentVariantId: arm?.id ?? null,
    });
    const repeat = REPEAT[ending];
    if (rng() < repeat.chance) {
      const at = daytime(rng, next.at + between(rng, repeat.afterHours[0], repeat.afterHours[1]) * HOUR_MS);
      if (at < end) queue.push({ at, caller: next.caller });
    }
    if (batch.interactions.length >= batchSize) await flush();
  }
  await flush();
  await writing;

  if (experimentId !== undefined) {
    // The planning baseline: version 1's containment as the KPI counts it (no handoff, no call-back within the window).
    const [measured] = await queryRows<{ rate: number | null }>(
      db,
      sql`select (count(*) filter (where i.status = 'completed'
            and not exists (select 1 from handoffs h where h.interaction_id = i.id)
            and (i.next_contact_at is null or i.next_contact_at > i.started_at + make_interval(hours => ${DEFAULT_KPI_SETTINGS.containmentRepeatHours}))))::float8
          / nullif(count(*), 0) as rate
        from interactions i where i.flow_version_id = ${v1.id} and i.workflow_id like ${`${HISTORY_WORKFLOW_PREFIX}%`}`,
    );
    if (measured?.rate != null) await db.update(experiments).set({ baseline: round(Number(measured.rate), 3) }).where(eq(experiments.id, experimentId));
  }

  return { ...counts, customers: created.length, versions: { v1Id: v1.id, v2Id: v2.id }, ...(experimentId !== undefined && { experimentId }) };
}

/** Whether the flow already has generated history (the seed script adds it once). */
export async function hasHistory(db: Db, flowId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: interactions.id })
    .from(interactions)
    .where(and(eq(interactions.flowId, flowId), like(interactions.workflowId, `${HISTORY_WORKFLOW_PREFIX}%`)))
    .limit(1);
  return row !== undefined;
}

/** One transaction per batch; interactions first (in time order, for the repeat-contact trigger), then what refers to them. */
async function writeBatch(db: Db, batch: Batch): Promise<void> {
  if (batch.interactions.length === 0) return;
  await db.transaction(async (tx) => {
    await bulkInsert(tx, interactions, batch.interactions);
    await bulkInsert(tx, interactionSteps, batch.steps);
    await bulkInsert(tx, handoffs, batch.handoffs);
    await bulkInsert(tx, handoffEvents, batch.events);
  });
}

/**
 * `insert … select from jsonb_to_recordset($1)`: thousands of rows as one JSON parameter. Building
 * a multi-row `values` list with a parameter per field costs more time in JavaScript than Postgres
 * takes to write the rows (a million steps). Columns no row sets keep their defaults.
 */
async function bulkInsert<T extends PgTable>(db: Db, table: T, rows: T['$inferInsert'][], options: { ignoreConflicts?: boolean } = {}): Promise<void> {
  if (rows.length === 0) return;
  const present = new Set(rows.flatMap((row) => Object.keys(row)));
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => present.has(key));
  const names = sql.join(columns.map(([, c]) => sql.identifier(c.name)), sql`, `);
  const shape = sql.join(columns.map(([, c]) => sql`${sql.identifier(c.name)} ${sql.raw(c.getSQLType())}`), sql`, `);
  const conflicts = options.ignoreConflicts ? sql` on conflict do nothing` : sql``;
  for (const part of chunks(rows, 5000)) {
    const json = JSON.stringify(part.map((row) => Object.fromEntries(columns.map(([key, c]) => [c.name, (row as Record<string, unknown>)[key] ?? null]))));
    await db.execute(sql`insert into ${table} (${names}) select ${names} from jsonb_to_recordset(${json}::jsonb) as r(${shape})${conflicts}`);
  }
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
