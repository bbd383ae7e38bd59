import 'server-only';
import { and, asc, count, desc, eq, inArray, isNull, lt, max, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { agents, agentSkills, CLOSED_HANDOFF_STATUSES, handoffs, qaHits, qaRules, scripts, skills, users, wrapCodes } from '@/db/schema';
import { patternProblem, type QaFinding, type QaRule } from './qa';
import type { Script } from './scripts';

/**
 * What admins manage under /settings for routing (owner: settings): skills (queues), agents with
 * their skills and capacities, wrap-up codes, scripts and QA rules, and the QA hits supervisors
 * read. Inputs arrive zod-checked from the router; the rules that need the database (names taken,
 * rows in use) are checked here and refused with a SettingsError the router turns into its code.
 */

export class SettingsError extends Error {
  constructor(
    message: string,
    readonly code: 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT',
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

function found<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new SettingsError(`${what} does not exist (any more).`, 'NOT_FOUND');
  return row;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const openHandoff = notInArray(handoffs.status, [...CLOSED_HANDOFF_STATUSES]);

// Skills (queues) -----------------------------------------------------------------------------

export interface SkillInput {
  id: string;
  name: string;
  description: string;
  serviceLevelSeconds: number;
}

export async function listSkills(db: Db) {
  return db
    .select({ id: skills.id, name: skills.name, description: skills.description, serviceLevelSeconds: skills.serviceLevelSeconds, agentCount: count(agentSkills.agentId) })
    .from(skills)
    .leftJoin(agentSkills, eq(agentSkills.skillId, skills.id))
    .groupBy(skills.id)
    .orderBy(asc(skills.name), asc(skills.id));
}

export async function createSkill(db: Db, input: SkillInput) {
  const rows = await db.insert(skills).values(input).onConflictDoNothing().returning();
  if (rows.length === 0) throw new SettingsError(`A skill with the id “${input.id}” exists already.`, 'CONFLICT');
  return found(rows, 'The new skill');
}

export async function updateSkill(db: Db, input: SkillInput) {
  const { id, ...values } = input;
  return found(await db.update(skills).set(values).where(eq(skills.id, id)).returning(), `The skill “${id}”`);
}

/** Refused while conversations wait or run in the queue: they would be stranded. */
export async function deleteSkill(db: Db, id: string) {
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select({ n: count() })
      .from(handoffs)
      .where(and(openHandoff, or(eq(handoffs.skill, id), eq(handoffs.reqSkill, id))));
    if (open && open.n > 0) throw new SettingsError(`${plural(open.n, 'conversation is', 'conversations are')} waiting or in progress in this queue; delete it once they are done.`, 'CONFLICT');
    return found(await tx.delete(skills).where(eq(skills.id, id)).returning(), `The skill “${id}”`);
  });
}

// Agents --------------------------------------------------------------------------------------

export interface AgentSkillInput {
  skillId: string;
  level: number;
}

export interface AgentFields {
  name?: string;
  senior: boolean;
  voiceCapacity: number;
  smsCapacity: number;
  phone: string;
  skills: readonly AgentSkillInput[];
}

export async function listAgents(db: Db) {
  const rows = await db
    .select({
      id: agents.id,
      userId: agents.userId,
      name: agents.name,
      email: agents.email,
      senior: agents.senior,
      choice: agents.choice,
      voiceCapacity: agents.voiceCapacity,
      smsCapacity: agents.smsCapacity,
      phone: agents.phone,
      userRole: users.role,
    })
    .from(agents)
    // Linked by id, or by email until the user's first sign-in links the row (the demo's agents).
    .leftJoin(users, or(eq(users.id, agents.userId), and(isNull(agents.userId), eq(users.email, agents.email))))
    .orderBy(asc(agents.name), asc(agents.email));
  const levels = await db.select().from(agentSkills).orderBy(asc(agentSkills.skillId));
  return rows.map((agent) => ({ ...agent, skills: levels.filter((l) => l.agentId === agent.id).map(({ skillId, level }) => ({ skillId, level })) }));
}

/** Users with role agent who have no agent row yet: the ones the "add agent" form offers. */
export async function agentCandidates(db: Db) {
  const linked = db.select({ email: agents.email }).from(agents);
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'agent'), isNull(users.deactivatedAt), notInArray(users.email, linked)))
    .orderBy(asc(users.email));
}

