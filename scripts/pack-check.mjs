#!/usr/bin/env node
// Checks what npm users would install: packs every publishable package under packages/ and apps/ (those
// without "private": true) with `pnpm pack`, the way `changeset publish` does (so publishConfig
// and workspace: ranges are applied), and runs publint and Are the Types Wrong on each tarball.
//
//   node scripts/pack-check.mjs              every publishable package
//   node scripts/pack-check.mjs kv sql       only these (folder names or package names)
//   node scripts/pack-check.mjs --keep       keep the temp folder with the tarballs
//   node scripts/pack-check.mjs --out DIR    write the tarballs to DIR/<folder>/ and keep them
//                                            (what scripts/fresh-install.mjs installs)
//
// Build first (`pnpm build`): the tarballs are made from each package's dist/.
// publint and attw are the root devDependencies (`npx --no-install`: nothing is downloaded);
// PUBLINT / ATTW may name another command (e.g. PUBLINT="npx -y publint@0.3.25").
// Prints one line per package; exits 1 if any package has a publint error or warning or an attw
// problem (attw's esm-only profile: these packages are ESM only, so require() from CommonJS and
// node10 resolution are not checked).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };
// The tools' own entry points run with this node: `npx` costs ~0.5 s a call, twice per package.
const binOf = (name, script) => join(root, 'node_modules', name, script);
const PUBLINT = process.env.PUBLINT?.split(' ') ?? [process.execPath, binOf('publint', 'src/cli.js')];
const ATTW = process.env.ATTW?.split(' ') ?? [process.execPath, binOf('@arethetypeswrong/cli', 'dist/index.js')];

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? resolve(args[outAt + 1] ?? '.') : undefined;
const keep = args.includes('--keep') || out !== undefined;
const only = args.filter((a, i) => !a.startsWith('--') && !(outAt >= 0 && i === outAt + 1));

function run(command, commandArgs, cwd) {
  return new Promise((done, fail) => {
    execFile(command, commandArgs, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') fail(error);
      else done({ status: error ? error.code : 0, out: `${stdout ?? ''}${stderr ?? ''}` });
    });
  });
}

const packages = ['packages', 'apps']
  .flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, group, e.name, 'package.json')))
      .map((e) => ({ group, name: e.name })),
  )
  .map(({ group, name }) => {
    const dir = join(root, group, name);
    return { folder: name, dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
  })
  .filter((p) => p.manifest.private !== true)
  .filter((p) => only.length === 0 || only.includes(p.folder) || only.includes(p.manifest.name));

if (packages.length === 0) {
  console.error(`pack-check: no publishable package matches ${only.join(', ')}`);
  process.exit(1);
}

const temp = out ?? mkdtempSync(join(tmpdir(), 'sochdb-pack-check-'));
if (out !== undefined) mkdirSync(out, { recursive: true });
const width = Math.max(...packages.map((p) => p.manifest.name.length));
let failed = 0;

/** publint's report sections ("Errors:", "Warnings:", "Suggestions:"), counted by numbered line. */
function countPublint(out) {
  const counts = { errors: 0, warnings: 0, suggestions: 0 };
  let section;
  for (const line of out.split('\n')) {
    const heading = /^(Errors|Warnings|Suggestions):/.exec(line.trim());
    if (heading) section = heading[1].toLowerCase();
    else if (section && /^\d+\.\s/.test(line.trim())) counts[section]++;
  }
  return counts;
}

/** Packs and checks one package; resolves with the lines to print and whether it passed. */
async function check(pkg) {
  const name = pkg.manifest.name.padEnd(width);
  const lines = [];
  const details = [];
  let ok = true;

  if (!existsSync(join(pkg.dir, 'dist'))) return { ok: false, lines: [`FAIL ${name}  no dist/ (run pnpm build first)`] };

  const dest = join(temp, pkg.folder);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest);
  const pack = await run('pnpm', ['pack', '--pack-destination', dest], pkg.dir);
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || tarball === undefined) return { ok: false, lines: [`FAIL ${name}  pnpm pack failed`, indent(pack.out)] };
  const tgz = join(dest, tarball);

  const publint = await run(PUBLINT[0], [...PUBLINT.slice(1), 'run', tgz, '--strict'], pkg.dir);
  const counts = countPublint(publint.out);
  if (publint.status !== 0 || counts.errors > 0 || counts.warnings > 0) ok = false;
  if (counts.errors + counts.warnings + counts.suggestions > 0 || publint.status !== 0) {
    details.push(`publint:\n${indent(publint.out.trim())}`);
  }

  // attw exits non-zero when a problem remains after the esm-only profile; its report is shown then.
  // A CLI-only package (a `bin`, no `exports` or `main`) has nothing to import: no types to check.
  const importable = pkg.manifest.exports !== undefined || pkg.manifest.main !== undefined;
  const attw = importable
    ? await run(ATTW[0], [...ATTW.slice(1), tgz, '--profile', 'esm-only', '--format', 'table-flipped', '--no-color', '--no-emoji'], pkg.dir)
    : { status: 0, out: '' };
  const attwOk = attw.status === 0;
  if (!attwOk) {
    ok = false;
    details.push(`attw:\n${indent(attw.out.trim())}`);
  }

  lines.push(
    `${ok ? 'ok  ' : 'FAIL'} ${name}  publint: ${counts.errors} errors, ${counts.warnings} warnings, ` +
      `${counts.suggestions} suggestions; attw (esm-only): ${importable ? (attwOk ? 'no problems' : 'problems') : 'CLI only, nothing to import'}`,
  );
  for (const d of details) lines.push(indent(d));
  return { ok, lines };
}

try {
  // Each check is a few single-threaded child processes: one per core at a time, printed in order.
  const results = new Array(packages.length);
  let next = 0;
  const worker = async () => {
    while (next < packages.length) {
      const at = next++;
      results[at] = await check(packages[at]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), packages.length) }, worker));
  for (const { ok, lines } of results) {
    for (const line of lines) console.log(line);
    if (!ok) failed++;
  }
} finally {
  if (keep) console.log(`tarballs kept in ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

if (failed > 0) {
  console.log(`\npack-check: ${failed} of ${packages.length} packages have problems`);
  process.exit(1);
}
console.log(`\npack-check: ${packages.length} packages ok`);
