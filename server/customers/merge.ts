import 'server-only';
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import { type Db, queryRows } from '@/db/client';
import { firstRow } from '@/db/rows';
import { customerEvents, customerIdentities, customerMerges, customers, customerTags, handoffs, interactions, messages, orders, tagChanges } from '@/db/schema';
import { type AuditActor, recordAudit } from '@/server/audit/service';
import { decryptProfile, encryptProfile, type SensitiveProfile } from '@/server/privacy/crypto';
import { runTagRulesFor } from '@/server/tags/engine';
import { CustomerNotFound, type Identity } from './service';

/**
 * Merging duplicate customer profiles, never silently: duplicates are suggested (shared identities
 * in their normal forms, similar names), a merge is previewed, done by a person, recorded in the
 * audit log and in `customer_merges` with every row it moved, and can be undone exactly.
 *
 * The merged-away profile (`absorbed`) stays as a tombstone (`customers.merged_into`), hidden from
 * the list, so undo can give its rows back.
 */

/** A merge that cannot be done as asked (the client is told why). */
export class MergeError extends Error {}

export class MergeNotFound extends Error {
  constructor(id: string) {
    super(`No merge ${id}.`);
  }
}

type CustomerRow = typeof customers.$inferSelect;
type TagRow = typeof customerTags.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Suggestions

export type MergeReason = { kind: 'email' | 'phone' | 'member'; value: string } | { kind: 'name'; similarity: number };

export interface MergeSuggestion {
  id: string;
  firstName: string | null;
  lastName: string | null;
  /** What the two share: the other profile's identity that matched, or how similar the names are. */
  reasons: MergeReason[];
  /** 0 … 1: how likely the two are one person. */
  confidence: number;
}

/** How much each kind of evidence says on its own; several kinds together say more (see combine). */
const WEIGHT = { email: 0.95, member: 0.9, phone: 0.9, phoneTail: 0.6 } as const;
/** Names alone say little (namesakes are common): the similarity, halved. */
const NAME_WEIGHT = 0.5;
const MIN_NAME_SIMILARITY = 0.6;
const MAX_SUGGESTIONS = 10;

// The normal forms, the same expressions as the indexes of migration 0010 so those serve them.
const emailKey = (value: SQL) => sql`lower(trim(${value}))`;
const phoneKey = (value: SQL) => sql`right(regexp_replace(${value}, '[^0-9]', '', 'g'), 10)`;
const memberKey = (value: SQL) => sql`upper(regexp_replace(${value}, '[[:space:]]', '', 'g'))`;
const nameOf = sql`(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`;

const digitsOf = (phone: string) => phone.replace(/[^0-9]/g, '');

/**
 * Two spellings of one number: the same digits, or one ends with the other's national number
 * (`13812345678` and `+86 138 1234 5678`). The same last ten digits with different beginnings
 * may be two countries' numbers: weaker evidence.
 */
function phoneWeight(mine: string, theirs: string): number {
  const [a, b] = [digitsOf(mine), digitsOf(theirs)];
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (a === b || a.slice(-11) === b.slice(-11) || (short.length >= 10 && long.endsWith(short))) return WEIGHT.phone;
  return WEIGHT.phoneTail;
}

/** Independent pieces of evidence: the chance that all of them are wrong is the product. */
function combine(weights: number[]): number {
  const p = 1 - weights.reduce((wrong, w) => wrong * (1 - w), 1);
  return Math.min(0.99, Math.round(p * 100) / 100);
}

