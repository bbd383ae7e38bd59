import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { addHistograms, histogramPercentile, rolledUpFigures } from './rollup';
import { type ContactCounts, EMPTY_CONTACTS, EMPTY_HANDOFFS, type HandoffCounts, type KpiSettings } from './kpis';

/**
 * The counting behind the performance page, the canvas overlay and the experiments: plain SQL over
 * the rows the runtime writes (interactions, interaction_steps, handoffs), never over test runs.
 * The contact KPIs scan the flow's contacts in the range once (`interactions_flow_started`, one
 * GROUPING SETS pass for all breakdowns): repeat contact (`next_contact_at`) and handoff facts
 * (`had_handoff`, `agent_resolved`) are columns kept by triggers, so no self-join or handoff join is
 * needed. The per-node figures come from hourly rollups (./rollup.ts). bench/analytics.ts prints
 * the times at 100k contacts / 1M steps.
 */

export interface AnalyticsFilter {
  flowId: string;
  from: Date;
  to: Date;
  /** Version ids; none means every version. */
  versionIds?: readonly string[];
  channel?: 'voice' | 'sms';
  /** Only customers who have this tag now. */
  tag?: string;
  /** Only contacts assigned to these experiment arms. */
  variantIds?: readonly string[];
  /** Only contacts to this number. */
  toNumber?: string;
}

export type GroupBy = 'none' | 'hour' | 'day' | 'version' | 'channel' | 'tag' | 'variant';

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;

function interactionWhere(f: AnalyticsFilter): SQL {
  const parts: SQL[] = [sql`i.flow_id = ${f.flowId}`, sql`not i.is_test`, sql`i.started_at >= ${iso(f.from)}`, sql`i.started_at < ${iso(f.to)}`];
  if (f.versionIds && f.versionIds.length > 0) parts.push(sql`i.flow_version_id in (${sql.join(f.versionIds.map((id) => sql`${id}`), sql`, `)})`);
  if (f.variantIds && f.variantIds.length > 0) parts.push(sql`i.experiment_variant_id in (${sql.join(f.variantIds.map((id) => sql`${id}`), sql`, `)})`);
  if (f.channel) parts.push(sql`i.channel = ${f.channel}`);
  if (f.toNumber) parts.push(sql`i.to_number = ${f.toNumber}`);
  if (f.tag) parts.push(sql`exists (select 1 from customer_tags ct where ct.customer_id = i.customer_id and ct.tag = ${f.tag})`);
  return sql.join(parts, sql` and `);
}

/** The group key expression and any join it needs; time buckets in the viewer's time zone. */
function groupKey(groupBy: GroupBy, timeZone: string): { key: SQL; join: SQL } {
  switch (groupBy) {
    case 'none':
      return { key: sql`'all'`, join: sql`` };
    case 'hour':
    case 'day':
      // The bucket's wall-clock start in the zone, as seconds (formatted by readKey): cheaper to group than text.
      return { key: sql`extract(epoch from date_trunc(${groupBy}, i.started_at at time zone ${timeZone}))::bigint`, join: sql`` };
    case 'version':
      return { key: sql`coalesce(fv.version::text, 'draft')`, join: sql`left join flow_versions fv on fv.id = i.flow_version_id` };
    case 'channel':
      return { key: sql`i.channel`, join: sql`` };
    case 'tag':
      return { key: sql`ct.tag`, join: sql`join customer_tags ct on ct.customer_id = i.customer_id` };
    case 'variant':
      return { key: sql`coalesce(i.experiment_variant_id::text, 'none')`, join: sql`` };
  }
}

/** A group's key as text; time buckets as the zone's wall-clock start, `2026-11-10T09:00`. */
function readKey(groupBy: GroupBy, value: unknown): string {
  if (groupBy === 'hour' || groupBy === 'day') return new Date(Number(value) * 1000).toISOString().slice(0, 16);
  return String(value);
}

/**
 * Several groupings in one scan (GROUPING SETS): key columns k0 … kn and the grouping() flags that
 * say which set a row belongs to. A tag grouping repeats a contact once per tag, so it must come alone.
 */
function groupings(groupBys: readonly GroupBy[], timeZone: string) {
  if (groupBys.length === 0) throw new Error('at least one grouping');
  if (groupBys.includes('tag') && groupBys.length > 1) throw new Error('the tag grouping counts a contact once per tag: ask for it alone');
  const keys = groupBys.map((g) => groupKey(g, timeZone));
  const columns = sql.join(keys.map((k, i) => sql`${k.key} as ${sql.raw(`k${i}`)}`), sql`, `);
  const joins = sql.join(keys.map((k) => k.join), sql` `);
  const sets = sql.join(groupBys.map((g, i) => (g === 'none' ? sql`()` : sql.raw(`(k${i})`))), sql`, `);
  const flagged = groupBys.flatMap((g, i) => (g === 'none' ? [] : [sql.raw(`grouping(k${i}) as g${i}, k${i}`)]));
  const flags = flagged.length > 0 ? sql.join(flagged, sql`, `) : sql`'all' as k`;
  /** Which grouping a result row is, and its key. */
  const place = (row: Record<string, unknown>): { groupBy: GroupBy; key: string } => {
    for (let i = 0; i < groupBys.length; i++) if (groupBys[i] !== 'none' && Number(row[`g${i}`]) === 0) return { groupBy: groupBys[i]!, key: readKey(groupBys[i]!, row[`k${i}`]) };
    return { groupBy: 'none', key: 'all' };
  };
  return { columns, joins, sets, flags, place };
}

