import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native bridge crashes under worker threads: one process per file.
    pool: 'forks',
    maxWorkers: 2,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
    // Tests that want ledger recording ask for it (and use their own batcher id).
    env: { IRONTHRONE_RECORD: 'false' },
  },
});
