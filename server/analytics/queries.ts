import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { addHistograms, histogramPercentile, rolledUpFigures } from './rollup';
import { addCounts, type ContactCounts, DEFAULT_KPI_SETTINGS, EMPTY_CONTACTS, EMPTY_HANDOFFS, type HandoffCounts, type KpiSettings } from './kpis';

/**
 * The counting behind the performance page, the canvas overlay and the experiments: plain SQL over
 * the rows the runtime writes (interactions, interaction_steps, handoffs), never over test runs.
 * Repeat contact (`next_contact_at`) and handoff facts (`had_handoff`, `agent_resolved`) are
 * columns kept by triggers, so no self-join is needed. Contacts whose counts can no longer change
 * (older than the longest repeat window and a day) are summed from `contact_rollups`, built for
 * the current KPI settings (catchUpContactRollups); the last days are counted live, one hash
 * aggregate per kind. The per-node figures come from hourly rollups (./rollup.ts).
 * bench/analytics.ts prints the times at 100k contacts / 1M steps.
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

/** The contacts `f` selects, as a condition on `i`: interactions, or with `rollups` contact_rollups (no test runs, no tags). */
function interactionWhere(f: AnalyticsFilter, rollups = false): SQL {
  const parts: SQL[] = [sql`i.flow_id = ${f.flowId}`, sql`i.started_at >= ${iso(f.from)}`, sql`i.started_at < ${iso(f.to)}`];
  if (!rollups) parts.push(sql`not i.is_test`);
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
 * Several groupings in one scan: the rows are grouped by all the asked keys at once (k0 … kn, a
 * few hundred groups at most) and each grouping is summed from those in `collect`. Every count is
 * additive, so rows from the rollups and from the live count add up the same way. A tag grouping
 * repeats a contact once per tag, so it must come alone.
 */
function groupings(groupBys: readonly GroupBy[], timeZone: string) {
  if (groupBys.length === 0) throw new Error('at least one grouping');
  if (groupBys.includes('tag') && groupBys.length > 1) throw new Error('the tag grouping counts a contact once per tag: ask for it alone');
  const keyed = [...new Set(groupBys.filter((g) => g !== 'none'))];
  const keys = keyed.map((g) => groupKey(g, timeZone));
  const columns = keys.length > 0 ? sql.join(keys.map((k, i) => sql`${k.key} as ${sql.raw(`k${i}`)}`), sql`, `) : sql`'all' as k`;
  const joins = sql.join(keys.map((k) => k.join), sql` `);
  const names = keys.length > 0 ? sql.raw(keyed.map((_, i) => `k${i}`).join(', ')) : sql`k`;
  /** A result row's key in each grouping. */
  const place = (row: Record<string, unknown>, groupBy: GroupBy): string => (groupBy === 'none' ? 'all' : readKey(groupBy, row[`k${keyed.indexOf(groupBy)}`]));
  return { columns, joins, names, place };
}

type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);

function collect<T extends object>(groupBys: readonly GroupBy[], rows: Row[], place: (row: Row, groupBy: GroupBy) => string, read: (row: Row) => T): Map<GroupBy, Map<string, T>> {
  const out = new Map<GroupBy, Map<string, T>>(groupBys.map((g) => [g, new Map()]));
  for (const row of rows) {
    const counts = read(row);
    for (const [groupBy, groups] of out) {
      const key = place(row, groupBy);
      const sum = groups.get(key);
      groups.set(key, sum ? addCounts(sum, counts) : counts);
    }
  }
  return out;
}

/**
 * The contact-level counts of ./kpis.ts as aggregates over rows `c` (one per contact), named as
 * the columns of `contact_rollups`: the live read and the rollup build are the same SQL.
 */
