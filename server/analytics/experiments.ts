import 'server-only';
import { and, asc, countDistinct, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { firstRow } from '@/db/rows';
import { experiments, experimentVariants, flows, flowVersions, interactions, kpiSettings, phoneNumbers } from '@/db/schema';
import type { ExperimentMetric, GuardrailMetric } from '@/db/schema/experiments';
import { type AuditActor, recordAudit } from '@/server/audit/service';
import { DEFAULT_KPI_SETTINGS, EMPTY_CONTACTS, EMPTY_HANDOFFS, type KpiSettings, kpiSettingsFrom } from './kpis';
import { type AnalyticsFilter, groupCounts, nodeFigures, reachedCounts } from './queries';
import { type ArmInput, METRIC_BETTER, metricCounts, type MetricId, planExperiment, readExperiment } from './verdict';

/**
 * Experiments: a number's traffic split between published versions of its flow. The webhook
 * assigns (server/flows/service.ts liveFlowForNumber); this reads the arms' figures, gives the
 * verdict only when it may be given, pauses on a breached guardrail, and promotes the winner.
 */

export class ExperimentError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;
/** How far back the planner looks for the current rate and traffic. */
const BASELINE_DAYS = 28;

export async function loadKpiSettings(db: Db): Promise<KpiSettings> {
  const [row] = await db.select({ settings: kpiSettings.settings }).from(kpiSettings).where(eq(kpiSettings.id, 1));
  return kpiSettingsFrom(row?.settings ?? DEFAULT_KPI_SETTINGS);
}

export async function saveKpiSettings(db: Db, settings: KpiSettings, actor: AuditActor | undefined): Promise<KpiSettings> {
  const clean = kpiSettingsFrom(settings);
  await db.transaction(async (tx) => {
    await tx
      .insert(kpiSettings)
      .values({ id: 1, settings: { ...clean }, updatedBy: actor?.userId ?? null })
      .onConflictDoUpdate({ target: kpiSettings.id, set: { settings: { ...clean }, updatedBy: actor?.userId ?? null, updatedAt: new Date() } });
    await recordAudit(tx, { action: 'settings.update', actor, target: { type: 'kpis', id: 'kpis' }, details: { ...clean } });
  });
  return clean;
}

/** What the creation form offers: each number's flows per channel, their published versions and nodes. */
export async function experimentOptions(db: Db) {
  const numbers = await db.select().from(phoneNumbers).where(eq(phoneNumbers.active, true)).orderBy(asc(phoneNumbers.number));
  const flowIds = [...new Set(numbers.flatMap((n) => [n.voiceFlowId, n.smsFlowId]).filter((id): id is string => id !== null))];
  if (flowIds.length === 0) return [];
  const [flowRows, versionRows] = await Promise.all([
    db.select({ id: flows.id, name: flows.name, liveVersionId: flows.liveVersionId }).from(flows).where(inArray(flows.id, flowIds)),
    db
      .select({ id: flowVersions.id, flowId: flowVersions.flowId, version: flowVersions.version, message: flowVersions.message, publishedAt: flowVersions.publishedAt, document: flowVersions.document })
      .from(flowVersions)
      .where(inArray(flowVersions.flowId, flowIds))
      .orderBy(desc(flowVersions.version)),
  ]);
  return numbers.flatMap((n) =>
    (['voice', 'sms'] as const).flatMap((channel) => {
      const flowId = channel === 'voice' ? n.voiceFlowId : n.smsFlowId;
      const flow = flowRows.find((f) => f.id === flowId);
      if (!flow) return [];
      const versions = versionRows.filter((v) => v.flowId === flow.id);
      const nodes = new Map<string, string>();
      for (const v of versions) for (const node of v.document.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node.label ?? node.id);
      return [
        {
          number: n.number,
          label: n.label,
          channel,
          flowId: flow.id,
          flowName: flow.name,
          versions: versions.map((v) => ({ id: v.id, version: v.version, message: v.message, publishedAt: v.publishedAt, live: v.id === flow.liveVersionId })),
          nodes: [...nodes].map(([id, label]) => ({ id, label })),
        },
      ];
    }),
  );
}

export interface PlanInput {
  flowId: string;
  number: string;
  channel: 'voice' | 'sms';
  metric: ExperimentMetric;
  metricNodeId?: string;
  minimumEffect: number;
  alpha: number;
  arms: number;
}

/** The current rate of the metric on the number's live traffic, its traffic, and the sample needed. */
export async function planFor(db: Db, input: PlanInput, now = new Date()) {
  const settings = await loadKpiSettings(db);
  const filter: AnalyticsFilter = { flowId: input.flowId, from: new Date(now.getTime() - BASELINE_DAYS * DAY_MS), to: now, channel: input.channel, toNumber: input.number };
  const [group] = (await groupCounts(db, filter, ['none'], settings)).none;
  const reached = input.metric === 'reached' && input.metricNodeId ? ((await reachedCounts(db, filter, input.metricNodeId, 'none')).get('all') ?? 0) : 0;
  const counts = metricCounts(input.metric, group?.contacts ?? EMPTY_CONTACTS, group?.handoffs ?? EMPTY_HANDOFFS, reached);
  const baseline = counts.n > 0 ? counts.conversions / counts.n : null;
  const contacts = group?.contacts.contacts ?? 0;
  const contactsPerDay = contacts / BASELINE_DAYS;
  // The effect is in the metric's better direction.
  const effect = METRIC_BETTER[input.metric] === 'higher' ? input.minimumEffect : -input.minimumEffect;
  return { baseline, baselineContacts: counts.n, contactsPerDay, days: BASELINE_DAYS, plan: planExperiment({ baseline, minimumEffect: effect, alpha: input.alpha, arms: input.arms, contactsPerDay }) };
}

export interface CreateInput extends Omit<PlanInput, 'arms'> {
  name: string;
  hypothesis?: string;
  guardrails: GuardrailMetric[];
  variants: { name: string; flowVersionId: string; weight: number }[];
}

export async function createExperiment(db: Db, input: CreateInput, actor: AuditActor | undefined) {
  if (input.variants.length < 2 || input.variants.length > 4) throw new ExperimentError('BAD_REQUEST', 'An experiment has 2 to 4 variants.');
  const total = input.variants.reduce((s, v) => s + v.weight, 0);
  if (total !== 100) throw new ExperimentError('BAD_REQUEST', `The variants' traffic must add up to 100 % (it adds up to ${total} %).`);
  if (input.variants.some((v) => v.weight <= 0)) throw new ExperimentError('BAD_REQUEST', 'Every variant needs a share of the traffic above 0 %.');
  const versionIds = input.variants.map((v) => v.flowVersionId);
  if (new Set(versionIds).size !== versionIds.length) throw new ExperimentError('BAD_REQUEST', 'Each variant must run a different version.');
  const [bound] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.number, input.number));
  const boundFlow = input.channel === 'voice' ? bound?.voiceFlowId : bound?.smsFlowId;
  if (!bound || boundFlow !== input.flowId) throw new ExperimentError('BAD_REQUEST', `${input.number} does not run this flow for ${input.channel === 'voice' ? 'calls' : 'text messages'}.`);
  const versions = await db.select({ id: flowVersions.id, document: flowVersions.document }).from(flowVersions).where(and(eq(flowVersions.flowId, input.flowId), inArray(flowVersions.id, versionIds)));
  if (versions.length !== versionIds.length) throw new ExperimentError('BAD_REQUEST', 'Every variant must be a published version of the flow on this number.');
  if (input.metric === 'reached') {
    if (!input.metricNodeId) throw new ExperimentError('BAD_REQUEST', 'Pick the node whose entry counts as a conversion.');
    if (!versions.some((v) => v.document.nodes.some((n) => n.id === input.metricNodeId))) throw new ExperimentError('BAD_REQUEST', `No variant has a node ${input.metricNodeId}.`);
  }
  const plan = await planFor(db, { ...input, arms: input.variants.length });
  return db.transaction(async (tx) => {
    const created = firstRow(
      await tx
        .insert(experiments)
        .values({
          name: input.name,
          hypothesis: input.hypothesis ?? '',
          number: input.number,
          channel: input.channel,
          flowId: input.flowId,
          metric: input.metric,
          metricNodeId: input.metric === 'reached' ? (input.metricNodeId ?? null) : null,
          guardrails: input.guardrails,
          baseline: plan.baseline,
          minimumEffect: input.minimumEffect,
          alpha: input.alpha,
          createdBy: actor?.userId ?? null,
        })
        .returning(),
      'insert into experiments',
    );
    await tx.insert(experimentVariants).values(input.variants.map((v, position) => ({ experimentId: created.id, position, name: v.name, flowVersionId: v.flowVersionId, weight: v.weight })));
    await recordAudit(tx, { action: 'experiment.create', actor, target: { type: 'experiment', id: created.id }, details: { name: input.name, number: input.number, variants: input.variants.length } });
    return created;
  });
}

