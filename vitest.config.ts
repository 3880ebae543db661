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
  },
});
