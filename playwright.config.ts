import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);

/**
 * e2e journeys drive `next start` in Debian's Chromium (no downloaded browsers here). The web
 * server is the whole stack started by `npm start` against a throwaway data directory.
 */
export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    },
    trace: 'retain-on-failure',
  },
  // One app serves every journey. The inbox's journeys leave demo customers changed (Maria is
  // tagged complaint-risk after her upset call), so they run after the others, which expect the
  // demo data as seeded.
  projects: [
    { name: 'journeys', testIgnore: /inbox\.spec\.ts$/ },
    { name: 'inbox', testMatch: /inbox\.spec\.ts$/, dependencies: ['journeys'] },
  ],
  webServer: {
    command: 'npm start',
    url: `http://localhost:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: !process.env.CI,
    // SIGTERM to the process group lets the launcher stop Temporal, the worker and PGlite cleanly.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR ?? `.data/e2e-${Date.now()}`,
      TEMPORAL_PORT: process.env.E2E_TEMPORAL_PORT ?? '7243',
      TEMPORAL_UI_PORT: process.env.E2E_TEMPORAL_UI_PORT ?? '8243',
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
      // Every journey signs in from the same address; the sign-in rate limit is for people.
      AUTH_SIGN_IN_LIMIT: '0',
    },
  },
});
