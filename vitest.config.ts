import { defineConfig } from 'vitest/config';

// One Vitest run covers every package and the gateway. The global setup starts the real
// PostgreSQL and the real Kafka broker that integration tests use; tests never mock them.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'apps/gateway/{src,test}/**/*.test.ts',
      'apps/portal/src/**/*.test.ts',
    ],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only make integration tests fight for CPU.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.test-results/vitest.json' }]] : ['default'],
  },
});