const sqlList = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/** Profiles that may be the same person as `customerId`, best first (tombstones never). */
export async function mergeSuggestions(db: Db, customerId: string): Promise<MergeSuggestion[]> {
  const me = await customerRow(db, customerId);
  if (me.mergedInto) return [];
  const keys = await queryRows<{ kind: Identity['kind']; value: string; email: string; phone: string; digits: number; member: string }>(
    db,
    sql`select kind, value, ${emailKey(sql`value`)} as email, ${phoneKey(sql`value`)} as phone,
          length(regexp_replace(value, '[^0-9]', '', 'g')) as digits, ${memberKey(sql`value`)} as member
        from customer_identities where customer_id = ${customerId}`,
  );
  const emails = keys.filter((k) => k.kind === 'email' && k.email !== '').map((k) => k.email);
  // Too few digits to tell one number from another (extensions, short codes).
  const phones = keys.filter((k) => k.kind === 'phone' && Number(k.digits) >= 7);
  const members = keys.filter((k) => k.kind === 'member' && k.member !== '').map((k) => k.member);
  const branches: SQL[] = [];
  if (emails.length) branches.push(sql`select customer_id, kind, value from customer_identities where kind = 'email' and ${emailKey(sql`value`)} in (${sqlList(emails)})`);
  if (phones.length)
    branches.push(sql`select customer_id, kind, value from customer_identities where kind = 'phone' and ${phoneKey(sql`value`)} in (${sqlList([...new Set(phones.map((p) => p.phone))])})`);
  if (members.length) branches.push(sql`select customer_id, kind, value from customer_identities where kind = 'member' and ${memberKey(sql`value`)} in (${sqlList(members)})`);
  const name = [me.firstName, me.lastName].map((part) => part ?? '').join(' ');
  const [shared, similar] = await Promise.all([
    branches.length
      ? queryRows<{ customer_id: string; kind: Identity['kind']; value: string }>(
          db,
          sql`select h.customer_id, h.kind, h.value from (${sql.join(branches, sql` union all `)}) h
              join customers c on c.id = h.customer_id where c.id <> ${customerId} and c.merged_into is null
              order by h.customer_id, h.kind, h.value limit 200`,
        )
      : Promise.resolve([]),
    name.trim() ? similarNames(db, customerId, name) : Promise.resolve([]),
  ]);
  const found = new Map<string, { reasons: MergeReason[]; weights: Map<string, number> }>();
  const entry = (id: string) => found.get(id) ?? found.set(id, { reasons: [], weights: new Map() }).get(id)!;
  const weigh = (e: { weights: Map<string, number> }, kind: string, w: number) => e.weights.set(kind, Math.max(e.weights.get(kind) ?? 0, w));
  for (const hit of shared) {
    const e = entry(hit.customer_id);
    e.reasons.push({ kind: hit.kind, value: hit.value });
    const weight = hit.kind === 'phone' ? Math.max(...phones.map((p) => (p.phone === phoneKeyOf(hit.value) ? phoneWeight(p.value, hit.value) : 0))) : WEIGHT[hit.kind];
    weigh(e, hit.kind, weight);
  }
  for (const hit of similar) {
    const s = Number(hit.similarity);
    if (s < MIN_NAME_SIMILARITY) continue;
    const e = entry(hit.id);
    e.reasons.push({ kind: 'name', similarity: Math.round(s * 100) / 100 });
    weigh(e, 'name', NAME_WEIGHT * s);
  }
  const ranked = [...found.entries()]
    .map(([id, e]) => ({ id, reasons: e.reasons, confidence: combine([...e.weights.values()]) }))
    .sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id))
    .slice(0, MAX_SUGGESTIONS);
  if (ranked.length === 0) return [];
  const names = await db
    .select({ id: customers.id, firstName: customers.firstName, lastName: customers.lastName })
    .from(customers)
    .where(inArray(customers.id, ranked.map((r) => r.id)));
  const byId = new Map(names.map((n) => [n.id, n]));
  return ranked.map((r) => ({ id: r.id, firstName: byId.get(r.id)?.firstName ?? null, lastName: byId.get(r.id)?.lastName ?? null, reasons: r.reasons, confidence: r.confidence }));
}

