// What npm users install: every publishable package packed as `pnpm publish` would pack it and
// checked by publint and Are the Types Wrong (scripts/pack-check.mjs; needs the built dist/); then
// those tarballs installed into fresh folders outside the repository, with npm and with pnpm, and
// each package README's example run from there (scripts/fresh-install.mjs; needs the registry).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { root, runNode } from './run-node.js';

const tarballs = mkdtempSync(join(tmpdir(), 'sochdb-tarballs-'));
afterAll(() => rmSync(tarballs, { recursive: true, force: true }));

it('every publishable package packs clean under publint and attw', async () => {
  const { code, output } = await runNode(join(root, 'scripts', 'pack-check.mjs'), ['--out', tarballs]);
  expect(output).toMatch(/pack-check: \d+ packages ok/);
  expect(code).toBe(0);
}, 600_000);

it('the tarballs install into fresh folders (npm and pnpm) and each README example runs there', async () => {
  const { code, output } = await runNode(join(root, 'scripts', 'fresh-install.mjs'), ['--tarballs', tarballs]);
  expect(output).toContain('fresh-install: 3 installs ok');
  expect(code).toBe(0);
}, 900_000);
