// The whole repository type-checks: every package's sources, tests and examples, the apps, the
// benchmarks, these checks and the vitest config (tsconfig.json at the root), not only the
// sources each package builds.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('tsc -p tsconfig.json reports no error', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', join(root, 'tsconfig.json')], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  expect(result.stdout).toBe('');
}, 300_000);
