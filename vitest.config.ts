import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on 2 cores is one file at a time; most files wait on PostgreSQL, Redis or
    // child processes, so three at once keeps both cores busy.
    maxWorkers: 3,
    // expect.poll waits for a condition (a page updated, a job done), it does not time anything: on
    // a loaded 2-core CI machine the default of 1 s made browser tests fail while the page was
    // still working, so a condition gets 20 s to become true.
    expect: { poll: { timeout: 20_000 } },
    // `npm test` runs with --coverage: lines of src/ the suite runs in its own processes (the spawned
    // CLI and servers of the e2e tests are not counted), with a floor the suite must keep (91 % of lines measured on 2026-12-06; floor 90 %).
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/store/migrations/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 90 },
    },
  },
});