function contactAggregates(settings: KpiSettings): [string, SQL][] {
  const containWindow = sql`make_interval(secs => ${settings.containmentRepeatHours * 3600})`;
  const fcrWindow = sql`make_interval(secs => ${settings.fcrRepeatDays * 86400})`;
  const notRepeatedWithin = (window: SQL) => sql`(next_contact_at is null or next_contact_at > started_at + ${window})`;
  return [
    ['contacts', sql`count(*)`],
    ['contained', sql`count(*) filter (where status = 'completed' and not had_handoff and ${notRepeatedWithin(containWindow)})`],
    ['ivr_hangups', sql`count(*) filter (where status = 'abandoned' and not had_handoff)`],
    ['handoffs', sql`count(*) filter (where had_handoff)`],
    ['escalated', sql`count(*) filter (where status = 'escalated')`],
    ['fcr', sql`count(*) filter (where ((status = 'completed' and not had_handoff) or agent_resolved) and ${notRepeatedWithin(fcrWindow)})`],
    ['csat_replies', sql`count(csat)`],
    ['csat_sum', sql`coalesce(sum(csat), 0)`],
    ['csat_satisfied', sql`count(*) filter (where csat >= ${settings.csatSatisfiedAt})`],
    ['emotion_scored', sql`count(emotion_score)`],
    ['emotion_sum', sql`coalesce(sum(emotion_score::float8), 0)`],
  ];
}
const contactColumns = sql`i.status, i.csat, i.emotion_score, i.started_at, i.next_contact_at, i.had_handoff, i.agent_resolved`;

/** The handoff-level counts of ./kpis.ts as aggregates over rows `x` (one per handoff). */
function handoffAggregates(): [string, SQL][] {
  return [
    ['offered', sql`count(*) filter (where not short_abandon)`],
    ['short_abandons', sql`count(*) filter (where short_abandon)`],
    ['answered', sql`count(accepted_at)`],
    ['answered_in_threshold', sql`count(*) filter (where accepted_at is not null and wait_s <= threshold_s)`],
    ['answer_seconds', sql`coalesce(sum(wait_s), 0)`],
    ['abandoned', sql`count(*) filter (where accepted_at is null and status = 'abandoned' and not short_abandon)`],
    ['handled', sql`count(*) filter (where resolved_at is not null and accepted_at is not null)`],
    ['handle_seconds', sql`coalesce(sum(extract(epoch from resolved_at - accepted_at)) filter (where resolved_at is not null and accepted_at is not null), 0)`],
  ];
}
const handoffColumns = (settings: KpiSettings) => sql`i.status, i.accepted_at, i.resolved_at, i.created_at,
  extract(epoch from i.accepted_at - i.created_at) as wait_s,
  coalesce(s.service_level_seconds, ${settings.defaultServiceLevelSeconds}) as threshold_s,
  i.accepted_at is null and i.status = 'abandoned'
    and extract(epoch from coalesce(i.ended_at, i.created_at) - i.created_at) < ${settings.shortAbandonSeconds} as short_abandon`;
/**
 * Handoffs as rows `i`, their contact's facts (copied onto each handoff by the triggers of
 * migration 0007) under the interactions' column names, so interactionWhere and groupKey select
 * and group them as they do contacts, with no join to interactions.
 */
const handoffSource = sql`(select h.status, h.accepted_at, h.resolved_at, h.created_at, h.ended_at, h.skill,
    h.contact_flow_id as flow_id, h.contact_flow_version_id as flow_version_id, h.contact_variant_id as experiment_variant_id,
    h.contact_channel as channel, h.contact_to_number as to_number, h.contact_customer_id as customer_id,
    h.contact_started_at as started_at, h.contact_is_test as is_test
  from handoffs h) i left join skills s on s.id = i.skill`;

const selectList = (aggregates: [string, SQL][]) => sql.join(aggregates.map(([name, expr]) => sql`${expr} as ${sql.raw(name)}`), sql`, `);
const ROLLUP_COLUMNS = [...contactAggregates(DEFAULT_KPI_SETTINGS), ...handoffAggregates()].map(([name]) => name);

function readContacts(r: Row): ContactCounts {
  return {
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
  };
}