/** Other profiles whose full name is at least MIN_NAME_SIMILARITY similar (trigrams: typos, order). */
function similarNames(db: Db, customerId: string, name: string) {
  return db.transaction(async (tx) => {
    // `%` finds them through the name's trigram index (migration 0009), at this threshold.
    await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', ${String(MIN_NAME_SIMILARITY)}, true)`);
    return queryRows<{ id: string; similarity: number }>(
      tx as unknown as Db,
      sql`select id, similarity(${nameOf}, ${name}) as similarity from customers
          where ${nameOf} % ${name} and id <> ${customerId} and merged_into is null
          order by similarity desc, id limit 50`,
    );
  });
}

/** The JS twin of phoneKey (digits only, the last ten). */
function phoneKeyOf(value: string): string {
  return digitsOf(value).slice(-10);
}

// ---------------------------------------------------------------------------------------------
// The plan: one pure function decides the result, so the preview is what the merge does.

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';

/** A tag row is in force: no expiry, or one still ahead (the SQL twin is `tagInForce`). */
const inForce = (row: Pick<TagRow, 'expiresAt'>, now: Date) => row.expiresAt === null || row.expiresAt > now;

function readSensitive(stored: string | null): SensitiveProfile | null {
  try {
    return decryptProfile(stored);
  } catch {
    // Unreadable (another key): left as it is rather than failing the merge.
    return null;
  }
}

/** The survivor's fields a merge changes, and what it sets them to. */
interface Fields {
  firstName: string | null;
  lastName: string | null;
  valueScore: number;
  behaviourScore: number;
  birthDate: string | null;
  sensitive: string | null;
}
const FIELD_NAMES = ['firstName', 'lastName', 'valueScore', 'behaviourScore', 'birthDate', 'sensitive'] as const satisfies readonly (keyof Fields)[];

export type TagSide = 'survivor' | 'absorbed' | 'both';

function planMerge(survivor: CustomerRow, absorbed: CustomerRow, survivorTags: TagRow[], absorbedTags: TagRow[], now: Date) {
  const sensitiveOf = (): string | null => {
    const [mine, theirs] = [readSensitive(survivor.sensitive), readSensitive(absorbed.sensitive)];
    if (!mine || !theirs) return survivor.sensitive;
    const filled = Object.fromEntries(Object.entries(theirs).filter(([k, v]) => !blank(v) && blank(mine[k as keyof SensitiveProfile])));
    return Object.keys(filled).length ? encryptProfile({ ...mine, ...filled }) : survivor.sensitive;
  };
  const fields: Fields = {
    firstName: blank(survivor.firstName) ? absorbed.firstName : survivor.firstName,
    lastName: blank(survivor.lastName) ? absorbed.lastName : survivor.lastName,
    // Value (spend, tier) is the customer's, whichever profile it was counted on: the higher one.
    valueScore: Math.max(survivor.valueScore, absorbed.valueScore),
    // Behaviour (recent contacts, complaints) is kept from the survivor; the tag rules and the next
    // scoring run see the merged history anyway.
    behaviourScore: survivor.behaviourScore,
    birthDate: survivor.birthDate ?? absorbed.birthDate,
    sensitive: sensitiveOf(),
  };
  const attributesAdded = Object.fromEntries(Object.entries(absorbed.attributes).filter(([k]) => !(k in survivor.attributes)));
  const survivorByTag = new Map(survivorTags.map((t) => [t.tag, t]));
  const absorbedByTag = new Map(absorbedTags.map((t) => [t.tag, t]));
  // The survivor's row wins when both have a tag; the absorbed's other rows move over.
  const tagsMoved = absorbedTags.filter((t) => !survivorByTag.has(t.tag)).map((t) => t.tag);
  const tags: { tag: string; from: TagSide }[] = [];
  for (const tag of [...new Set([...survivorByTag.keys(), ...absorbedByTag.keys()])].sort()) {
    const mine = survivorByTag.get(tag);
    const theirs = absorbedByTag.get(tag);
    const kept = mine ?? theirs!;
    if (!inForce(kept, now)) continue;
    tags.push({ tag, from: mine ? (theirs && inForce(theirs, now) ? 'both' : 'survivor') : 'absorbed' });
  }
  return { fields, attributesAdded, tagsMoved, tags };
}

// ---------------------------------------------------------------------------------------------
// Preview

