import { defineConfig } from 'vitest/config';

// Three suites: unit (pure code, no services), integration (real PostgreSQL + the simulator, in-process),
// e2e (the built `atlas` CLI spawned as a black box). The global setup provisions PostgreSQL once per run:
// ATLAS_TEST_DATABASE_URL when given, otherwise an embedded PostgreSQL started for the run.
export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
