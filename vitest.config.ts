import { readdirSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

// Tests run against each package's TypeScript source, not its build, so a change in core is seen
// by every package at once without a rebuild. Published builds resolve through package "exports".
const alias = [
  { find: /^@sochdb\/([a-z-]+)\/testing$/, replacement: resolve(root, 'packages/$1/src/testing/index.ts') },
  { find: /^@sochdb\/core\/internal$/, replacement: resolve(root, 'packages/core/src/internal.ts') },
  { find: /^@sochdb\/([a-z-]+)$/, replacement: resolve(root, 'packages/$1/src/index.ts') },
];

const projectDirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(resolve(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(resolve(root, group, d.name, 'test')))
    .map((d) => `${group}/${d.name}`),
);

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: one worker on CI's 2 cores, where most
    // files wait on child processes, servers and fsyncs rather than compute. Two workers there
    // keep the suite well inside CI's time limit; the suite passed with two workers on a machine
    // loaded with other builds, so its timing-sensitive tests hold up under the contention.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      ...projectDirs.map((dir) => ({
        extends: true as const,
        test: {
          name: dir.split('/')[1]!,
          root: resolve(root, dir),
          include: ['test/**/*.test.ts'],
          // A package whose tests need a server (PostgreSQL) starts it once for all its files.
          globalSetup: existsSync(resolve(root, dir, 'test/global-setup.ts')) ? [resolve(root, dir, 'test/global-setup.ts')] : [],
        },
      })),
      // Packages whose own suites run a second time with their persistent storage on PostgreSQL.
      ...['sql', 'kv', 'graph', 'temporal', 'queue', 'vector'].map((name) => ({
        extends: true as const,
        test: {
          name: `${name}@postgres`,
          root: resolve(root, 'packages', name),
          include: ['test/**/*.test.ts'],
          // The row cache serves only storages with synchronous reads and commit reports (LevelDB,
          // memory); on PostgreSQL it stays off, so its own tests are LevelDB's.
          exclude: ['test/row-cache*.test.ts'],
          setupFiles: [resolve(root, 'packages/postgres/test/use-postgres.ts')],
          globalSetup: [resolve(root, 'packages/postgres/test/global-setup.ts')],
        },
      })),
      // Checks of the repository as a whole (e.g. no import cycles).
      { extends: true as const, test: { name: 'repo', root, include: ['scripts/test/**/*.test.ts'] } },
    ],
  },
});
