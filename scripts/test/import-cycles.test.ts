// The lint rule that keeps import cycles out: no package or app may have one in its source, counting
// type-only imports (a cycle of types is still two modules that cannot be read alone). madge finds
// them; each cycle is reported as the chain of files, so the fix can start from the message.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

type Madge = (path: string, config: object) => Promise<{ circular(): string[][] }>;

const root = resolve(import.meta.dirname, '..', '..');
const projects = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'src')))
    .map((d) => join(group, d.name)),
);

it.each(projects)('%s has no import cycle', async (project) => {
  const { default: madge } = (await import('madge')) as { default: Madge };
  const result = await madge(join(root, project, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: join(root, project, 'tsconfig.json'),
    // Other packages are reached through their builds; their own run checks their sources.
    excludeRegExp: [/[\\/]dist[\\/]/, /node_modules/, /[\\/]generated[\\/]/],
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  expect(result.circular().map((cycle) => cycle.join(' → '))).toEqual([]);
});
