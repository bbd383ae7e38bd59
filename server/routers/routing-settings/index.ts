import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { QA_RULE_KINDS, SCRIPT_LANGUAGES } from '@/db/schema/routing';
import { e164Schema } from '@/nodes/shared/fields';
import { dateInput } from '@/server/routers/inputs';
import * as admin from '@/server/routing/admin';
import { MAX_PATTERN_LENGTH, MAX_TERM_LENGTH } from '@/server/routing/qa';
import { type AuditActor, recordAudit } from '@/server/audit/service';
import { procedure, router } from '@/server/trpc';

/** Admin of routing under /settings: skills (queues), agents, wrap-up codes, scripts, QA rules; QA hits for supervisors. */

async function settingsErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof admin.SettingsError) throw new TRPCError({ code: error.code, message: error.message, cause: error });
    throw error;
  }
}

type SettingsRow = { id: string; name?: string | null; title?: string; label?: string };

/** A change under /settings and its audit row (who, what, which row and its name), committed together. */
function settingsChange<T extends SettingsRow>(ctx: { db(): Promise<Db>; viewer: AuditActor }, verb: 'create' | 'update' | 'delete', type: 'skill' | 'agent' | 'wrapCode' | 'script' | 'qaRule', work: (db: Db) => Promise<T>): Promise<T> {
  return settingsErrors(
    ctx.db().then((db) =>
      db.transaction(async (tx) => {
        const row = await work(tx as unknown as Db);
        await recordAudit(tx, { action: `settings.${verb}`, actor: ctx.viewer, target: { type, id: row.id }, details: { name: row.name ?? row.title ?? row.label ?? '' } });
        return row;
      }),
    ),
  );
}

const slug = (example: string) =>
  z
    .string()
    .trim()
    .min(1, 'an id is required')
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, `lowercase letters, digits and dashes, e.g. “${example}”`);
const skillId = slug('billing');
const wrapCodeId = slug('refund-issued');
const name = z.string().trim().min(1, 'a name is required').max(200);
const id = z.uuid();

const skillInput = z.object({
  id: skillId,
  name,
  description: z.string().trim().max(1000).default(''),
  serviceLevelSeconds: z.number().int().min(1, 'at least 1 second').max(3600, 'at most an hour (3600 s)').default(30),
});

const agentFields = z.object({
  name: name.optional(),
  senior: z.boolean().default(false),
  /** One call at a time, or none for an agent who only texts. */
  voiceCapacity: z.number().int().min(0).max(1, 'an agent takes one call at a time').default(1),
  smsCapacity: z.number().int().min(0).max(20, 'at most 20 text conversations at once').default(3),
  phone: z.union([z.literal(''), e164Schema]).default(''),
  skills: z
    .array(z.object({ skillId, level: z.number().int().min(1, 'levels go from 1').max(5, 'to 5') }))
    .max(100)
    .default([])
    .refine((list) => new Set(list.map((s) => s.skillId)).size === list.length, 'each skill once'),
});

const wrapCodeInput = z.object({
  id: wrapCodeId,
  label: z.string().trim().min(1, 'an English label is required').max(200),
  labelZh: z.string().trim().max(200).default(''),
  active: z.boolean().default(true),
});

const scriptInput = z.object({
  title: z.string().trim().min(1, 'a title is required').max(200),
  language: z.enum(SCRIPT_LANGUAGES),
  trigger: z.enum(['upset', 'tag', 'always']),
  tag: z.string().trim().max(100).nullish(),
  body: z.string().trim().min(1, 'the script needs a text').max(4000),
  active: z.boolean().default(true),
});

const qaRuleInput = z.object({
  name,
  kind: z.enum(QA_RULE_KINDS),
  action: z.enum(['block', 'warn']),
  terms: z.array(z.string().max(MAX_TERM_LENGTH)).max(500).default([]),
  pattern: z.string().max(MAX_PATTERN_LENGTH).nullish(),
  wrapCodes: z.array(wrapCodeId).max(100).default([]),
  message: z.string().trim().min(1, 'the message for the agent is required').max(500),
  active: z.boolean().default(true),
});

const manage = () => procedure('settings.manage');

export const routingSettingsRouter = router({
  skills: router({
    list: manage().query(async ({ ctx }) => admin.listSkills(await ctx.db())),
    create: manage()
      .input(skillInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'create', 'skill', (db) => admin.createSkill(db, input))),
    update: manage()
      .input(skillInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'update', 'skill', (db) => admin.updateSkill(db, input))),
    delete: manage()
      .input(z.object({ id: skillId }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'delete', 'skill', (db) => admin.deleteSkill(db, input.id))),
  }),

  agents: router({
    list: manage().query(async ({ ctx }) => admin.listAgents(await ctx.db())),
    candidates: manage().query(async ({ ctx }) => admin.agentCandidates(await ctx.db())),
    create: manage()
      .input(agentFields.extend({ userId: z.string().min(1).max(200).optional(), email: z.email().max(320).optional() }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'create', 'agent', (db) => admin.createAgent(db, input))),
    update: manage()
      .input(agentFields.extend({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'update', 'agent', (db) => admin.updateAgent(db, input))),
    delete: manage()
      .input(z.object({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'delete', 'agent', (db) => admin.deleteAgent(db, input.id))),
  }),

  wrapCodes: router({
    list: manage().query(async ({ ctx }) => admin.listWrapCodes(await ctx.db())),
    create: manage()
      .input(wrapCodeInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'create', 'wrapCode', (db) => admin.createWrapCode(db, input))),
    update: manage()
      .input(wrapCodeInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'update', 'wrapCode', (db) => admin.updateWrapCode(db, input))),
    delete: manage()
      .input(z.object({ id: wrapCodeId }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'delete', 'wrapCode', (db) => admin.deleteWrapCode(db, input.id))),
  }),

  scripts: router({
    list: manage().query(async ({ ctx }) => admin.listScripts(await ctx.db())),
    create: manage()
      .input(scriptInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'create', 'script', (db) => admin.createScript(db, input))),
    update: manage()
      .input(scriptInput.extend({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'update', 'script', (db) => admin.updateScript(db, input))),
    delete: manage()
      .input(z.object({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'delete', 'script', (db) => admin.deleteScript(db, input.id))),
  }),

  qaRules: router({
    list: manage().query(async ({ ctx }) => admin.listQaRules(await ctx.db())),
    create: manage()
      .input(qaRuleInput)
      .mutation(({ ctx, input }) => settingsChange(ctx, 'create', 'qaRule', (db) => admin.createQaRule(db, input))),
    update: manage()
      .input(qaRuleInput.extend({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'update', 'qaRule', (db) => admin.updateQaRule(db, input))),
    delete: manage()
      .input(z.object({ id }))
      .mutation(({ ctx, input }) => settingsChange(ctx, 'delete', 'qaRule', (db) => admin.deleteQaRule(db, input.id))),
  }),

  /** For supervisors: what QA caught, per agent. */
  qaHits: router({
    list: procedure('routing.supervise')
      .input(z.object({ agentId: id.optional(), before: dateInput().optional(), limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
      .query(async ({ ctx, input }) => admin.listQaHits(await ctx.db(), input)),
    byAgent: procedure('routing.supervise').query(async ({ ctx }) => admin.qaHitsByAgent(await ctx.db())),
  }),
});
