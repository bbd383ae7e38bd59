import { describe, expect, it } from 'vitest';

/**
 * In the browser a server module fails to load (`server-only` resolves to its throwing module), as
 * `next build` refuses a client component that imports one. The pure modules lint lets
 * components import are not marked and load.
 */
describe('server modules in the browser', () => {
  it.each(['@/db/client', '@/server/flows/service', '@/server/trpc', '@/server/auth/route-handler'])('%s cannot be loaded', async (module) => {
    await expect(import(module)).rejects.toThrow('cannot be imported from a Client Component module');
  });

  it.each(['@/server/auth/permissions', '@/server/auth/routes', '@/server/privacy/mask'])('%s (pure) loads', async (module) => {
    await expect(import(module)).resolves.toBeTypeOf('object');
  });
});
