import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('.', import.meta.url)) };
/**
 * Tests in Node load server modules, as the tsx entry points do with `--conditions=react-server`:
 * `server-only` is its empty module there. The browser (jsdom) project keeps the throwing one.
 */
const serverAlias = { ...alias, 'server-only': fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)) };
const ignore = ['node_modules/**', '.data/**', '.next/**', 'e2e/**', 'faults/**'];

/**
 * Test projects:
 *  - unit: pure code, `*.test.ts(x)`;
 *  - integration: real database (PGlite, and Postgres when DATABASE_URL is set), `*.int.test.ts`;
 *  - temporal: a real Temporal dev server started once per run, `*.temporal.test.ts`;
 *  - stories: every Storybook story rendered in jsdom, `*.stories.test.tsx`, and browser-side
 *    checks, `*.browser.test.ts`.
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias: serverAlias },
        test: {
          name: 'unit',
          include: ['**/*.test.ts', '**/*.test.tsx'],
          exclude: [...ignore, '**/*.int.test.ts', '**/*.temporal.test.ts', '**/*.stories.test.tsx', '**/*.browser.test.ts'],
        },
      },
      {
        resolve: { alias: serverAlias },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ignore,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias: serverAlias },
        test: {
          name: 'temporal',
          include: ['**/*.temporal.test.ts'],
          exclude: ignore,
          globalSetup: ['temporal/testing/global-setup.ts'],
          setupFiles: ['temporal/testing/setup-env.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'stories',
          include: ['**/*.stories.test.tsx', '**/*.browser.test.ts'],
          exclude: ignore,
          environment: 'jsdom',
        },
      },
    ],
  },
});
