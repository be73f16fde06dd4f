// What a user pays before the first query: the time `import()` of each SochDB package takes in a
// fresh node process, beside its heaviest raw dependency imported alone in the same run; and, with
// `--install`, the size on disk of a fresh `npm install` of the packed tarballs (needs the npm
// registry for third-party packages and compiles hnswlib-node, about a minute).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printTable } from './lib/table.js';

const root = join(import.meta.dirname, '..');
const RUNS = 7;

/** The module a package name resolves to from a workspace package's folder (its built dist). */
function entry(name: string, from: string): string {
  return pathToFileURL(createRequire(join(root, from, 'package.json')).resolve(name)).href;
}

/** Median milliseconds `import(url)` takes in a fresh node process (process start not counted). */
function importMs(url: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const times = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const ROWS: readonly (readonly [string, string, string, string])[] = [
  // [ours, resolved from, raw dependency, resolved from]
  ['@sochdb/sdk', 'packages/sdk', 'classic-level', 'packages/core'],
  ['@sochdb/core', 'packages/sdk', 'classic-level', 'packages/core'],
  ['@sochdb/vector', 'packages/sdk', 'hnswlib-node', 'packages/vector'],
  ['@sochdb/sql', 'packages/sdk', 'zod', 'packages/core'],
  ['@sochdb/queue', 'packages/sdk', 'classic-level', 'packages/core'],
  ['@sochdb/toon', 'packages/sdk', '@toon-format/toon', 'packages/toon'],
  ['@sochdb/errors', 'packages/core', '(nothing: node -e "")', ''],
];

function du(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, f) => n + du(join(path, f)), 0);
}

/** Installs `names` from freshly packed tarballs into an empty folder; returns MB on disk and package count. */
function installSize(tarballs: ReadonlyMap<string, string>, names: readonly string[]): { mb: number; packages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-install-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh', private: true }));
    // The @sochdb packages they need come from their tarballs too, not the registry.
    const wanted = [...needs(tarballs, names)];
    const r = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', ...wanted.map((n) => tarballs.get(n)!)], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
    const modules = join(dir, 'node_modules');
    const count = readdirSync(modules).flatMap((d) => (d.startsWith('@') ? readdirSync(join(modules, d)) : d.startsWith('.') ? [] : [d])).length;
    return { mb: du(modules) / 1e6, packages: count };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The @sochdb packages `names` depend on (or take as peers), transitively. */
function needs(tarballs: ReadonlyMap<string, string>, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    const folder = name.replace('@sochdb/', '');
    const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    // Peers too: npm installs them (core is every package's peer), and only the tarball has them.
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) if (tarballs.has(dep)) visit(dep);
  };
  for (const n of names) visit(n);
  return out;
}

export default async function run(): Promise<void> {
  const baseline = importMs('data:text/javascript,');
  const rows = ROWS.map(([ours, from, raw, rawFrom]) => {
    const mine = importMs(entry(ours, from));
    const theirs = rawFrom === '' ? baseline : importMs(entry(raw, rawFrom));
    return [ours, `${mine.toFixed(0)} ms`, raw, `${theirs.toFixed(0)} ms`];
  });
  printTable(['package', 'import() in a fresh process', 'raw dependency alone', 'its import()'], rows);
  console.log(`\nMedian of ${RUNS} fresh node processes each, built dist/, Node ${process.versions.node}. gRPC (@grpc/grpc-js) and the`);
  console.log('PostgreSQL driver are not loaded by these imports: only by creating a gRPC client or opening a postgres:// URL.');

  if (!process.argv.includes('--install')) {
    console.log('\nInstall size: run with --install (npm install of the packed tarballs into a fresh folder; needs the registry).');
    return;
  }
  const packDir = mkdtempSync(join(tmpdir(), 'sochdb-pack-'));
  try {
    const tarballs = new Map<string, string>();
    for (const folder of readdirSync(join(root, 'packages'))) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8')) as { name: string; private?: boolean };
      if (manifest.private === true) continue;
      const out = execFileSync('pnpm', ['pack', '--pack-destination', packDir], {
        cwd: join(root, 'packages', folder),
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
      });
      tarballs.set(manifest.name, out.trim().split('\n').pop()!);
    }
    const sizes = [['@sochdb/sdk'], ['@sochdb/vector'], ['@sochdb/queue'], ['@sochdb/toon'], ['@sochdb/errors']].map((names) => {
      const { mb, packages } = installSize(tarballs, names);
      return [names.join(' + '), `${mb.toFixed(1)} MB`, String(packages)];
    });
    console.log();
    printTable(['npm install of', 'node_modules on disk', 'packages'], sizes);
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}