type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);

function collect<T>(groupBys: readonly GroupBy[], rows: Row[], place: (row: Row) => { groupBy: GroupBy; key: string }, read: (row: Row) => T): Map<GroupBy, Map<string, T>> {
  const out = new Map<GroupBy, Map<string, T>>(groupBys.map((g) => [g, new Map()]));
  for (const row of rows) {
    const { groupBy, key } = place(row);
    out.get(groupBy)?.set(key, read(row));
  }
  return out;
}

/** Per grouping and group: the contact-level counts of ./kpis.ts. */
export async function contactCounts(db: Db, f: AnalyticsFilter, groupBys: readonly GroupBy[], settings: KpiSettings, timeZone = 'UTC'): Promise<Map<GroupBy, Map<string, ContactCounts>>> {
  const g = groupings(groupBys, timeZone);
  const containWindow = sql`make_interval(secs => ${settings.containmentRepeatHours * 3600})`;
  const fcrWindow = sql`make_interval(secs => ${settings.fcrRepeatDays * 86400})`;
  const rows = await queryRows<Row>(
    db,
    sql`
    with c as (
      select ${g.columns}, i.status, i.csat, i.emotion_score, i.started_at, i.next_contact_at, i.had_handoff, i.agent_resolved
      from interactions i ${g.joins}
      where ${interactionWhere(f)}
    )
    select ${g.flags},
      count(*) as contacts,
      count(*) filter (where status = 'completed' and not had_handoff and (next_contact_at is null or next_contact_at > started_at + ${containWindow})) as contained,
      count(*) filter (where status = 'abandoned' and not had_handoff) as ivr_hangups,
      count(*) filter (where had_handoff) as handoffs,
      count(*) filter (where status = 'escalated') as escalated,
      count(*) filter (where ((status = 'completed' and not had_handoff) or agent_resolved) and (next_contact_at is null or next_contact_at > started_at + ${fcrWindow})) as fcr,
      count(csat) as csat_replies, coalesce(sum(csat), 0) as csat_sum, count(*) filter (where csat >= ${settings.csatSatisfiedAt}) as csat_satisfied,
      count(emotion_score) as emotion_scored, coalesce(sum(emotion_score), 0) as emotion_sum
    from c group by grouping sets (${g.sets})`,
  );
  return collect(groupBys, rows, g.place, (r) => ({
    contacts: num(r.contacts),
    contained: num(r.contained),
    ivrHangups: num(r.ivr_hangups),
    handoffs: num(r.handoffs),
    escalated: num(r.escalated),
    firstContactResolved: num(r.fcr),
    csatReplies: num(r.csat_replies),
    csatSum: num(r.csat_sum),
    csatSatisfied: num(r.csat_satisfied),
    emotionScored: num(r.emotion_scored),
    emotionSum: num(r.emotion_sum),
  }));
}

/** Per grouping and group: the handoff-level counts of ./kpis.ts (a handoff belongs to its contact's group). */
export async function handoffCounts(db: Db, f: AnalyticsFilter, groupBys: readonly GroupBy[], settings: KpiSettings, timeZone = 'UTC'): Promise<Map<GroupBy, Map<string, HandoffCounts>>> {
  const g = groupings(groupBys, timeZone);
  const rows = await queryRows<Row>(
    db,
    sql`
    with x as (
      select ${g.columns}, h.status, h.accepted_at, h.resolved_at, h.created_at,
        extract(epoch from h.accepted_at - h.created_at) as wait_s,
        coalesce(s.service_level_seconds, ${settings.defaultServiceLevelSeconds}) as threshold_s,
        h.accepted_at is null and h.status = 'abandoned'
          and extract(epoch from coalesce(h.ended_at, h.created_at) - h.created_at) < ${settings.shortAbandonSeconds} as short_abandon
      from handoffs h join interactions i on i.id = h.interaction_id ${g.joins} left join skills s on s.id = h.skill
      where ${interactionWhere(f)}
    )
    select ${g.flags},
      count(*) filter (where not short_abandon) as offered,
      count(*) filter (where short_abandon) as short_abandons,
      count(accepted_at) as answered,
      count(*) filter (where accepted_at is not null and wait_s <= threshold_s) as answered_in_threshold,
      coalesce(sum(wait_s), 0) as answer_seconds,
      count(*) filter (where accepted_at is null and status = 'abandoned' and not short_abandon) as abandoned,
      count(*) filter (where resolved_at is not null and accepted_at is not null) as handled,
      coalesce(sum(extract(epoch from resolved_at - accepted_at)) filter (where resolved_at is not null and accepted_at is not null), 0) as handle_seconds
    from x group by grouping sets (${g.sets})`,
  );
  return collect(groupBys, rows, g.place, (r) => ({
    offered: num(r.offered),
    shortAbandons: num(r.short_abandons),
    answered: num(r.answered),
    answeredInThreshold: num(r.answered_in_threshold),
    answerSecondsSum: num(r.answer_seconds),
    abandoned: num(r.abandoned),
    handled: num(r.handled),
    handleSecondsSum: num(r.handle_seconds),
  }));
}

