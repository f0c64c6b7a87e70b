/**
 * End-to-end tests: the real web host (electron/hosts/web) on a temporary
 * profile, driven in Debian's Chromium by playwright-core. Run with
 * `npx vitest run -c vitest.e2e.config.ts` (the lead wires `npm run test:e2e`).
 * The renderer is built once (when stale) by the global setup.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // A browser test that fails once on a loaded machine is still a failure worth seeing: no retries.
    retry: 0,
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