async function customerRow(db: Db, id: string, lock = false): Promise<CustomerRow> {
  const query = db.select().from(customers).where(eq(customers.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new CustomerNotFound(id);
  return row;
}

const displayName = (c: Pick<CustomerRow, 'firstName' | 'lastName' | 'id'>) => [c.firstName, c.lastName].filter((p) => !blank(p)).join(' ') || `customer ${c.id.slice(0, 8)}`;

function refuse(survivor: CustomerRow, absorbed: CustomerRow) {
  if (survivor.id === absorbed.id) throw new MergeError('A customer cannot be merged with itself.');
  for (const c of [survivor, absorbed]) {
    if (c.mergedInto) throw new MergeError(`“${displayName(c)}” was already merged into another profile: merge with that one, or undo that merge first.`);
  }
}

/** The rows of the absorbed customer a merge moves, by table (`moved` in customer_merges). */
const MOVED_TABLES = {
  identities: customerIdentities,
  interactions,
  messages,
  handoffs,
  orders,
  events: customerEvents,
  tagChanges,
} as const;
type MovedTable = keyof typeof MOVED_TABLES;
const MOVED_NAMES = Object.keys(MOVED_TABLES) as MovedTable[];

export type MergeCounts = Record<MovedTable | 'tags', number>;

async function loadPair(db: Db, survivorId: string, absorbedId: string, lock: boolean) {
  if (survivorId === absorbedId) throw new MergeError('A customer cannot be merged with itself.');
  // Locked in id order, so two merges of the same pair cannot deadlock.
  const [first, second] = [survivorId, absorbedId].sort();
  const rows = new Map<string, CustomerRow>();
  for (const id of [first!, second!]) rows.set(id, await customerRow(db, id, lock));
  const [survivor, absorbed] = [rows.get(survivorId)!, rows.get(absorbedId)!];
  const tagRows = await db.select().from(customerTags).where(inArray(customerTags.customerId, [survivorId, absorbedId])).orderBy(asc(customerTags.tag));
  return { survivor, absorbed, survivorTags: tagRows.filter((t) => t.customerId === survivorId), absorbedTags: tagRows.filter((t) => t.customerId === absorbedId) };
}

async function identitiesOf(db: Db, id: string): Promise<Identity[]> {
  return db
    .select({ kind: customerIdentities.kind, value: customerIdentities.value })
    .from(customerIdentities)
    .where(eq(customerIdentities.customerId, id))
    .orderBy(asc(customerIdentities.kind), asc(customerIdentities.createdAt), asc(customerIdentities.value));
}

function sensitiveNames(stored: string | null): string[] {
  const profile = readSensitive(stored) ?? {};
  return Object.entries(profile)
    .filter(([, v]) => !blank(v))
    .map(([k]) => k)
    .sort();
}

/** What a profile looks like in a preview (never its sensitive values or birth date). */
function sideOf(c: CustomerRow, identities: Identity[], tags: TagRow[], now: Date) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    locale: c.locale,
    valueScore: c.valueScore,
    behaviourScore: c.behaviourScore,
    attributes: c.attributes,
    identities,
    tags: tags.filter((t) => inForce(t, now)).map((t) => t.tag),
    sensitiveFields: sensitiveNames(c.sensitive),
    createdAt: c.createdAt,
  };
}

