import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/** Frontend messages that end a request cycle: Sync (extended protocol) and Query (simple protocol). */
const SYNC = 0x53;
const QUERY = 0x51;
const PARSE = 0x50;
const BIND = 0x42;
/** Backend NotificationResponse: a NOTIFY heard by the (one, shared) PGlite backend. */
const NOTIFICATION = 0x41;

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs the Postgres wire messages of many connections on one PGlite, one request cycle at a time.
 * pglite-socket's own queue interleaves single messages of different connections, so under
 * concurrency one client's Parse replaces another's unnamed statement before its Bind ("bind
 * message supplies 22 parameters, but prepared statement requires 4"). Here a connection keeps
 * PGlite from its first message until its Sync (or simple Query) is answered, and for the whole of
 * an open transaction.
 */
export class CycleQueue {
  private readonly queue: Pending[] = [];
  private owner: number | null = null;
  private running = false;
  /** LISTEN channels by connection, and where to write a connection's notifications. */
  private readonly channels = new Map<number, Set<string>>();
  private readonly sinks = new Map<number, (data: Uint8Array) => void>();
  private relisten = false;
  /** Prepared LISTEN / UNLISTEN statements by connection and statement name. */
  private readonly prepared = new Map<string, ListenStatement>();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.run();
    });
  }

  private next(): Pending | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async run() {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.next(); item !== undefined; item = this.next()) {
        const current = item;
        let bytes = 0;
        const listen = this.listenIn(current.handlerId, current.message);
        const split = new NotificationSplitter((data) => {
          bytes += data.length;
          current.onData(data);
        });
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(current.message, { onRawData: (data) => split.push(data) }));
          split.end();
        } catch (error) {
          this.owner = null;
          current.reject(error);
          continue;
        }
        const type = current.message[0];
        const endsCycle = type === SYNC || type === QUERY || current.message.length < 5 || isStartup(current.message);
        this.owner = endsCycle && !this.db.isInTransaction() ? null : current.handlerId;
        if (listen) this.track(current.handlerId, listen);
        if (this.relisten && this.owner === null) await this.listenAgain();
        current.resolve(bytes);
        this.deliver(split.notifications);
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * The one PGlite backend hears every NOTIFY once, in the reply to whichever connection sent it or
   * committed it. So notifications are taken out of that reply and written, whole messages between
   * whole replies, to every connection that listens on their channel.
   */
  setSink(handlerId: number, sink: ((data: Uint8Array) => void) | null): void {
    if (sink) this.sinks.set(handlerId, sink);
    else {
      this.sinks.delete(handlerId);
      this.channels.delete(handlerId);
      for (const key of this.prepared.keys()) if (key.startsWith(`${handlerId}:`)) this.prepared.delete(key);
    }
  }

  /** The LISTEN or UNLISTEN this message runs, if any (a Bind runs what its Parse prepared). */
  private listenIn(handlerId: number, message: Uint8Array): ListenStatement | null {
    const read = readListen(message);
    if (!read) return null;
    if ('query' in read) return read.query;
    if ('parse' in read) {
      const key = `${handlerId}:${read.parse}`;
      if (read.statement) this.prepared.set(key, read.statement);
      else this.prepared.delete(key);
      return null;
    }
    return this.prepared.get(`${handlerId}:${read.bind}`) ?? null;
  }

  private deliver(notifications: { channel: string; message: Uint8Array }[]) {
    for (const { channel, message } of notifications) {
      for (const [handlerId, channels] of this.channels) {
        if (channels.has(channel) || channels.has('*')) this.sinks.get(handlerId)?.(message);
      }
    }
  }

  /** Records a connection's LISTEN / UNLISTEN; the shared backend keeps listening while anyone does. */
  private track(handlerId: number, statement: { listen: boolean; channel: string }) {
    const mine = this.channels.get(handlerId) ?? new Set<string>();
    if (statement.listen) mine.add(statement.channel);
    else if (statement.channel === '*') mine.clear();
    else mine.delete(statement.channel);
    this.channels.set(handlerId, mine);
    if (!statement.listen) this.relisten = true;
  }

  /** After an UNLISTEN's cycle (never inside one: it would replace the unnamed statement), listen again for the others. */
  private async listenAgain() {
    this.relisten = false;
    const wanted = new Set([...this.channels.values()].flatMap((set) => [...set].filter((channel) => channel !== '*')));
    for (const channel of wanted) await this.db.exec(`listen "${channel.replace(/"/g, '""')}"`);
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  /** The connection is gone: drop what it queued and let the others in. */
  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]?.handlerId !== handlerId) continue;
      this.queue.splice(i, 1)[0]?.reject(new Error('connection closed'));
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.run();
  }
}