export async function listExperiments(db: Db) {
  const rows = await db.select({ experiment: experiments, flowName: flows.name }).from(experiments).innerJoin(flows, eq(flows.id, experiments.flowId)).orderBy(desc(experiments.createdAt));
  const variants = rows.length
    ? await db
        .select({ variant: experimentVariants, version: flowVersions.version })
        .from(experimentVariants)
        .innerJoin(flowVersions, eq(flowVersions.id, experimentVariants.flowVersionId))
        .where(inArray(experimentVariants.experimentId, rows.map((r) => r.experiment.id)))
        .orderBy(asc(experimentVariants.position))
    : [];
  return rows.map((r) => ({
    ...r.experiment,
    flowName: r.flowName,
    variants: variants.filter((v) => v.variant.experimentId === r.experiment.id).map((v) => ({ ...v.variant, version: v.version })),
  }));
}

async function requireExperiment(db: Db, id: string) {
  const [row] = await db.select().from(experiments).where(eq(experiments.id, id));
  if (!row) throw new ExperimentError('NOT_FOUND', `No experiment ${id}.`);
  const variants = await db
    .select({ variant: experimentVariants, version: flowVersions.version })
    .from(experimentVariants)
    .innerJoin(flowVersions, eq(flowVersions.id, experimentVariants.flowVersionId))
    .where(eq(experimentVariants.experimentId, id))
    .orderBy(asc(experimentVariants.position));
  return { experiment: row, variants: variants.map((v) => ({ ...v.variant, version: v.version })) };
}