/** The merged profile as it would be, beside both profiles, and how many rows would move. */
export async function previewMerge(db: Db, input: { survivorId: string; absorbedId: string }) {
  const now = new Date();
  const { survivor, absorbed, survivorTags, absorbedTags } = await loadPair(db, input.survivorId, input.absorbedId, false);
  refuse(survivor, absorbed);
  const plan = planMerge(survivor, absorbed, survivorTags, absorbedTags, now);
  const [survivorIdentities, absorbedIdentities, counted, running] = await Promise.all([
    identitiesOf(db, survivor.id),
    identitiesOf(db, absorbed.id),
    Promise.all(MOVED_NAMES.map(async (name) => [name, await countRows(db, name, absorbed.id)] as const)),
    runningContacts(db, absorbed.id, now),
  ]);
  const counts = { ...Object.fromEntries(counted), tags: plan.tagsMoved.length } as MergeCounts;
  return {
    survivor: sideOf(survivor, survivorIdentities, survivorTags, now),
    absorbed: sideOf(absorbed, absorbedIdentities, absorbedTags, now),
    result: {
      id: survivor.id,
      firstName: plan.fields.firstName,
      lastName: plan.fields.lastName,
      locale: survivor.locale,
      valueScore: plan.fields.valueScore,
      behaviourScore: plan.fields.behaviourScore,
      attributes: { ...survivor.attributes, ...plan.attributesAdded },
      identities: [...survivorIdentities, ...absorbedIdentities].sort((a, b) => a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value)),
      /** Each tag in force after the merge, and which profile it comes from. */
      tags: plan.tags,
      sensitiveFields: sensitiveNames(plan.fields.sensitive),
    },
    counts,
    /** Why the merge cannot be done now (`running`: the absorbed is in a call or conversation), or null. */
    blocked: running > 0 ? ('running' as const) : null,
  };
}

/** A call or conversation still running holds its customer's id in its workflow: what it records later would land on the tombstone. */
const RUNNING_WINDOW_MS = 24 * 3_600_000;

async function runningContacts(db: Db, customerId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(interactions)
    .where(and(eq(interactions.customerId, customerId), eq(interactions.status, 'running'), gt(interactions.startedAt, new Date(now.getTime() - RUNNING_WINDOW_MS))));
  return Number(row?.n ?? 0);
}

function runningMessage(absorbed: CustomerRow, running: number): string | null {
  return running > 0 ? `“${displayName(absorbed)}” is in a call or conversation right now: merge when it has ended.` : null;
}

async function countRows(db: Db, name: MovedTable, customerId: string): Promise<number> {
  const table = MOVED_TABLES[name];
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.customerId, customerId));
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Merge and undo

/** What a merge moved and changed: enough to undo exactly that and no more. */
export interface MergeMoved {
  /** Ids of the rows moved from the absorbed customer to the survivor, by table. */
  rows: Record<MovedTable, (string | number)[]>;
  /** The absorbed's tag rows moved to the survivor (it had none of these tags). */
  tagsAdded: string[];
  /** The absorbed's tag rows for tags the survivor had too: removed, kept whole here to be put back. */
  tagsDropped: Record<string, unknown>[];
  /** The survivor's fields the merge changed: before and after. */
  fields: Partial<Record<keyof Fields, { before: unknown; after: unknown }>>;
  /** The absorbed's attributes the survivor lacked, as added. */
  attributesAdded: Record<string, unknown>;
  counts: MergeCounts;
}

const mergeRowSelect = { id: customerMerges.id, survivorId: customerMerges.survivorId, absorbedId: customerMerges.absorbedId };

/**
 * Merges `absorbedId` into `survivorId` in one transaction: every row moves, tags are united
 * (the survivor's row kept when both have a tag), the survivor's empty fields are filled, the
 * absorbed stays as a tombstone. Recorded in customer_merges and the audit log (counts only).
 */
