// The whole repository type-checks: every package's sources, tests and examples, the apps, the
// benchmarks, these checks and the vitest config (tsconfig.json at the root), not only the
// sources each package builds.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { binOf, root, runNode } from './run-node.js';

it('tsc -p tsconfig.json reports no error', async () => {
  const { code, output } = await runNode(binOf('typescript', 'bin/tsc'), ['--noEmit', '-p', join(root, 'tsconfig.json')]);
  expect(output).toBe('');
  expect(code).toBe(0);
}, 300_000);

// The studio's browser UI is its own program (DOM types, Preact's JSX): Vite builds it without
// type-checking, so this is where a type error in it is caught.
it('tsc -p apps/studio/ui/tsconfig.json reports no error', async () => {
  const { code, output } = await runNode(binOf('typescript', 'bin/tsc'), ['--noEmit', '-p', join(root, 'apps/studio/ui/tsconfig.json')]);
  expect(output).toBe('');
  expect(code).toBe(0);
}, 300_000);
