import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // integration tests start real servers and child processes: give them room, never retry
    testTimeout: 30_000,
    hookTimeout: 30_000,
    retry: 0,
    pool: 'forks',
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/setup.ts'],
  },
});
