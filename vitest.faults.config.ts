import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The fault suite, `npm run test:faults`: whole stacks (`npm start` on a production build) under
 * load while their parts fail. Not part of `npm test`; `.ci/run` runs it after the build.
 */
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)), 'server-only': fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)) } },
  test: {
    include: ['faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
