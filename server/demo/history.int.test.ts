import { eq, inArray, like } from 'drizzle-orm';
import { describe, expect, it, onTestFinished } from 'vitest';
import { agentSkills, customers, experiments, experimentVariants, flows, flowVersions, handoffs, interactions, interactionSteps, agents } from '@/db/schema';
import { testDatabases } from '@/db/testing';
import { sampleRatioMismatch } from '@/server/analytics/stats';
import { liveFlowForNumber } from '@/server/flows/service';
import type { CompiledFlow } from '@/workflows/compiled';
import { BALANCE_EXPERIMENT, generateHistory, hasHistory, HISTORY_WORKFLOW_PREFIX } from './history';
import { DEMO_NUMBER, seed } from './seed';

const DAY = 86_400_000;

function groupBy<T, K>(list: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of list) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

describe.each(testDatabases())('demo history on $name', ({ open }) => {
  it('walks the demo flow for weeks of contacts, with version 2 tested against version 1 from day −14', async () => {
    const handle = await open();
    onTestFinished(() => handle.close());
    const { db } = handle;
    const { flowId } = await seed(db);
    const now = new Date('2025-03-20T15:00:00Z');
    const days = 20;
    const perDay = 30;
    const progress: number[] = [];
    const result = await generateHistory(db, { flowId, days, contactsPerDay: perDay, customers: 300, now, seed: 7, batchSize: 200, onProgress: (done) => progress.push(done) });
    expect(await hasHistory(db, flowId)).toBe(true);

    const rows = await db.select().from(interactions).where(like(interactions.workflowId, `${HISTORY_WORKFLOW_PREFIX}%`));
    expect(rows).toHaveLength(result.interactions);
    expect(rows.length).toBeGreaterThan(days * perDay * 0.75);
    expect(rows.length).toBeLessThan(days * perDay * 1.25);
    expect(progress.at(-1)).toBe(rows.length);
    const end = now.getTime() - 3_600_000;
    for (const r of rows) {
      expect(r.startedAt.getTime()).toBeGreaterThanOrEqual(end - days * DAY);
      expect(r.startedAt.getTime()).toBeLessThan(end);
      expect(r.endedAt!.getTime()).toBeGreaterThan(r.startedAt.getTime());
      expect(['completed', 'escalated', 'abandoned']).toContain(r.status);
      expect(r.isTest).toBe(false);
      expect(r.toNumber).toBe(DEMO_NUMBER);
    }
    expect((await db.select().from(customers)).length).toBe(4 + result.customers);

    // Version 2 is live (and the draft), both back-dated; the experiment started when version 2 was published.
    const versions = await db.select().from(flowVersions).where(eq(flowVersions.flowId, flowId)).orderBy(flowVersions.version);
    expect(versions.map((v) => v.id)).toEqual([result.versions.v1Id, result.versions.v2Id]);
    const [v1, v2] = versions as [(typeof versions)[number], (typeof versions)[number]];
    const v2From = end - 14 * DAY;
    expect(v1.publishedAt.getTime()).toBeLessThanOrEqual(end - days * DAY);
    expect(v2.publishedAt.getTime()).toBe(v2From);
    const [flow] = await db.select().from(flows).where(eq(flows.id, flowId));
    expect(flow?.liveVersionId).toBe(v2.id);
    expect(flow?.draft).toEqual(v2.document);
    expect(Object.keys(v2.compiled.nodes).sort()).toEqual([...Object.keys(v1.compiled.nodes), 'balance', 'balance-bye'].sort());
    expect(v2.compiled.nodes['main-menu']?.next).toMatchObject({ ...v1.compiled.nodes['main-menu']?.next, 'option-3': 'balance' });
    const [experiment] = await db.select().from(experiments).where(eq(experiments.id, result.experimentId!));
    expect(experiment).toMatchObject({ name: BALANCE_EXPERIMENT, number: DEMO_NUMBER, status: 'running', metric: 'containment', guardrails: ['abandonment', 'escalation', 'csat'] });
    expect(experiment?.startedAt?.getTime()).toBe(v2From);
    expect(experiment?.baseline).toBeGreaterThan(0);
    expect(experiment?.baseline).toBeLessThan(0.2);
    const arms = await db.select().from(experimentVariants).where(eq(experimentVariants.experimentId, result.experimentId!)).orderBy(experimentVariants.position);
    expect(arms.map((a) => [a.flowVersionId, a.weight])).toEqual([
      [v1.id, 50],
      [v2.id, 50],
    ]);
    // A caller today lands in the arm their history put them in.
    const someone = rows.find((r) => r.experimentVariantId !== null)!;
    const live = await liveFlowForNumber(db, DEMO_NUMBER, 'voice', someone.fromNumber);
    expect(live?.experimentVariantId).toBe(someone.experimentVariantId);

    // Every step is a node of its version, in order, from the entry along next[port]; the last ends the run.
    const programs = new Map<string, CompiledFlow>(versions.map((v) => [v.id, v.compiled]));
    const steps = await db.select().from(interactionSteps).where(inArray(interactionSteps.interactionId, rows.map((r) => r.id))).orderBy(interactionSteps.interactionId, interactionSteps.seq);
    expect(steps).toHaveLength(result.steps);
    const stepsOf = groupBy(steps, (s) => s.interactionId);
    for (const r of rows) {
      const program = programs.get(r.flowVersionId!)!;
      const run = stepsOf.get(r.id) ?? [];
      expect(run.length).toBeGreaterThan(0);
      expect(run[0]?.nodeId).toBe(program.entry);
      run.forEach((s, i) => {
        const node = program.nodes[s.nodeId];
        expect(node, s.nodeId).toBeDefined();
        expect(s.seq).toBe(i + 1);
        expect(s.nodeType).toBe(node!.type);
        expect(s.durationMs).toBe(s.endedAt.getTime() - s.startedAt.getTime());
        const following = run[i + 1];
        if (following) {
          expect(s.port).not.toBeNull();
          expect(node!.next[s.port!]).toBe(following.nodeId);
          expect(following.startedAt.getTime()).toBeGreaterThanOrEqual(s.endedAt.getTime());
        } else {
          expect(s.port === null || node!.next[s.port] === null).toBe(true);
        }
      });
      if (r.status === 'abandoned' && r.error === 'caller hung up') expect(run.at(-1)?.error).toBe('caller hung up');
    }

    // Nothing is left open in the inbox, every agent's slots are free, and each answer came from an agent with the skill.
    const handoffRows = await db.select().from(handoffs);
    expect(handoffRows).toHaveLength(result.handoffs);
    expect(new Set(handoffRows.map((h) => h.status))).toEqual(new Set(['resolved', 'abandoned', 'timeout']));
    const skillsOf = groupBy(await db.select().from(agentSkills), (a) => a.agentId);
    for (const h of handoffRows.filter((h) => h.status === 'resolved')) {
      expect(skillsOf.get(h.assignedAgentId!)?.map((s) => s.skillId)).toContain(h.skill);
      expect(h.acceptedAt!.getTime()).toBeGreaterThanOrEqual(h.queuedAt.getTime());
      expect(h.resolvedAt!.getTime()).toBeGreaterThan(h.acceptedAt!.getTime());
      expect(h.wrapCode).toBeTruthy();
    }
    expect((await db.select({ load: agents.voiceLoad }).from(agents)).every((a) => a.load === 0)).toBe(true);

    // From day −14 on every contact is in an arm; callers split 50/50 (the unit of assignment: one
    // caller's contacts all land in one arm, so contact counts vary more than a fair coin's).
    const inExperiment = rows.filter((r) => r.startedAt.getTime() >= v2From);
    expect(inExperiment.length).toBeGreaterThan(100);
    expect(inExperiment.every((r) => arms.some((a) => a.id === r.experimentVariantId && a.flowVersionId === r.flowVersionId))).toBe(true);
    expect(rows.filter((r) => r.startedAt.getTime() < v2From).every((r) => r.experimentVariantId === null && r.flowVersionId === v1.id)).toBe(true);
    const callersIn = arms.map((a) => new Set(inExperiment.filter((r) => r.experimentVariantId === a.id).map((r) => r.fromNumber)).size);
    expect(sampleRatioMismatch(callersIn, [50, 50]).mismatch).toBe(false);

    // The self-service option contains more contacts (completed without a handoff).
    const withHandoff = new Set(handoffRows.map((h) => h.interactionId));
    const containment = (versionId: string) => {
      const own = inExperiment.filter((r) => r.flowVersionId === versionId);
      return own.filter((r) => r.status === 'completed' && !withHandoff.has(r.id)).length / own.length;
    };
    expect(containment(v2.id)).toBeGreaterThan(containment(v1.id) + 0.05);
    expect(steps.some((s) => s.nodeId === 'balance')).toBe(true);

    // Repeat callers: each contact knows when the same customer called next (the trigger kept it).
    const byCustomer = groupBy(
      [...rows].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()),
      (r) => r.customerId,
    );
    let repeats = 0;
    for (const own of byCustomer.values()) {
      own.forEach((r, i) => expect(r.nextContactAt?.getTime() ?? null).toBe(own[i + 1]?.startedAt.getTime() ?? null));
      if (own.length > 1) repeats += 1;
    }
    expect(repeats).toBeGreaterThan(20);
    // Some call back within a day because the first contact failed.
    expect(rows.some((r) => r.nextContactAt && r.nextContactAt.getTime() - r.startedAt.getTime() < DAY)).toBe(true);

    // Emotion, CSAT and surveys: only the emotion check's upset contacts are upset; answers are 1 … 5.
    expect(rows.some((r) => r.emotionLabel === 'upset')).toBe(true);
    const upsetWithoutCheck = rows.filter((r) => r.emotionLabel === 'upset' && !stepsOf.get(r.id)?.some((s) => s.nodeId === 'mood'));
    expect(upsetWithoutCheck).toEqual([]);
    const surveyed = rows.filter((r) => r.csat !== null);
    expect(surveyed.length).toBeGreaterThan(0);
    expect(surveyed.every((r) => r.csat! >= 1 && r.csat! <= 5 && r.csatRequestedAt !== null)).toBe(true);
    expect(rows.filter((r) => r.csatRequestedAt && r.csat === null).every((r) => r.csatRequestedAt!.getTime() < now.getTime() - DAY)).toBe(true);
  });

  it('builds the same history from the same seed', async () => {
    const histories = [];
    for (let i = 0; i < 2; i++) {
      const handle = await open();
      onTestFinished(() => handle.close());
      const { flowId } = await seed(handle.db);
      const counts = await generateHistory(handle.db, { flowId, days: 3, contactsPerDay: 20, customers: 30, now: new Date('2025-03-20T15:00:00Z'), seed: 3 });
      const contacts = await handle.db
        .select({ at: interactions.startedAt, from: interactions.fromNumber, status: interactions.status, version: flowVersions.version, csat: interactions.csat })
        .from(interactions)
        .innerJoin(flowVersions, eq(flowVersions.id, interactions.flowVersionId))
        .orderBy(interactions.startedAt);
      histories.push({ counts: { ...counts, versions: undefined, experimentId: undefined }, contacts });
    }
    expect(histories[0]?.contacts.length).toBeGreaterThan(20);
    expect(histories[0]).toEqual(histories[1]);
  });
});