export interface ListenStatement {
  listen: boolean;
  channel: string;
}

/**
 * What a frontend message says about LISTEN: a simple Query or a Parse (postgres.js prepares
 * `listen "x"` as a named statement and later only Binds it again) with the statement's text, or a
 * Bind naming the statement it runs.
 */
export function readListen(message: Uint8Array): { query: ListenStatement } | { parse: string; statement: ListenStatement | null } | { bind: string } | null {
  const type = message[0];
  if (message.length < 6) return null;
  const cstring = (start: number) => {
    const end = message.indexOf(0, start);
    return end < 0 ? null : { text: Buffer.from(message.subarray(start, end)).toString('utf8'), next: end + 1 };
  };
  if (type === QUERY) {
    const statement = listenStatement(cstring(5)?.text ?? '');
    return statement ? { query: statement } : null;
  }
  if (type === PARSE) {
    const name = cstring(5);
    const text = name && cstring(name.next);
    return name && text ? { parse: name.text, statement: listenStatement(text.text) } : null;
  }
  if (type === BIND) {
    const portal = cstring(5);
    const name = portal && cstring(portal.next);
    return name ? { bind: name.text } : null;
  }
  return null;
}

/** `listen x`, `LISTEN "x"`, `unlisten *` and the like; null for any other statement. */
export function listenStatement(text: string): ListenStatement | null {
  const match = /^\s*(listen|unlisten)\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*|\*))\s*;?\s*$/i.exec(text);
  if (!match) return null;
  const quoted = match[2]?.replace(/""/g, '"');
  return { listen: match[1]?.toLowerCase() === 'listen', channel: quoted ?? match[3]?.toLowerCase() ?? '' };
}

/** Splits a backend reply into whole messages: notifications are kept apart, the rest passes on. */
class NotificationSplitter {
  readonly notifications: { channel: string; message: Uint8Array }[] = [];
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly forward: (data: Uint8Array) => void) {}

  push(data: Uint8Array) {
    const buffer = this.pending.length === 0 ? Buffer.from(data) : Buffer.concat([this.pending, data]);
    let offset = 0;
    let passFrom = 0;
    while (buffer.length - offset >= 5) {
      const size = 1 + buffer.readInt32BE(offset + 1);
      if (buffer.length - offset < size) break;
      if (buffer[offset] === NOTIFICATION) {
        if (offset > passFrom) this.forward(buffer.subarray(passFrom, offset));
        const message = Uint8Array.prototype.slice.call(buffer, offset, offset + size);
        const channelEnd = buffer.indexOf(0, offset + 9);
        this.notifications.push({ channel: buffer.subarray(offset + 9, channelEnd).toString('utf8'), message });
        passFrom = offset + size;
      }
      offset += size;
    }
    if (offset > passFrom) this.forward(buffer.subarray(passFrom, offset));
    this.pending = Buffer.from(buffer.subarray(offset));
  }

  /** Whatever is left is not a whole message: pass it on as it came. */
  end() {
    if (this.pending.length > 0) this.forward(this.pending);
    this.pending = Buffer.alloc(0);
  }
}

/** A startup message has no type byte: its length, then protocol version 3.0 (196608). */
function isStartup(message: Uint8Array): boolean {
  return message.length >= 8 && new DataView(message.buffer, message.byteOffset, message.byteLength).getInt32(4) === 196608;
}

export interface PgliteServer {
  port: number;
  stop(): Promise<void>;
}

/** Serves `db` over the Postgres protocol on loopback for the other processes of `npm run dev`. */
export async function startPgliteServer(db: PGlite, options: { host?: string; port?: number; maxConnections?: number } = {}): Promise<PgliteServer> {
  await db.waitReady;
  const queue = new CycleQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = net.createServer((socket) => {
    if (handlers.size >= (options.maxConnections ?? 32)) {
      socket.end('Too many connections\n');
      return;
    }
    // The handler only needs enqueue / clearQueueForHandler / clearTransactionIfNeeded from its queue.
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    queue.setSink(handler.handlerId, (data) => {
      if (socket.writable) socket.write(data);
    });
    const forget = () => {
      handlers.delete(handler);
      queue.setSink(handler.handlerId, null);
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
