#!/usr/bin/env node
// Installs the packed tarballs into fresh folders outside the repository, the way a user would,
// and runs each package README's example from there (type-checked against the published .d.ts,
// then run with tsx), plus the root README's Quick start as plain .mjs:
//
//   node scripts/fresh-install.mjs --tarballs DIR   DIR as written by `pack-check.mjs --out DIR`
//
// Three installs, as the packaging issue lists them: core + queue alone with npm (pure JavaScript
// and classic-level's prebuilt binary), core + vector alone with pnpm (the README's
// onlyBuiltDependencies line lets hnswlib-node build; pnpm's store already holds it built, so this
// stays fast in CI), and the full SDK with pnpm. The third-party dependencies come from the npm
// registry (or pnpm's store); every @sochdb package comes from its tarball, pinned by overrides so
// no copy is fetched from the registry. Exits 1 on the first failure, printing what failed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['npx', '-y', 'pnpm@10.34.9'];
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// A TypeScript user's own dev tools, at the versions this repository tests with.
const devTools = ['tsx@^4.20.0', '@types/node@^20.19.0'];

const args = process.argv.slice(2);
const at = args.indexOf('--tarballs');
if (at < 0 || args[at + 1] === undefined) {
  console.error('usage: node scripts/fresh-install.mjs --tarballs DIR   (DIR from `node scripts/pack-check.mjs --out DIR`)');
  process.exit(2);
}
const tarballDir = resolve(args[at + 1]);

/** Package name → absolute tarball path, read from the folder pack-check wrote (one subfolder per package). */
const tarballs = new Map();
for (const folder of readdirSync(tarballDir)) {
  const manifestPath = ['packages', 'apps'].map((g) => join(root, g, folder, 'package.json')).find((p) => existsSync(p));
  const tgz = existsSync(join(tarballDir, folder)) ? readdirSync(join(tarballDir, folder)).find((f) => f.endsWith('.tgz')) : undefined;
  if (manifestPath && tgz) tarballs.set(JSON.parse(readFileSync(manifestPath, 'utf8')).name, join(tarballDir, folder, tgz));
}

/** The @sochdb packages `names` need (dependencies and peers), transitively; all must come from tarballs. */
function closure(names) {
  const out = new Set();
  const visit = (name) => {
    if (out.has(name)) return;
    if (!tarballs.has(name)) throw new Error(`no tarball for ${name} in ${tarballDir}`);
    out.add(name);
    const manifest = JSON.parse(readFileSync(join(root, 'packages', name.replace('@sochdb/', ''), 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) if (dep.startsWith('@sochdb/')) visit(dep);
  };
  names.forEach(visit);
  return [...out];
}

function run(command, commandArgs, cwd) {
  const r = spawnSync(command[0], [...command.slice(1), ...commandArgs], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function fail(what, result) {
  console.log(`FAIL ${what}`);
  console.log(`${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`.replace(/^/gm, '    '));
  process.exitCode = 1;
}

const scenarios = [
  {
    title: 'npm: @sochdb/core + @sochdb/queue',
    manager: 'npm',
    packages: ['@sochdb/core', '@sochdb/queue'],
    examples: [{ file: 'packages/queue/examples/basic.ts', expect: 'worker-1 process_order #123 (attempt 1, from api)' }],
  },
  {
    title: 'pnpm: @sochdb/core + @sochdb/vector',
    manager: 'pnpm',
    packages: ['@sochdb/core', '@sochdb/vector'],
    examples: [
      { file: 'packages/core/examples/quickstart.ts', expect: 't2: conflict, nothing written' },
      { file: 'packages/vector/examples/quickstart.ts', expect: 'bulk: built 3 vectors; nearest row 1' },
    ],
  },
  {
    title: 'pnpm: @sochdb/sdk',
    manager: 'pnpm',
    packages: ['@sochdb/sdk'],
    examples: [{ file: 'packages/sdk/examples/quickstart.ts', expect: 'users[2]{name,age}:Bob,25;Alice,30' }],
    quickStart: true,
  },
];

for (const scenario of scenarios) {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-fresh-'));
  const started = Date.now();
  try {
    const sochdb = closure(scenario.packages);
    // Overrides pin the @sochdb packages installed as someone's dependency; npm refuses an override
    // of a direct dependency that differs from its spec, and the direct ones are tarballs anyway.
    const overrides = Object.fromEntries(sochdb.filter((n) => !scenario.packages.includes(n)).map((n) => [n, `file:${tarballs.get(n)}`]));
    const manifest = { name: 'fresh-app', private: true, type: 'module', overrides };
    // What the vector README tells pnpm users to add: pnpm 10 runs no dependency build script otherwise.
    if (scenario.manager === 'pnpm') manifest.pnpm = { overrides, onlyBuiltDependencies: ['classic-level', 'hnswlib-node', 'esbuild'] };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const specs = scenario.packages.map((n) => `file:${tarballs.get(n)}`);
    const install =
      scenario.manager === 'npm'
        ? run(['npm'], ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs, ...devTools], dir)
        : run(PNPM, ['add', '--prefer-offline', '--reporter=silent', ...specs, ...devTools], dir);
    if (install.status !== 0) {
      fail(`${scenario.title}: install`, install);
      continue;
    }
    for (const name of scenario.packages) {
      const installed = join(dir, 'node_modules', ...name.split('/'), 'package.json');
      if (!existsSync(installed)) fail(`${scenario.title}: ${name} not installed at the top level`, { stdout: '', stderr: '' });
    }

    for (const example of scenario.examples) {
      const file = join(dir, example.file.replaceAll('/', '-'));
      copyFileSync(join(root, example.file), file);
      const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node'];
      const check = run([process.execPath, tsc], [...flags, file], dir);
      if (check.status !== 0) fail(`${scenario.title}: ${example.file} does not type-check against the installed packages`, check);
      const result = run([join(dir, 'node_modules', '.bin', 'tsx')], [file], dir);
      if (result.status !== 0 || result.stderr !== '' || !result.stdout.includes(example.expect)) {
        fail(`${scenario.title}: ${example.file} (expected output containing ${JSON.stringify(example.expect)})`, result);
      }
    }
    if (scenario.quickStart) {
      // The root README's Quick start as plain JavaScript on Node, twice (the second run finds the first's data).
      const readme = readFileSync(join(root, 'README.md'), 'utf8');
      const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Quick start')))[1];
      writeFileSync(join(dir, 'quickstart.mjs'), code);
      for (let i = 0; i < 2; i++) {
        const result = run([process.execPath], ['quickstart.mjs'], dir);
        if (result.status !== 0 || result.stderr !== '' || !result.stdout.includes("[ 'doc_001' ]"))
          fail(`${scenario.title}: README Quick start, run ${i + 1}`, result);
      }
    }
    if (process.exitCode !== 1) console.log(`ok   ${scenario.title}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.exitCode === 1) break;
}
if (process.exitCode !== 1) console.log(`\nfresh-install: ${scenarios.length} installs ok`);
