import 'server-only';
import { listenOn, type Db, type Unlisten } from '@/db/client';
import { ROUTING_CHANNEL, type RoutingNotice } from './events';

/**
 * The listen side of routing's live updates: one LISTEN per database handle in this process,
 * fanned out to every subscriber (each open inbox or supervisor stream). The LISTEN starts with
 * the first subscriber and stops after the last one leaves.
 */

type Subscriber = (notice: RoutingNotice) => void;

interface Feed {
  subscribers: Set<Subscriber>;
  listening: Promise<Unlisten>;
}

const feeds = new WeakMap<Db, Feed>();

export function parseNotice(payload: string): RoutingNotice | null {
  try {
    const value = JSON.parse(payload) as unknown;
    if (value === null || typeof value !== 'object' || typeof (value as { kind?: unknown }).kind !== 'string') return null;
    const { kind, handoffId, agentId } = value as Record<string, unknown>;
    return { kind: kind as string, ...(typeof handoffId === 'string' && { handoffId }), ...(typeof agentId === 'string' && { agentId }) };
  } catch {
    return null;
  }
}

/** Calls `onNotice` for every routing notice from now on; resolves once the LISTEN is in place. */
export async function subscribeRouting(db: Db, onNotice: Subscriber): Promise<() => void> {
  let feed = feeds.get(db);
  if (!feed) {
    const subscribers = new Set<Subscriber>();
    const tell = (notice: RoutingNotice) => {
      for (const subscriber of subscribers) subscriber(notice);
    };
    let listens = 0;
    const listening = listenOn(
      db,
      ROUTING_CHANNEL,
      (payload) => {
        const notice = parseNotice(payload);
        if (notice) tell(notice);
      },
      // Listening again after a lost connection: notices may have gone by meanwhile.
      () => {
        if (listens++ > 0) tell({ kind: 'resync' });
      },
    );
    feed = { subscribers, listening };
    feeds.set(db, feed);
    listening.catch(() => feeds.delete(db));
  }
  const current = feed;
  current.subscribers.add(onNotice);
  try {
    await current.listening;
  } catch (error) {
    current.subscribers.delete(onNotice);
    throw error;
  }
  return () => {
    current.subscribers.delete(onNotice);
    if (current.subscribers.size > 0 || feeds.get(db) !== current) return;
    feeds.delete(db);
    void current.listening.then((unlisten) => unlisten()).catch(() => undefined);
  };
}

/**
 * The notices as an async iterable for a tRPC subscription: first a `resync` (a client that
 * (re)connects refetches what it shows, so nothing missed while it was away stays missing), then
 * every notice, until `signal` aborts. Bursts are passed on whole; the client coalesces refetches.
 */
export async function* routingNotices(db: Db, signal: AbortSignal | undefined): AsyncGenerator<RoutingNotice> {
  const queue: RoutingNotice[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = await subscribeRouting(db, (notice) => {
    queue.push(notice);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    yield { kind: 'resync' };
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
