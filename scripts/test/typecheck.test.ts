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
