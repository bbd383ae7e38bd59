import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';
import { type ContactCounts, EMPTY_CONTACTS, EMPTY_HANDOFFS, type HandoffCounts, type KpiSettings } from './kpis';

/**
 * The counting behind the performance page, the canvas overlay and the experiments: plain SQL over
 * the rows the runtime writes (interactions, interaction_steps, handoffs), never over test runs.
 * Indexes, not rollups: `interactions_flow_started` narrows to the flow and range, repeat contact
 * is the column `next_contact_at` kept by a trigger, and steps are read through their
 * interaction's primary key (see bench/analytics.ts for the figures at 100k contacts / 1M steps).
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
      return { key: sql`to_char(date_trunc(${groupBy}, i.started_at at time zone ${timeZone}), 'YYYY-MM-DD"T"HH24:MI')`, join: sql`` };
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

type Row = Record<string, unknown> & { key: string };
const num = (value: unknown) => Number(value ?? 0);

/** Per group: the contact-level counts of ./kpis.ts. */
export async function contactCounts(db: Db, f: AnalyticsFilter, groupBy: GroupBy, settings: KpiSettings, timeZone = 'UTC'): Promise<Map<string, ContactCounts>> {
  const { key, join } = groupKey(groupBy, timeZone);
  const containWindow = sql`make_interval(hours => ${settings.containmentRepeatHours})`;
  const fcrWindow = sql`make_interval(days => ${settings.fcrRepeatDays})`;
  const rows = await queryRows<Row>(
    db,
    sql`
    with h as (
      select h.interaction_id, bool_or(h.status = 'resolved' and h.first_contact_resolution is not false) as resolved
      from handoffs h join interactions i on i.id = h.interaction_id
      where ${interactionWhere(f)}
      group by h.interaction_id
    ), c as (
      select ${key} as key, i.status, i.csat, i.emotion_score, i.started_at, i.next_contact_at,
        h.interaction_id is not null as had_handoff, coalesce(h.resolved, false) as agent_resolved
      from interactions i ${join} left join h on h.interaction_id = i.id
      where ${interactionWhere(f)}
    )
    select key,
      count(*) as contacts,
      count(*) filter (where status = 'completed' and not had_handoff and (next_contact_at is null or next_contact_at > started_at + ${containWindow})) as contained,
      count(*) filter (where status = 'abandoned' and not had_handoff) as ivr_hangups,
      count(*) filter (where had_handoff) as handoffs,
      count(*) filter (where status = 'escalated') as escalated,
      count(*) filter (where ((status = 'completed' and not had_handoff) or agent_resolved) and (next_contact_at is null or next_contact_at > started_at + ${fcrWindow})) as fcr,
      count(csat) as csat_replies, coalesce(sum(csat), 0) as csat_sum, count(*) filter (where csat >= ${settings.csatSatisfiedAt}) as csat_satisfied,
      count(emotion_score) as emotion_scored, coalesce(sum(emotion_score), 0) as emotion_sum
    from c group by key order by key`,
  );
  return new Map(
    rows.map((r) => [
      String(r.key),
      {
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
      },
    ]),
  );
}