type Loaded = Awaited<ReturnType<typeof requireExperiment>>;

/** Per arm and day: exposures, the primary metric and the guardrails (days in UTC). */
async function armInputs(db: Db, { experiment, variants }: Loaded, to: Date, settings: KpiSettings): Promise<ArmInput[]> {
  const from = experiment.startedAt ?? experiment.createdAt;
  return Promise.all(
    variants.map(async (variant) => {
      const filter: AnalyticsFilter = { flowId: experiment.flowId, from, to, variantIds: [variant.id] };
      const [groups, reached] = await Promise.all([
        groupCounts(db, filter, ['day'], settings).then((g) => g.day),
        experiment.metric === 'reached' && experiment.metricNodeId ? reachedCounts(db, filter, experiment.metricNodeId, 'day') : Promise.resolve(new Map<string, number>()),
      ]);
      const metricIds: MetricId[] = [experiment.metric, ...experiment.guardrails];
      return {
        variantId: variant.id,
        weight: variant.weight,
        days: groups.map((g) => ({
          day: g.key,
          exposures: g.contacts.contacts,
          metrics: Object.fromEntries(metricIds.map((m) => [m, metricCounts(m, g.contacts, g.handoffs, reached.get(g.key) ?? 0)])),
        })),
      };
    }),
  );
}

