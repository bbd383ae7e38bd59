import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/** Frontend messages that end a request cycle: Sync (extended protocol) and Query (simple protocol). */
const SYNC = 0x53;
const QUERY = 0x51;

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
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = null;
          current.reject(error);
          continue;
        }
        const type = current.message[0];
        const endsCycle = type === SYNC || type === QUERY || current.message.length < 5 || isStartup(current.message);
        this.owner = endsCycle && !this.db.isInTransaction() ? null : current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
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
    const forget = () => handlers.delete(handler);
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