export async function mergeCustomers(db: Db, input: { survivorId: string; absorbedId: string; actor: AuditActor | undefined }) {
  const result = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const now = new Date();
    const { survivor, absorbed, survivorTags, absorbedTags } = await loadPair(t, input.survivorId, input.absorbedId, true);
    refuse(survivor, absorbed);
    const blocked = runningMessage(absorbed, await runningContacts(t, absorbed.id, now));
    if (blocked) throw new MergeError(blocked);
    const plan = planMerge(survivor, absorbed, survivorTags, absorbedTags, now);

    const rows = {} as MergeMoved['rows'];
    for (const name of MOVED_NAMES) {
      const table = MOVED_TABLES[name];
      // interactions.customer_id moving carries handoffs.contact_customer_id along (trigger of migration 0007).
      const moved = await t.update(table).set({ customerId: survivor.id }).where(eq(table.customerId, absorbed.id)).returning({ id: table.id });
      rows[name] = moved.map((r) => r.id);
    }
    if (plan.tagsMoved.length) {
      await t
        .update(customerTags)
        .set({ customerId: survivor.id })
        .where(and(eq(customerTags.customerId, absorbed.id), inArray(customerTags.tag, plan.tagsMoved)));
    }
    // Whole rows as Postgres renders them (microseconds included), so undo puts back the very same.
    const dropped = await queryRows<{ row: Record<string, unknown> }>(t, sql`delete from customer_tags t where t.customer_id = ${absorbed.id} returning to_jsonb(t) as row`);

    const fields: MergeMoved['fields'] = {};
    for (const name of FIELD_NAMES) {
      if (plan.fields[name] !== survivor[name]) fields[name] = { before: survivor[name], after: plan.fields[name] };
    }
    await t
      .update(customers)
      .set({ ...plan.fields, attributes: { ...survivor.attributes, ...plan.attributesAdded }, updatedAt: now })
      .where(eq(customers.id, survivor.id));
    await t.update(customers).set({ mergedInto: survivor.id, updatedAt: now }).where(eq(customers.id, absorbed.id));

    const counts = { ...(Object.fromEntries(MOVED_NAMES.map((name) => [name, rows[name].length])) as Record<MovedTable, number>), tags: plan.tagsMoved.length };
    const moved: MergeMoved = { rows, tagsAdded: plan.tagsMoved, tagsDropped: dropped.map((d) => d.row), fields, attributesAdded: plan.attributesAdded, counts };
    const merge = firstRow(
      await t
        .insert(customerMerges)
        .values({
          survivorId: survivor.id,
          absorbedId: absorbed.id,
          mergedAt: now,
          mergedBy: input.actor?.email ?? null,
          mergedById: input.actor?.userId ?? null,
          moved: moved as unknown as Record<string, unknown>,
        })
        .returning(mergeRowSelect),
      'insert into customer_merges',
    );
    await recordAudit(t, {
      action: 'customer.merge',
      actor: input.actor,
      target: { type: 'customer', id: survivor.id },
      details: { mergeId: merge.id, absorbedId: absorbed.id, counts, fields: Object.keys(fields), attributesAdded: Object.keys(plan.attributesAdded).length },
    });
    return { mergeId: merge.id, survivorId: survivor.id, absorbedId: absorbed.id, counts };
  });
  // Only the survivor: the tombstone has nothing left for a rule to read.
  await runTagRulesFor(db, [result.survivorId]);
  return result;
}

/** `id in (the ids recorded under moved.rows.<name> of this merge)`, read in SQL from the merge row. */
function recordedIds(mergeId: string, name: MovedTable, idType: 'uuid' | 'bigint'): SQL {
  return sql`(select (jsonb_array_elements_text(m.moved -> 'rows' -> ${sql.raw(`'${name}'`)}))::${sql.raw(idType)} from customer_merges m where m.id = ${mergeId})`;
}

/**
 * Undoes a merge: exactly the recorded rows go back (those still on the survivor), the tags the
 * merge added leave the survivor and the dropped ones come back to the absorbed, the survivor's
 * changed fields are restored where nobody changed them since, and the tombstone is a profile again.
 */
