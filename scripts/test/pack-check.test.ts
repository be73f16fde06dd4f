// What npm users install: every publishable package packed as `pnpm publish` would pack it, and
// checked by publint and Are the Types Wrong (scripts/pack-check.mjs; needs the built dist/).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

it('every publishable package packs clean under publint and attw', async () => {
  const script = join(import.meta.dirname, '..', 'pack-check.mjs');
  const { stdout } = await promisify(execFile)(process.execPath, [script], { maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => {
    throw new Error(`pack-check failed:\n${error.stdout ?? String(error)}`);
  });
  expect(stdout).toMatch(/pack-check: \d+ packages ok/);
}, 600_000);