export interface GroupCounts {
  key: string;
  contacts: ContactCounts;
  handoffs: HandoffCounts;
}

/** Both kinds of counts per grouping and group, groups in key order (one scan of each kind). */
export async function groupCounts<G extends GroupBy>(db: Db, f: AnalyticsFilter, groupBys: readonly G[], settings: KpiSettings, timeZone = 'UTC'): Promise<Record<G, GroupCounts[]>> {
  const [contacts, handoffs] = await Promise.all([contactCounts(db, f, groupBys, settings, timeZone), handoffCounts(db, f, groupBys, settings, timeZone)]);
  const out = {} as Record<G, GroupCounts[]>;
  for (const groupBy of groupBys) {
    const c = contacts.get(groupBy) ?? new Map<string, ContactCounts>();
    const h = handoffs.get(groupBy) ?? new Map<string, HandoffCounts>();
    const keys = [...new Set([...c.keys(), ...h.keys()])].sort();
    out[groupBy] = keys.map((key) => ({ key, contacts: c.get(key) ?? EMPTY_CONTACTS, handoffs: h.get(key) ?? EMPTY_HANDOFFS }));
  }
  return out;
}

export interface NodeFigures {
  nodeId: string;
  /** Steps run at the node (a contact that loops through it counts each time). */
  entries: number;
  /** Contacts that reached it at least once. */
  contacts: number;
  /** The run ended here because the caller hung up. */
  dropOffs: number;
  errors: number;
  p50Ms: number | null;
  p90Ms: number | null;
  /** Steps that left by each port. */
  exits: Record<string, number>;
}

const HOUR_MS = 3_600_000;

/**
 * The overlay: per node and per port, over the contacts `f` selects (by channel, versions or
 * arms; not by tag). Read from the hourly rollups (./rollup.ts), so the range is whole hours:
 * `from` rounds down and `to` up to the hour.
 */
export async function nodeFigures(db: Db, f: AnalyticsFilter): Promise<{ contacts: number; from: Date; to: Date; nodes: NodeFigures[] }> {
  const from = new Date(Math.floor(f.from.getTime() / HOUR_MS) * HOUR_MS);
  const to = new Date(Math.ceil(f.to.getTime() / HOUR_MS) * HOUR_MS);
  const [rows, [total]] = await Promise.all([
    rolledUpFigures(db, { flowId: f.flowId, from, to, versionIds: f.versionIds, variantIds: f.variantIds, channel: f.channel }),
    queryRows<{ n: unknown }>(db, sql`select count(*) as n from interactions i where ${interactionWhere({ ...f, from, to })}`),
  ]);
  const byNode = new Map<string, NodeFigures & { histogram: Record<string, number> }>();
  const node = (id: string) => {
    let figures = byNode.get(id);
    if (!figures) byNode.set(id, (figures = { nodeId: id, entries: 0, contacts: 0, dropOffs: 0, errors: 0, p50Ms: null, p90Ms: null, exits: {}, histogram: {} }));
    return figures;
  };
  for (const r of rows) {
    const figures = node(r.node_id);
    if (r.port === '*') {
      figures.entries += num(r.entries);
      figures.contacts += num(r.contacts);
      figures.dropOffs += num(r.drop_offs);
      figures.errors += num(r.errors);
      addHistograms(figures.histogram, typeof r.histogram === 'string' ? (JSON.parse(r.histogram) as Record<string, number>) : r.histogram);
    } else if (r.port !== '') {
      figures.exits[r.port] = (figures.exits[r.port] ?? 0) + num(r.entries);
    }
  }
  const nodes = [...byNode.values()]
    .map(({ histogram, ...figures }) => ({ ...figures, p50Ms: histogramPercentile(histogram, 50), p90Ms: histogramPercentile(histogram, 90) }))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  return { contacts: num(total?.n), from, to, nodes };
}

/** Per group: the contacts that entered a node at least once (the experiments' "reached node X"). */
export async function reachedCounts(db: Db, f: AnalyticsFilter, nodeId: string, groupBy: GroupBy, timeZone = 'UTC'): Promise<Map<string, number>> {
  const { key, join } = groupKey(groupBy, timeZone);
  const rows = await queryRows<Row>(
    db,
    sql`select ${key} as key, count(*) as n from interactions i ${join}
      where ${interactionWhere(f)} and exists (select 1 from interaction_steps s where s.interaction_id = i.id and s.node_id = ${nodeId})
      group by key`,
  );
  return new Map(rows.map((r) => [readKey(groupBy, r.key), num(r.n)]));
}