async function assertSkillsExist(tx: Pick<Db, 'select'>, list: readonly AgentSkillInput[]) {
  if (list.length === 0) return;
  const ids = [...new Set(list.map((s) => s.skillId))];
  const known = new Set((await tx.select({ id: skills.id }).from(skills).where(inArray(skills.id, ids))).map((s) => s.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new SettingsError(`Unknown skill${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}.`, 'BAD_REQUEST');
}

/**
 * Adds an agent: either an existing user with role agent (`userId`), or by email and name — the
 * row links to the user with that email once they sign in with it (as the demo's agents do).
 */
export async function createAgent(db: Db, input: AgentFields & { userId?: string; email?: string }) {
  return db.transaction(async (tx) => {
    let email = input.email?.trim().toLowerCase();
    let name = input.name?.trim();
    let userId: string | null = null;
    if (input.userId !== undefined) {
      const [user] = await tx.select().from(users).where(eq(users.id, input.userId));
      if (!user) throw new SettingsError('No such user.', 'NOT_FOUND');
      if (user.role !== 'agent') throw new SettingsError(`${user.email} has the role ${user.role}; make them an agent under Users first.`, 'BAD_REQUEST');
      ({ email } = user);
      name = name || user.name;
      userId = user.id;
    } else if (email) {
      const [user] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.email, email));
      if (user?.role === 'agent') userId = user.id;
    }
    if (!email) throw new SettingsError('Pick a user or give an email address.', 'BAD_REQUEST');
    if (!name) throw new SettingsError('Give the agent a name.', 'BAD_REQUEST');
    await assertSkillsExist(tx, input.skills);
    const rows = await tx
      .insert(agents)
      .values({ userId, email, name, senior: input.senior, voiceCapacity: input.voiceCapacity, smsCapacity: input.smsCapacity, phone: input.phone })
      .onConflictDoNothing()
      .returning();
    const agent = rows[0];
    if (!agent) throw new SettingsError(`${email} is an agent already.`, 'CONFLICT');
    if (input.skills.length > 0) await tx.insert(agentSkills).values(input.skills.map((s) => ({ agentId: agent.id, skillId: s.skillId, level: s.level })));
    return agent;
  });
}

export async function updateAgent(db: Db, input: AgentFields & { id: string }) {
  return db.transaction(async (tx) => {
    await assertSkillsExist(tx, input.skills);
    const name = input.name?.trim();
    const agent = found(
      await tx
        .update(agents)
        .set({ ...(name ? { name } : {}), senior: input.senior, voiceCapacity: input.voiceCapacity, smsCapacity: input.smsCapacity, phone: input.phone })
        .where(eq(agents.id, input.id))
        .returning(),
      'The agent',
    );
    await tx.delete(agentSkills).where(eq(agentSkills.agentId, agent.id));
    if (input.skills.length > 0) await tx.insert(agentSkills).values(input.skills.map((s) => ({ agentId: agent.id, skillId: s.skillId, level: s.level })));
    return agent;
  });
}

/** Refused while the agent is offered or holds a conversation: it would be stranded. */
export async function deleteAgent(db: Db, id: string) {
  return db.transaction(async (tx) => {
    const [open] = await tx
      .select({ n: count() })
      .from(handoffs)
      .where(and(openHandoff, or(and(eq(handoffs.status, 'offered'), eq(handoffs.offeredAgentId, id)), eq(handoffs.assignedAgentId, id))));
    if (open && open.n > 0) throw new SettingsError(`The agent has ${plural(open.n, 'conversation', 'conversations')} offered or in progress; delete them once those are done or reassigned.`, 'CONFLICT');
    return found(await tx.delete(agents).where(eq(agents.id, id)).returning(), 'The agent');
  });
}

// Wrap-up codes -------------------------------------------------------------------------------

export interface WrapCodeInput {
  id: string;
  label: string;
  labelZh: string;
  active: boolean;
}

export async function listWrapCodes(db: Db) {
  return db.select().from(wrapCodes).orderBy(asc(wrapCodes.id));
}

export async function createWrapCode(db: Db, input: WrapCodeInput) {
  const rows = await db.insert(wrapCodes).values(input).onConflictDoNothing().returning();
  if (rows.length === 0) throw new SettingsError(`A wrap-up code “${input.id}” exists already.`, 'CONFLICT');
  return found(rows, 'The new wrap-up code');
}