/** Distinct callers assigned to each arm (in the arms' order). */
async function callersPerArm(db: Db, variantIds: string[]): Promise<number[]> {
  const rows = await db
    .select({ variantId: interactions.experimentVariantId, callers: countDistinct(interactions.fromNumber) })
    .from(interactions)
    .where(and(inArray(interactions.experimentVariantId, variantIds), eq(interactions.isTest, false)))
    .groupBy(interactions.experimentVariantId);
  return variantIds.map((id) => rows.find((r) => r.variantId === id)?.callers ?? 0);
}

/** The experiment with its arms' figures and reading; a running one that breached a guardrail is paused. */
export async function getExperiment(db: Db, id: string, now = new Date()) {
  const loaded = await requireExperiment(db, id);
  const { experiment, variants } = loaded;
  const settings = await loadKpiSettings(db);
  const end = experiment.endedAt ?? now;
  const started = experiment.startedAt;
  if (!started) return { ...loaded, reading: null, arms: [], daysRunning: 0, settings };
  const [inputs, callers] = await Promise.all([armInputs(db, loaded, end, settings), callersPerArm(db, variants.map((v) => v.id))]);
  const elapsedDays = (end.getTime() - started.getTime()) / DAY_MS;
  const daysRunning = Math.floor(elapsedDays);
  const reading = readExperiment({ arms: inputs, metric: experiment.metric, guardrails: experiment.guardrails, alpha: experiment.alpha, minimumEffect: experiment.minimumEffect, daysRunning, elapsedDays, callers });
  const arms = variants.map((variant, index) => {
    const input = inputs[index];
    const total = (metric: MetricId) => (input?.days ?? []).reduce((acc, d) => ({ n: acc.n + (d.metrics[metric]?.n ?? 0), conversions: acc.conversions + (d.metrics[metric]?.conversions ?? 0) }), { n: 0, conversions: 0 });
    return {
      ...variant,
      exposures: reading.exposures[index] ?? 0,
      callers: callers[index] ?? 0,
      primary: total(experiment.metric),
      guardrails: Object.fromEntries(experiment.guardrails.map((g) => [g, total(g)])),
      daily: (input?.days ?? []).map((d) => ({ day: d.day, exposures: d.exposures })),
    };
  });

  let current = experiment;
  if (experiment.status === 'running' && reading.breaches.length > 0) {
    const breach = reading.breaches[0]!;
    const arm = variants.find((v) => v.id === breach.variantId);
    const reason = `guardrail:${breach.metric}:${arm?.name ?? breach.variantId}`;
    current = await db.transaction(async (tx) => {
      const [paused] = await tx.update(experiments).set({ status: 'paused', pausedReason: reason }).where(and(eq(experiments.id, id), eq(experiments.status, 'running'))).returning();
      if (paused) await recordAudit(tx, { action: 'experiment.pause', actor: undefined, target: { type: 'experiment', id }, details: { reason, pValue: breach.pValue } });
      return paused ?? experiment;
    });
  }
  return { experiment: current, variants, reading, arms, daysRunning, settings };
}

/** The per-node figures of each arm, for the funnels side by side. */
export async function experimentFunnels(db: Db, id: string, now = new Date()) {
  const { experiment, variants } = await requireExperiment(db, id);
  const from = experiment.startedAt ?? experiment.createdAt;
  const to = experiment.endedAt ?? now;
  const documents = await db.select({ id: flowVersions.id, document: flowVersions.document }).from(flowVersions).where(inArray(flowVersions.id, variants.map((v) => v.flowVersionId)));
  return Promise.all(
    variants.map(async (variant) => ({
      variantId: variant.id,
      name: variant.name,
      version: variant.version,
      document: documents.find((d) => d.id === variant.flowVersionId)?.document ?? null,
      ...(await nodeFigures(db, { flowId: experiment.flowId, from, to, variantIds: [variant.id] })),
    })),
  );
}

