import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { type Db, queryRows } from '@/db/client';

/**
 * The per-node figures behind the canvas overlay and the experiments' funnels, kept as hourly
 * partial sums in `node_rollups`. A contact's steps never change once it has ended, so ended
 * contacts are counted once (a catch-up, run before each read, takes those not yet counted, in any
 * order, and marks them) and readers sum the rollup rows plus the few contacts still running.
 * Nothing is added to the runtime's hot path: the webhook and the workflow write what they wrote.
 * Times in a node are kept as a histogram with DURATION_BUCKETS_PER_DOUBLING buckets per doubling,
 * so p50 / p90 are within about ±9 %.
 */

export const DURATION_BUCKETS_PER_DOUBLING = 4;

/** The histogram bucket of a duration, as SQL over `ms`. */
const bucketSql = (ms: SQL) => sql`floor(${DURATION_BUCKETS_PER_DOUBLING} * log(2, greatest(${ms}, 0) + 1))::int`;

/** A percentile of a histogram, at the geometric middle of the bucket it falls in. */
export function histogramPercentile(histogram: Readonly<Record<string, number>>, p: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([b, n]) => [Number(b), n] as const)
    .filter(([, n]) => n > 0)
    .sort((x, y) => x[0] - y[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (const [b, n] of buckets) {
    seen += n;
    if (seen >= rank) return b === 0 ? 0 : Math.round(2 ** ((b + 0.5) / DURATION_BUCKETS_PER_DOUBLING) - 1);
  }
  return null;
}

export function addHistograms(into: Record<string, number>, more: Readonly<Record<string, number>>): Record<string, number> {
  for (const [b, n] of Object.entries(more)) into[b] = (into[b] ?? 0) + Number(n);
  return into;
}

/** The grouped step figures of a set of contacts (`source` yields interaction rows `m`), as rollup rows. */
function stepAggregates(source: SQL, ids: SQL): SQL {
  return sql`
    s as (
      select m.flow_id, m.flow_version_id, m.experiment_variant_id, m.channel, m.hour, st.node_id, st.port, st.interaction_id,
        ${bucketSql(sql`st.duration_ms`)} as bucket,
        st.port is null and m.status = 'abandoned' as dropped,
        st.error is not null and not (st.port is null and m.status = 'abandoned') as failed
      from (${source}) m join interaction_steps st on st.interaction_id = m.id
      where st.interaction_id = any(${ids})
    ), per_port as (
      select flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, coalesce(port, '') as port,
        count(*)::int as entries, 0 as contacts, 0 as drop_offs, 0 as errors, '{}'::jsonb as histogram
      from s group by 1, 2, 3, 4, 5, 6, 7
    ), per_bucket as (
      select flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, bucket, count(*)::int as n
      from s group by 1, 2, 3, 4, 5, 6, 7
    ), per_node as (
      select flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, '*' as port,
        count(*)::int as entries, count(distinct interaction_id)::int as contacts,
        count(*) filter (where dropped)::int as drop_offs, count(*) filter (where failed)::int as errors
      from s group by 1, 2, 3, 4, 5, 6
    ), histograms as (
      select flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, jsonb_object_agg(bucket::text, n) as histogram
      from per_bucket group by 1, 2, 3, 4, 5, 6
    ), agg as (
      select * from per_port
      union all
      select n.*, h.histogram from per_node n join histograms h
        on h.flow_id = n.flow_id and h.flow_version_id is not distinct from n.flow_version_id
          and h.experiment_variant_id is not distinct from n.experiment_variant_id and h.channel = n.channel
          and h.hour = n.hour and h.node_id = n.node_id
    )`;
}

const hourOf = sql`date_trunc('hour', i.started_at at time zone 'UTC') at time zone 'UTC'`;

/**
 * Counts the steps of ended contacts not yet counted, `batch` contacts per statement, until none
 * are left. Concurrent catch-ups skip each other's rows. Returns how many contacts it counted.
 */
export async function catchUpRollups(db: Db, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    // The ids first: with none to do (the usual case) nothing else runs, and with some the steps
    // are read through their index rather than a scan the planner might pick for a CTE.
    const todo = await queryRows<{ id: string }>(
      db,
      sql`select id from interactions where not rolled_up and ended_at is not null and not is_test and flow_id is not null limit ${batch}`,
    );
    if (todo.length === 0) return total;
    const ids = sql`array[${sql.join(
      todo.map((r) => sql`${r.id}`),
      sql`, `,
    )}]::uuid[]`;
    const [row] = await queryRows<{ n: unknown }>(
      db,
      sql`
      with marked as (
        update interactions i set rolled_up = true where i.id = any(${ids}) and not i.rolled_up
        returning i.id, i.flow_id, i.flow_version_id, i.experiment_variant_id, i.channel, i.status, ${hourOf} as hour
      ), ${stepAggregates(sql`select * from marked`, ids)}, inserted as (
        insert into node_rollups (flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, port, entries, contacts, drop_offs, errors, histogram)
        select flow_id, flow_version_id, experiment_variant_id, channel, hour, node_id, port, entries, contacts, drop_offs, errors, histogram from agg
        returning 1
      )
      select (select count(*) from marked) as n`,
    );
    total += Number(row?.n ?? 0);
    if (todo.length < batch) return total;
  }
}

