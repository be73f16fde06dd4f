#!/usr/bin/env node
// One set-up step shared by `npm run demo` and `npm test`: on a machine with only Node 20 and npm,
// bring the pinned pnpm through npx, install exactly what pnpm-lock.yaml says, and build every
// package. Re-running it is cheap: pnpm and turbo both skip work that is already done.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9';
process.env.TURBO_TELEMETRY_DISABLED = '1';

// Local bins (turbo, tsc, and the pinned pnpm that turbo runs tasks with) come first on PATH.
// turbo is started directly, not through `pnpm exec`, which leaves turbo unable to spawn tasks.
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\nsetup failed: ${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
    process.exit(r.status ?? 1);
  }
}

run('npx', ['-y', PNPM, 'install', '--frozen-lockfile', '--prefer-offline']);
run(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only']);
