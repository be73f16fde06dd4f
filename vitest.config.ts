import { readdirSync, existsSync } from 'node:fs';
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
    projects: [
      ...projectDirs.map((dir) => ({
        extends: true,
        test: {
          name: dir.split('/')[1]!,
          root: resolve(root, dir),
          include: ['test/**/*.test.ts'],
          // A package whose tests need a server (PostgreSQL) starts it once for all its files.
          globalSetup: existsSync(resolve(root, dir, 'test/global-setup.ts')) ? [resolve(root, dir, 'test/global-setup.ts')] : [],
        },
      })),
      // Checks of the repository as a whole (e.g. no import cycles).
      { extends: true, test: { name: 'repo', root, include: ['scripts/test/**/*.test.ts'] } },
    ],
  },
});
