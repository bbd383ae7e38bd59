import { Client, Connection } from '@temporalio/client';
import { env } from '@/env';

export interface TemporalHealth {
  ok: boolean;
  address: string;
  namespace: string;
  serverVersion?: string;
  error?: string;
}

export function connectionOptions() {
  return {
    address: env.TEMPORAL_TARGET,
    tls: env.TEMPORAL_TLS || env.TEMPORAL_API_KEY ? {} : undefined,
    apiKey: env.TEMPORAL_API_KEY,
    connectTimeout: '3s',
  };
}

const globalForTemporal = globalThis as unknown as { switchboardTemporal?: Promise<Client> };

/** The process-wide Temporal client; a failed connection is retried on the next call. */
export function temporalClient(): Promise<Client> {
  globalForTemporal.switchboardTemporal ??= Connection.connect(connectionOptions())
    .then((connection) => new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }))
    .catch((error) => {
      globalForTemporal.switchboardTemporal = undefined;
      throw error;
    });
  return globalForTemporal.switchboardTemporal;
}

export async function temporalHealth(timeoutMs = 3000): Promise<TemporalHealth> {
  const base = { address: env.TEMPORAL_TARGET, namespace: env.TEMPORAL_NAMESPACE };
  try {
    const client = await withTimeout(temporalClient(), timeoutMs);
    const info = await withTimeout(client.workflowService.getSystemInfo({}), timeoutMs);
    return { ...base, ok: true, serverVersion: info.serverVersion ?? undefined };
  } catch (error) {
    return { ...base, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