export async function updateWrapCode(db: Db, input: WrapCodeInput) {
  const { id, ...values } = input;
  return found(await db.update(wrapCodes).set(values).where(eq(wrapCodes.id, id)).returning(), `The wrap-up code “${id}”`);
}

const rulesNaming = (code: string) => sql`${qaRules.wrapCodes} @> ${JSON.stringify([code])}::jsonb`;

/** A code conversations were resolved with, or a QA rule names, is kept: deactivate it instead. */
export async function deleteWrapCode(db: Db, id: string) {
  return db.transaction(async (tx) => {
    const [used] = await tx.select({ n: count() }).from(handoffs).where(eq(handoffs.wrapCode, id));
    if (used && used.n > 0) throw new SettingsError(`${plural(used.n, 'conversation was', 'conversations were')} resolved with this code; deactivate it instead.`, 'CONFLICT');
    const [named] = await tx.select({ n: count() }).from(qaRules).where(rulesNaming(id));
    if (named && named.n > 0) throw new SettingsError(`${plural(named.n, 'QA rule names', 'QA rules name')} this code; change ${named.n === 1 ? 'it' : 'them'} first or deactivate the code.`, 'CONFLICT');
    return found(await tx.delete(wrapCodes).where(eq(wrapCodes.id, id)).returning(), `The wrap-up code “${id}”`);
  });
}

// Scripts -------------------------------------------------------------------------------------

export interface ScriptInput {
  title: string;
  language: 'en' | 'zh-CN';
  trigger: 'upset' | 'tag' | 'always';
  tag?: string | null;
  body: string;
  active: boolean;
}

function scriptValues(input: ScriptInput) {
  const tag = input.tag?.trim().toLowerCase() ?? '';
  if (input.trigger === 'tag' && tag === '') throw new SettingsError('A script offered by tag needs the tag, e.g. “vip”.', 'BAD_REQUEST');
  return { title: input.title, language: input.language, trigger: input.trigger, tag: input.trigger === 'tag' ? tag : null, body: input.body, active: input.active };
}

export async function listScripts(db: Db) {
  // In the order the inbox suggests them: upset, by tag, always.
  const triggerOrder = sql`case ${scripts.trigger} when 'upset' then 0 when 'tag' then 1 else 2 end`;
  return db.select().from(scripts).orderBy(triggerOrder, asc(scripts.tag), asc(scripts.language), asc(scripts.title));
}

export async function createScript(db: Db, input: ScriptInput) {
  return found(await db.insert(scripts).values(scriptValues(input)).returning(), 'The new script');
}

export async function updateScript(db: Db, input: ScriptInput & { id: string }) {
  return found(await db.update(scripts).set(scriptValues(input)).where(eq(scripts.id, input.id)).returning(), 'The script');
}

export async function deleteScript(db: Db, id: string) {
  return found(await db.delete(scripts).where(eq(scripts.id, id)).returning(), 'The script');
}

/** The active scripts, for suggestScripts. */
export async function activeScripts(db: Db): Promise<Script[]> {
  return db
    .select({ id: scripts.id, title: scripts.title, language: scripts.language, trigger: scripts.trigger, tag: scripts.tag, body: scripts.body })
    .from(scripts)
    .where(eq(scripts.active, true))
    .orderBy(asc(scripts.createdAt), asc(scripts.title));
}

// QA rules ------------------------------------------------------------------------------------

export interface QaRuleInput {
  name: string;
  kind: 'words' | 'pattern' | 'required-phrase';
  action: 'block' | 'warn';
  terms: readonly string[];
  pattern?: string | null;
  wrapCodes: readonly string[];
  message: string;
  active: boolean;
}