export async function undoMerge(db: Db, input: { mergeId: string; actor: AuditActor | undefined }) {
  const result = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const now = new Date();
    const [merge] = await t.select().from(customerMerges).where(eq(customerMerges.id, input.mergeId)).for('update');
    if (!merge) throw new MergeNotFound(input.mergeId);
    if (merge.undoneAt) throw new MergeError(`This merge was already undone (${merge.undoneAt.toISOString()}).`);
    const { survivor, absorbed } = await loadPair(t, merge.survivorId, merge.absorbedId, true);
    if (survivor.mergedInto) throw new MergeError(`“${displayName(survivor)}” was itself merged into another profile since: undo that merge first.`);
    if (absorbed.mergedInto !== survivor.id) throw new MergeError(`“${displayName(absorbed)}” is no longer merged into “${displayName(survivor)}”.`);
    const moved = merge.moved as unknown as MergeMoved;

    const counts = {} as MergeCounts;
    for (const name of MOVED_NAMES) {
      const table = MOVED_TABLES[name];
      const back = await t
        .update(table)
        .set({ customerId: absorbed.id })
        .where(and(eq(table.customerId, survivor.id), sql`${table.id} in ${recordedIds(merge.id, name, name === 'tagChanges' ? 'bigint' : 'uuid')}`))
        .returning({ id: table.id });
      counts[name] = back.length;
    }
    counts.tags = 0;
    if (moved.tagsAdded.length) {
      // A tag the tombstone was given meanwhile (the nightly rules) stays; the survivor's copy goes.
      const back = await queryRows<{ tag: string }>(
        t,
        sql`update customer_tags t set customer_id = ${absorbed.id}
            where t.customer_id = ${survivor.id} and t.tag in (${sqlList(moved.tagsAdded)})
              and not exists (select 1 from customer_tags x where x.customer_id = ${absorbed.id} and x.tag = t.tag)
            returning t.tag`,
      );
      counts.tags = back.length;
      await t.delete(customerTags).where(and(eq(customerTags.customerId, survivor.id), inArray(customerTags.tag, moved.tagsAdded)));
    }
    if (moved.tagsDropped.length) {
      await t.execute(
        sql`insert into customer_tags select * from jsonb_populate_recordset(null::customer_tags, ${JSON.stringify(moved.tagsDropped)}::jsonb) on conflict do nothing`,
      );
    }

    const restore: Partial<Record<keyof Fields, unknown>> = {};
    for (const [name, change] of Object.entries(moved.fields) as [keyof Fields, { before: unknown; after: unknown }][]) {
      if (isDeepStrictEqual(survivor[name], change.after)) restore[name] = change.before;
    }
    const attributes = Object.fromEntries(Object.entries(survivor.attributes).filter(([k, v]) => !(k in moved.attributesAdded && isDeepStrictEqual(v, moved.attributesAdded[k]))));
    await t
      .update(customers)
      .set({ ...(restore as Partial<Fields>), attributes, updatedAt: now })
      .where(eq(customers.id, survivor.id));
    await t.update(customers).set({ mergedInto: null, updatedAt: now }).where(eq(customers.id, absorbed.id));
    await t
      .update(customerMerges)
      .set({ undoneAt: now, undoneBy: input.actor?.email ?? input.actor?.userId ?? null })
      .where(eq(customerMerges.id, merge.id));
    await recordAudit(t, {
      action: 'customer.unmerge',
      actor: input.actor,
      target: { type: 'customer', id: survivor.id },
      details: { mergeId: merge.id, absorbedId: absorbed.id, counts, fields: Object.keys(restore) },
    });
    return { mergeId: merge.id, survivorId: survivor.id, absorbedId: absorbed.id, counts };
  });
  await runTagRulesFor(db, [result.survivorId, result.absorbedId]);
  return result;
}

/** The merges into a customer, newest first: the profile's "merged from … — Undo". */
export async function mergesOf(db: Db, customerId: string) {
  const rows = await db
    .select({
      id: customerMerges.id,
      absorbedId: customerMerges.absorbedId,
      firstName: customers.firstName,
      lastName: customers.lastName,
      mergedAt: customerMerges.mergedAt,
      mergedBy: customerMerges.mergedBy,
      undoneAt: customerMerges.undoneAt,
      undoneBy: customerMerges.undoneBy,
      counts: sql<MergeCounts>`${customerMerges.moved} -> 'counts'`,
    })
    .from(customerMerges)
    .innerJoin(customers, eq(customers.id, customerMerges.absorbedId))
    .where(eq(customerMerges.survivorId, customerId))
    .orderBy(desc(customerMerges.mergedAt), desc(customerMerges.id))
    .limit(50);
  return rows;
}