function readHandoffs(r: Row): HandoffCounts {
  return {
    offered: num(r.offered),
    shortAbandons: num(r.short_abandons),
    answered: num(r.answered),
    answeredInThreshold: num(r.answered_in_threshold),
    answerSecondsSum: num(r.answer_seconds),
    abandoned: num(r.abandoned),
    handled: num(r.handled),
    handleSecondsSum: num(r.handle_seconds),
  };
}

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const quarterOf = sql`date_bin('15 minutes', i.started_at, timestamptz '2000-01-01 00:00:00+00')`;

/** How long after it started a contact's counts can still change: its longest repeat window, and a day. */
const settleMs = (settings: KpiSettings) => Math.max(settings.fcrRepeatDays * DAY_MS, settings.containmentRepeatHours * 3_600_000) + DAY_MS;

async function rollupFingerprint(db: Db, settings: KpiSettings): Promise<string> {
  const skills = await queryRows<{ id: string; s: unknown }>(db, sql`select id, service_level_seconds as s from skills order by id`);
  return JSON.stringify([settings, skills.map((r) => [r.id, r.s])]);
}

/**
 * Brings `contact_rollups` up to date and returns its watermark (contacts started before it are
 * in the rollups), or null when nothing is rolled up. Settled contacts are added a quarter-hour
 * range at a time; new KPI settings or service-level thresholds, or a contact written into the
 * settled past (the triggers of migration 0006 clear the fingerprint), rebuild them all. Runs
 * under a row lock, so concurrent readers never add a range twice.
 */
export async function catchUpContactRollups(db: Db, settings: KpiSettings, now = Date.now()): Promise<Date | null> {
  const settle = settleMs(settings);
  const target = new Date(Math.floor((now - settle) / QUARTER_MS) * QUARTER_MS);
  const fingerprint = await rollupFingerprint(db, settings);
  const current = async (tx: Db, lock: boolean) =>
    (await queryRows<{ watermark: Date | string | null; fingerprint: string | null }>(tx, sql`select watermark, fingerprint from kpi_rollup_state where id = 1 ${lock ? sql`for update` : sql``}`))[0];
  const fresh = (state: { watermark: Date | string | null; fingerprint: string | null } | undefined) =>
    state?.fingerprint === fingerprint && state.watermark !== null && new Date(state.watermark).getTime() >= target.getTime();
  const seen = await current(db, false);
  if (fresh(seen)) return new Date(seen!.watermark!);
  return db.transaction(async (tx) => {
    const state = await current(tx as unknown as Db, true);
    if (fresh(state)) return new Date(state!.watermark!);
    const rebuild = state?.fingerprint !== fingerprint || state.watermark === null;
    if (rebuild) await tx.execute(sql`delete from contact_rollups`);
    const since = rebuild ? sql`` : sql`and i.started_at >= ${new Date(state!.watermark!).toISOString()}::timestamptz`;
    const range = sql`not i.is_test and i.flow_id is not null ${since} and i.started_at < ${target.toISOString()}::timestamptz`;
    const dims = sql`i.flow_id, i.flow_version_id, i.experiment_variant_id, i.channel, i.to_number, ${quarterOf} as quarter`;
    const dimNames = sql`flow_id, flow_version_id, experiment_variant_id, channel, to_number, quarter`;
    const contacts = contactAggregates(settings);
    const handoffs = handoffAggregates();
    await tx.execute(sql`insert into contact_rollups (${dimNames}, ${sql.raw(contacts.map(([n]) => n).join(', '))})
      select ${dimNames}, ${selectList(contacts)} from (select ${dims}, ${contactColumns} from interactions i where ${range}) c group by ${dimNames}`);
    await tx.execute(sql`insert into contact_rollups (${dimNames}, ${sql.raw(handoffs.map(([n]) => n).join(', '))})
      select ${dimNames}, ${selectList(handoffs)} from (select ${dims}, ${handoffColumns(settings)} from ${handoffSource} where ${range}) x group by ${dimNames}`);
    const guard = new Date(target.getTime() + settle);
    await tx.execute(sql`insert into kpi_rollup_state (id, watermark, guard, fingerprint) values (1, ${target.toISOString()}::timestamptz, ${guard.toISOString()}::timestamptz, ${fingerprint})
      on conflict (id) do update set watermark = excluded.watermark, guard = excluded.guard, fingerprint = excluded.fingerprint`);
    return target;
  });
}