/** Only the fields of the rule's kind are kept; terms are trimmed and deduplicated. */
async function qaRuleValues(db: Pick<Db, 'select'>, input: QaRuleInput) {
  const terms = [...new Set(input.terms.map((t) => t.trim()).filter(Boolean))];
  const base = { name: input.name, kind: input.kind, action: input.action, message: input.message, active: input.active };
  switch (input.kind) {
    case 'words':
      if (terms.length === 0) throw new SettingsError('A word list needs at least one word or phrase.', 'BAD_REQUEST');
      return { ...base, terms, pattern: null, wrapCodes: [] };
    case 'pattern': {
      const problem = patternProblem(input.pattern ?? '');
      if (problem) throw new SettingsError(`Pattern: ${problem}`, 'BAD_REQUEST');
      return { ...base, terms: [], pattern: input.pattern ?? null, wrapCodes: [] };
    }
    case 'required-phrase': {
      if (terms.length === 0) throw new SettingsError('A required-phrase rule needs at least one phrase.', 'BAD_REQUEST');
      const codes = [...new Set(input.wrapCodes)];
      if (codes.length === 0) throw new SettingsError('A required-phrase rule needs the wrap-up codes it applies to.', 'BAD_REQUEST');
      const known = new Set((await db.select({ id: wrapCodes.id }).from(wrapCodes).where(inArray(wrapCodes.id, codes))).map((c) => c.id));
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length > 0) throw new SettingsError(`Unknown wrap-up code${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')}.`, 'BAD_REQUEST');
      return { ...base, terms, pattern: null, wrapCodes: codes };
    }
    default: {
      const never: never = input.kind;
      throw new SettingsError(`Unknown rule kind ${String(never)}.`, 'BAD_REQUEST');
    }
  }
}

export async function listQaRules(db: Db) {
  return db.select().from(qaRules).orderBy(asc(qaRules.kind), asc(qaRules.name));
}

export async function createQaRule(db: Db, input: QaRuleInput) {
  return found(await db.insert(qaRules).values(await qaRuleValues(db, input)).returning(), 'The new QA rule');
}

export async function updateQaRule(db: Db, input: QaRuleInput & { id: string }) {
  return found(await db.update(qaRules).set(await qaRuleValues(db, input)).where(eq(qaRules.id, input.id)).returning(), 'The QA rule');
}

/** Its hits stay (with the excerpt and action), no longer linked to a rule. */
export async function deleteQaRule(db: Db, id: string) {
  return found(await db.delete(qaRules).where(eq(qaRules.id, id)).returning(), 'The QA rule');
}

/** The active rules, for checkReply and checkResolve. */
export async function activeQaRules(db: Db): Promise<QaRule[]> {
  return db
    .select({ id: qaRules.id, name: qaRules.name, kind: qaRules.kind, action: qaRules.action, terms: qaRules.terms, pattern: qaRules.pattern, wrapCodes: qaRules.wrapCodes, message: qaRules.message })
    .from(qaRules)
    .where(eq(qaRules.active, true))
    .orderBy(asc(qaRules.createdAt));
}

// QA hits -------------------------------------------------------------------------------------

/** Records what checkReply or checkResolve found, one row per finding. */
export async function recordQaHits(db: Pick<Db, 'insert'>, input: { agentId: string | null; handoffId: string | null; findings: readonly QaFinding[] }) {
  if (input.findings.length === 0) return [];
  return db
    .insert(qaHits)
    .values(input.findings.map((f) => ({ ruleId: f.ruleId, agentId: input.agentId, handoffId: input.handoffId, action: f.action, excerpt: f.excerpt })))
    .returning();
}

export async function listQaHits(db: Db, filter: { agentId?: string; before?: Date; limit: number }) {
  const where: SQL[] = [];
  if (filter.agentId) where.push(eq(qaHits.agentId, filter.agentId));
  if (filter.before) where.push(lt(qaHits.at, filter.before));
  return db
    .select({ id: qaHits.id, at: qaHits.at, action: qaHits.action, excerpt: qaHits.excerpt, handoffId: qaHits.handoffId, agentId: qaHits.agentId, agentName: agents.name, ruleId: qaHits.ruleId, ruleName: qaRules.name })
    .from(qaHits)
    .leftJoin(agents, eq(agents.id, qaHits.agentId))
    .leftJoin(qaRules, eq(qaRules.id, qaHits.ruleId))
    .where(and(...where))
    .orderBy(desc(qaHits.at), desc(qaHits.id))
    .limit(filter.limit);
}

/** Per agent: how many replies were blocked and warned about, and when last. */
export async function qaHitsByAgent(db: Db) {
  return db
    .select({
      agentId: qaHits.agentId,
      agentName: agents.name,
      blocks: sql<number>`count(*) filter (where ${qaHits.action} = 'block')`.mapWith(Number),
      warns: sql<number>`count(*) filter (where ${qaHits.action} = 'warn')`.mapWith(Number),
      lastAt: max(qaHits.at),
    })
    .from(qaHits)
    .leftJoin(agents, eq(agents.id, qaHits.agentId))
    .groupBy(qaHits.agentId, agents.name)
    .orderBy(desc(max(qaHits.at)));
}