const TRANSITIONS = {
  start: { from: ['draft'], to: 'running', audit: 'experiment.start' },
  pause: { from: ['running'], to: 'paused', audit: 'experiment.pause' },
  resume: { from: ['paused'], to: 'running', audit: 'experiment.resume' },
  stop: { from: ['draft', 'running', 'paused'], to: 'stopped', audit: 'experiment.stop' },
} as const;

export type ExperimentAction = keyof typeof TRANSITIONS;

export async function transitionExperiment(db: Db, id: string, action: ExperimentAction, actor: AuditActor | undefined, now = new Date()) {
  const { experiment } = await requireExperiment(db, id);
  const step = TRANSITIONS[action];
  if (!(step.from as readonly string[]).includes(experiment.status)) throw new ExperimentError('CONFLICT', `A ${experiment.status} experiment cannot ${action}.`);
  const finalResults = action === 'stop' && experiment.startedAt ? await snapshot(db, id, now) : null;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(experiments)
        .set({
          status: step.to,
          pausedReason: action === 'pause' ? 'manual' : null,
          ...(action === 'start' && { startedAt: now }),
          ...(action === 'stop' && { endedAt: now, finalResults }),
        })
        .where(and(eq(experiments.id, id), eq(experiments.status, experiment.status)))
        .returning();
      if (!row) throw new ExperimentError('CONFLICT', 'The experiment changed meanwhile; reload it.');
      await recordAudit(tx, { action: step.audit, actor, target: { type: 'experiment', id }, details: { name: experiment.name } });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ExperimentError('CONFLICT', `${experiment.number} already runs another experiment; stop it first.`);
    throw error;
  }
}

/** Ends the experiment with the arm's version live on the number (its flow re-pointed to it). */
export async function promoteWinner(db: Db, id: string, variantId: string, actor: AuditActor | undefined, now = new Date()) {
  const { experiment, variants } = await requireExperiment(db, id);
  if (!['running', 'paused', 'stopped'].includes(experiment.status)) throw new ExperimentError('CONFLICT', `A ${experiment.status} experiment has no winner to promote.`);
  const winner = variants.find((v) => v.id === variantId);
  if (!winner) throw new ExperimentError('BAD_REQUEST', 'That variant is not part of this experiment.');
  const finalResults = experiment.finalResults ?? (experiment.startedAt ? await snapshot(db, id, now) : null);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(experiments)
      .set({ status: 'completed', winnerVariantId: winner.id, endedAt: experiment.endedAt ?? now, finalResults })
      .where(and(eq(experiments.id, id), eq(experiments.status, experiment.status)))
      .returning();
    if (!row) throw new ExperimentError('CONFLICT', 'The experiment changed meanwhile; reload it.');
    await tx.update(flows).set({ liveVersionId: winner.flowVersionId, updatedAt: now }).where(eq(flows.id, experiment.flowId));
    await recordAudit(tx, {
      action: 'experiment.promote',
      actor,
      target: { type: 'experiment', id },
      details: { name: experiment.name, variant: winner.name, version: winner.version, number: experiment.number, flowId: experiment.flowId },
    });
    return row;
  });
}

async function snapshot(db: Db, id: string, now: Date): Promise<Record<string, unknown>> {
  const { reading, arms, daysRunning } = await getExperiment(db, id, now);
  return { at: now.toISOString(), daysRunning, reading, arms: arms.map(({ id: variantId, name, version, exposures, primary, guardrails }) => ({ variantId, name, version, exposures, primary, guardrails })) };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

/**
 * Reads every running experiment, which pauses those with a breached guardrail (getExperiment):
 * run on a schedule (temporal/schedules.ts) so a guardrail holds when nobody is looking.
 */
export async function checkGuardrails(db: Db, now = new Date()): Promise<{ checked: number; paused: string[] }> {
  const running = await db.select({ id: experiments.id }).from(experiments).where(eq(experiments.status, 'running'));
  const paused: string[] = [];
  for (const { id } of running) {
    const { experiment } = await getExperiment(db, id, now);
    if (experiment.status === 'paused') paused.push(id);
  }
  return { checked: running.length, paused };
}