export interface RollupFilter {
  flowId: string;
  /** Whole hours: the overlay counts contacts by the hour they started in. */
  from: Date;
  to: Date;
  versionIds?: readonly string[];
  variantIds?: readonly string[];
  channel?: 'voice' | 'sms';
}

export type RollupRow = Record<string, unknown> & {
  node_id: string;
  port: string;
  entries: unknown;
  contacts: unknown;
  drop_offs: unknown;
  errors: unknown;
  histogram: Record<string, number> | string;
};

function rollupWhere(f: RollupFilter, alias: 'r' | 'i'): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  const time = alias === 'r' ? sql`r.hour` : sql`i.started_at`;
  const parts: SQL[] = [sql`${col('flow_id')} = ${f.flowId}`, sql`${time} >= ${f.from.toISOString()}::timestamptz`, sql`${time} < ${f.to.toISOString()}::timestamptz`];
  const list = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);
  if (f.versionIds && f.versionIds.length > 0) parts.push(sql`${col('flow_version_id')} in (${list(f.versionIds)})`);
  if (f.variantIds && f.variantIds.length > 0) parts.push(sql`${col('experiment_variant_id')} in (${list(f.variantIds)})`);
  if (f.channel) parts.push(sql`${col('channel')} = ${f.channel}`);
  return sql.join(parts, sql` and `);
}

/** The rollup rows summed per node and port, plus the contacts not counted yet (running ones). */
export async function rolledUpFigures(db: Db, f: RollupFilter): Promise<RollupRow[]> {
  await catchUpRollups(db);
  const counted = queryRows<RollupRow>(
    db,
    sql`
    with per_key as (
      select node_id, port, sum(entries) as entries, sum(contacts) as contacts, sum(drop_offs) as drop_offs, sum(errors) as errors
      from node_rollups r where ${rollupWhere(f, 'r')} group by node_id, port
    ), hist as (
      select node_id, jsonb_object_agg(bucket, n) as histogram from (
        select r.node_id, h.key as bucket, sum(h.value::int) as n
        from node_rollups r, jsonb_each_text(r.histogram) h
        where ${rollupWhere(f, 'r')} and r.port = '*' group by r.node_id, h.key
      ) b group by node_id
    )
    select k.*, coalesce(h.histogram, '{}'::jsonb) as histogram from per_key k left join hist h on h.node_id = k.node_id and k.port = '*'`,
  );
  const running = await queryRows<{ id: string }>(db, sql`select i.id from interactions i where not i.rolled_up and not i.is_test and ${rollupWhere(f, 'i')}`);
  const ids = sql`array[${sql.join(
    running.map((r) => sql`${r.id}`),
    sql`, `,
  )}]::uuid[]`;
  const live =
    running.length === 0
      ? Promise.resolve([])
      : queryRows<RollupRow>(
          db,
          sql`
    with ${stepAggregates(sql`select i.id, i.flow_id, i.flow_version_id, i.experiment_variant_id, i.channel, i.status, ${hourOf} as hour from interactions i where i.id = any(${ids})`, ids)}
    select node_id, port, entries, contacts, drop_offs, errors, histogram from agg`,
        );
  const [a, b] = await Promise.all([counted, live]);
  return [...a, ...b];
}
