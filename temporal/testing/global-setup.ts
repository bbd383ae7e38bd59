import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../dev-server';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let server: DevServer | undefined;

/** One real, in-memory Temporal dev server for the whole test run. */
export async function setup(project: TestProject) {
  server = await startDevServer({ port: await freePort(), log: (line) => console.log(`[temporal] ${line}`) });
  project.provide('temporalAddress', server.address);
}

export async function teardown() {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}