/** Per group: the handoff-level counts of ./kpis.ts (a handoff belongs to its contact's group). */
export async function handoffCounts(db: Db, f: AnalyticsFilter, groupBy: GroupBy, settings: KpiSettings, timeZone = 'UTC'): Promise<Map<string, HandoffCounts>> {
  const { key, join } = groupKey(groupBy, timeZone);
  const rows = await queryRows<Row>(
    db,
    sql`
    with x as (
      select ${key} as key, h.status, h.accepted_at, h.resolved_at, h.created_at,
        extract(epoch from h.accepted_at - h.created_at) as wait_s,
        coalesce(s.service_level_seconds, ${settings.defaultServiceLevelSeconds}) as threshold_s,
        h.accepted_at is null and h.status = 'abandoned'
          and extract(epoch from coalesce(h.ended_at, h.created_at) - h.created_at) < ${settings.shortAbandonSeconds} as short_abandon
      from handoffs h join interactions i on i.id = h.interaction_id ${join} left join skills s on s.id = h.skill
      where ${interactionWhere(f)}
    )
    select key,
      count(*) filter (where not short_abandon) as offered,
      count(*) filter (where short_abandon) as short_abandons,
      count(accepted_at) as answered,
      count(*) filter (where accepted_at is not null and wait_s <= threshold_s) as answered_in_threshold,
      coalesce(sum(wait_s), 0) as answer_seconds,
      count(*) filter (where accepted_at is null and status = 'abandoned' and not short_abandon) as abandoned,
      count(*) filter (where resolved_at is not null and accepted_at is not null) as handled,
      coalesce(sum(extract(epoch from resolved_at - accepted_at)) filter (where resolved_at is not null and accepted_at is not null), 0) as handle_seconds
    from x group by key order by key`,
  );
  return new Map(
    rows.map((r) => [
      String(r.key),
      {
        offered: num(r.offered),
        shortAbandons: num(r.short_abandons),
        answered: num(r.answered),
        answeredInThreshold: num(r.answered_in_threshold),
        answerSecondsSum: num(r.answer_seconds),
        abandoned: num(r.abandoned),
        handled: num(r.handled),
        handleSecondsSum: num(r.handle_seconds),
      },
    ]),
  );
}

export interface GroupCounts {
  key: string;
  contacts: ContactCounts;
  handoffs: HandoffCounts;
}

/** Both kinds of counts per group, groups in key order. */
export async function groupCounts(db: Db, f: AnalyticsFilter, groupBy: GroupBy, settings: KpiSettings, timeZone = 'UTC'): Promise<GroupCounts[]> {
  const [contacts, handoffs] = await Promise.all([contactCounts(db, f, groupBy, settings, timeZone), handoffCounts(db, f, groupBy, settings, timeZone)]);
  const keys = [...new Set([...contacts.keys(), ...handoffs.keys()])].sort();
  return keys.map((key) => ({ key, contacts: contacts.get(key) ?? EMPTY_CONTACTS, handoffs: handoffs.get(key) ?? EMPTY_HANDOFFS }));
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

/** The overlay: per node and per port, over the contacts `f` selects. */
export async function nodeFigures(db: Db, f: AnalyticsFilter): Promise<{ contacts: number; nodes: NodeFigures[] }> {
  const rows = await queryRows<Row & { node_id: string; port: string | null }>(
    db,
    sql`
    with s as (
      select s.node_id, s.port, s.duration_ms, s.interaction_id,
        s.port is null and i.status = 'abandoned' as dropped,
        s.error is not null and not (s.port is null and i.status = 'abandoned') as failed
      from interactions i join interaction_steps s on s.interaction_id = i.id
      where ${interactionWhere(f)}
    )
    select node_id as key, node_id, port, grouping(port) as per_node,
      count(*) as entries,
      count(distinct interaction_id) as contacts,
      count(*) filter (where dropped) as drop_offs,
      count(*) filter (where failed) as errors,
      percentile_disc(0.5) within group (order by duration_ms) as p50,
      percentile_disc(0.9) within group (order by duration_ms) as p90
    from s group by grouping sets ((node_id), (node_id, port))`,
  );
  const byNode = new Map<string, NodeFigures>();
  for (const r of rows) {
    if (Number(r.per_node) !== 1) continue;
    byNode.set(r.node_id, {
      nodeId: r.node_id,
      entries: num(r.entries),
      contacts: num(r.contacts),
      dropOffs: num(r.drop_offs),
      errors: num(r.errors),
      p50Ms: r.p50 === null ? null : num(r.p50),
      p90Ms: r.p90 === null ? null : num(r.p90),
      exits: {},
    });
  }
  for (const r of rows) {
    if (Number(r.per_node) === 1 || r.port === null) continue;
    const node = byNode.get(r.node_id);
    if (node) node.exits[r.port] = num(r.entries);
  }
  const [total] = await queryRows<{ n: unknown }>(db, sql`select count(*) as n from interactions i where ${interactionWhere(f)}`);
  return { contacts: num(total?.n), nodes: [...byNode.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId)) };
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
  return new Map(rows.map((r) => [String(r.key), num(r.n)]));
}
