// The built sochdb-server (dist/cli.js, what `npm install` puts on PATH) as a real child process.
// Build it first: npx tsc -p apps/server/tsconfig.build.json
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeInstalledCli, waitForExit } from '@sochdb/core/testing';

const app = join(import.meta.dirname, '..');
describeInstalledCli(app, 'sochdb-server', ['serve', 'status', 'stop']);

it('serve --help lists its options', async () => {
  const serve = await waitForExit(spawn(process.execPath, [join(app, 'dist', 'cli.js'), 'serve', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  expect(serve.code, serve.stderr).toBe(0);
  expect(serve.stdout).toContain('--db <path>');
});
