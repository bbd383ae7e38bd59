import 'server-only';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { customerTags, flows, flowVersions } from '@/db/schema';
import { loadKpiSettings } from './experiments';
import { computeKpis, EMPTY_CONTACTS, EMPTY_HANDOFFS, type KpiSettings } from './kpis';
import { type AnalyticsFilter, type GroupCounts, groupCounts, nodeFigures } from './queries';

/** A flow's performance page and its canvas overlay, from the counts of ./queries.ts. */

export class FlowMissingError extends Error {
  constructor(flowId: string) {
    super(`No flow ${flowId}.`);
  }
}

export interface PerformanceInput {
  flowId: string;
  from: Date;
  to: Date;
  /** Version numbers; none means all. */
  versions?: number[];
  channel?: 'voice' | 'sms';
  tag?: string;
  bucket: 'hour' | 'day';
  timeZone: string;
}

async function flowVersionsOf(db: Db, flowId: string) {
  const [flow] = await db.select({ id: flows.id, name: flows.name, liveVersionId: flows.liveVersionId, draft: flows.draft }).from(flows).where(eq(flows.id, flowId));
  if (!flow) throw new FlowMissingError(flowId);
  const versions = await db
    .select({ id: flowVersions.id, version: flowVersions.version, message: flowVersions.message, publishedAt: flowVersions.publishedAt })
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(desc(flowVersions.version));
  return { flow, versions: versions.map((v) => ({ ...v, live: v.id === flow.liveVersionId })) };
}

function filterFor(input: Omit<PerformanceInput, 'bucket' | 'timeZone'>, versions: { id: string; version: number }[]): AnalyticsFilter {
  const picked = input.versions && input.versions.length > 0 ? versions.filter((v) => input.versions!.includes(v.version)).map((v) => v.id) : undefined;
  return {
    flowId: input.flowId,
    from: input.from,
    to: input.to,
    // A version number the flow does not have selects nothing rather than everything.
    ...(picked && { versionIds: picked.length > 0 ? picked : ['00000000-0000-0000-0000-000000000000'] }),
    ...(input.channel && { channel: input.channel }),
    ...(input.tag && { tag: input.tag }),
  };
}

/**
 * KPI cards, the time series and the breakdowns by version and channel: settled contacts from the
 * rollups (./queries.ts groupCounts). The breakdown by tag is its own request (flowTagBreakdown):
 * tags are today's, so it always counts every contact live, and the page need not wait for it.
 */
export async function flowPerformance(db: Db, input: PerformanceInput) {
  const { flow, versions } = await flowVersionsOf(db, input.flowId);
  const settings = await loadKpiSettings(db);
  const filter = filterFor(input, versions);
  const [grouped, tagRows] = await Promise.all([
    groupCounts(db, filter, ['none', input.bucket, 'version', 'channel'], settings, input.timeZone),
    db.selectDistinct({ tag: customerTags.tag }).from(customerTags).orderBy(customerTags.tag),
  ]);
  const total = grouped.none[0];
  return {
    flow: { id: flow.id, name: flow.name },
    versions,
    tags: tagRows.map((r) => r.tag),
    settings,
    kpis: computeKpis(total?.contacts ?? EMPTY_CONTACTS, total?.handoffs ?? EMPTY_HANDOFFS, settings),
    series: kpiRows(grouped[input.bucket], settings),
    byVersion: kpiRows(grouped.version, settings).sort((a, b) => Number(b.key) - Number(a.key)),
    byChannel: kpiRows(grouped.channel, settings),
  };
}

/** The KPIs per customer tag (a contact counts under each tag its customer has now), with the page's filters. */
export async function flowTagBreakdown(db: Db, input: Omit<PerformanceInput, 'bucket'>) {
  const { versions } = await flowVersionsOf(db, input.flowId);
  const settings = await loadKpiSettings(db);
  const grouped = await groupCounts(db, filterFor(input, versions), ['tag'], settings, input.timeZone);
  return { byTag: kpiRows(grouped.tag, settings) };
}

function kpiRows(groups: readonly GroupCounts[], settings: KpiSettings) {
  return groups.map((g) => ({ key: g.key, kpis: computeKpis(g.contacts, g.handoffs, settings) }));
}

/**
 * The overlay: a version's document (or, for all versions, the live one) with each node's
 * figures over the range. Nodes another version had show their figures only when they exist in
 * the shown document; the figures are by node id, so a node kept across versions sums them.
 */
export async function flowOverlay(db: Db, input: { flowId: string; from: Date; to: Date; version: number | 'all'; channel?: 'voice' | 'sms' }) {
  const { flow, versions } = await flowVersionsOf(db, input.flowId);
  const shown = input.version === 'all' ? (versions.find((v) => v.live) ?? versions[0]) : versions.find((v) => v.version === input.version);
  if (input.version !== 'all' && !shown) throw new FlowMissingError(`${input.flowId} version ${input.version}`);
  const [documentRow] = shown ? await db.select({ document: flowVersions.document }).from(flowVersions).where(eq(flowVersions.id, shown.id)) : [];
  const figures = await nodeFigures(db, filterFor({ ...input, versions: input.version === 'all' ? undefined : [input.version] }, versions));
  return { versions, shownVersion: shown?.version ?? null, document: documentRow?.document ?? flow.draft, ...figures };
}