/**
 * One counting read of groupCounts. Its reads already run side by side (one per kind of count and
 * range piece, and the tag breakdown beside the page), so each runs without Postgres' parallel
 * workers, which on a small box only crowd the same cores: at 100k contacts on 2 cores the page
 * and its tag breakdown together took 321 ms with them and 205 ms without (bench/analytics.ts).
 */
function countRows(db: Db, query: SQL): Promise<Row[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    return queryRows<Row>(tx as unknown as Db, query);
  });
}

export interface GroupCounts {
  key: string;
  contacts: ContactCounts;
  handoffs: HandoffCounts;
}

/**
 * Both kinds of counts per grouping and group, groups in key order. Settled contacts in whole
 * quarter hours of the range come from `contact_rollups`; the rest (the last days, the range's
 * ragged ends, or everything when filtering by tag: tags are today's) are counted live.
 */
export async function groupCounts<G extends GroupBy>(
  db: Db,
  f: AnalyticsFilter,
  groupBys: readonly G[],
  settings: KpiSettings,
  timeZone = 'UTC',
  /** `rollups: false` counts every contact live (the tests compare the two). */
  options: { rollups?: boolean } = {},
): Promise<Record<G, GroupCounts[]>> {
  const g = groupings(groupBys, timeZone);
  const watermark = options.rollups === false || f.tag || groupBys.includes('tag' as G) ? null : await catchUpContactRollups(db, settings);
  const rolledFrom = new Date(Math.ceil(f.from.getTime() / QUARTER_MS) * QUARTER_MS);
  const rolledTo = new Date(Math.min(Math.floor(f.to.getTime() / QUARTER_MS) * QUARTER_MS, watermark?.getTime() ?? 0));
  const rolled = rolledTo > rolledFrom;
  // Counted live: the range less the rolled-up quarters, as plain ranges an index can serve.
  const pieces = (rolled ? [{ ...f, to: rolledFrom }, { ...f, from: rolledTo }] : [f]).filter((p) => p.to > p.from);
  const live = (piece: AnalyticsFilter) => [
    countRows(db, sql`select ${g.names}, ${selectList(contactAggregates(settings))} from (select ${g.columns}, ${contactColumns} from interactions i ${g.joins} where ${interactionWhere(piece)}) c group by ${g.names}`),
    countRows(
      db,
      sql`select ${g.names}, ${selectList(handoffAggregates())} from (select ${g.columns}, ${handoffColumns(settings)} from ${handoffSource} ${g.joins}
        where ${interactionWhere(piece)}) x group by ${g.names}`,
    ),
  ];
  const [rolledRows, ...liveRows] = await Promise.all([
    rolled
      ? countRows(
          db,
          sql`select ${g.names}, ${sql.raw(ROLLUP_COLUMNS.map((n) => `sum(${n}) as ${n}`).join(', '))}
            from (select ${g.columns}, i.* from (select r.*, r.quarter as started_at from contact_rollups r) i ${g.joins}
              where ${interactionWhere({ ...f, from: rolledFrom, to: rolledTo }, true)}) c group by ${g.names}`,
        )
      : Promise.resolve([]),
    ...pieces.flatMap(live),
  ]);
  const contactRows = liveRows.filter((_, i) => i % 2 === 0).flat();
  const handoffRows = liveRows.filter((_, i) => i % 2 === 1).flat();
  const contacts = collect(groupBys, [...contactRows, ...rolledRows!], g.place, readContacts);
  const handoffs = collect(groupBys, [...handoffRows, ...rolledRows!], g.place, readHandoffs);
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
