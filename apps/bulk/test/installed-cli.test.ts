// The built sochdb-bulk (dist/cli.js, what `npm install` puts on PATH) as a real child process:
// --version and --help, and the typed errors with the codes the README documents.
// Build it first: npx tsc -p apps/bulk/tsconfig.build.json
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DimensionMismatchError, ValidationError } from '@sochdb/core';
import { describeInstalledCli, makeTempDir, waitForExit } from '@sochdb/core/testing';
import { matrixFromRows, VectorFileFormatError, writeNpy } from '@sochdb/vector';

const app = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  private?: boolean;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
};
const bin = join(app, pkg.bin['sochdb-bulk']!);
const run = async (...args: string[]) => waitForExit(spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir.path }));
let dir: ReturnType<typeof makeTempDir>;
const path = (name: string) => join(dir.path, name);
/** `ErrorClass (code)` as the CLI prints it. */
const errorOf = (stderr: string) => /^sochdb-bulk: (\w+) \((\d+)\): /.exec(stderr)?.slice(1, 3).join(' ');

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build first (npx tsc -p apps/bulk/tsconfig.build.json)`);
  dir = makeTempDir('sochdb-bulk-installed-');
  const rows = Array.from({ length: 60 }, (_, i) => Array.from({ length: 8 }, (_, d) => 1 + ((i * 7 + d * 13) % 10) / 10));
  await writeNpy(path('emb.npy'), matrixFromRows(rows));
  await writeNpy(path('q4.npy'), matrixFromRows([[1, 2, 3, 4]]));
  const build = await run('build-index', '--input', path('emb.npy'), '--output', path('index.hnsw'), '--quiet');
  expect(build.code, build.stderr).toBe(0);
});
afterAll(() => dir?.cleanup());

describeInstalledCli(app, 'sochdb-bulk', ['build-index', 'query', 'info', 'convert']);

describe('sochdb-bulk errors', () => {
  it('an --output in a folder that does not exist is a ValidationError (6000) naming that folder', async () => {
    const build = await run('build-index', '--input', path('emb.npy'), '--output', 'no-such-folder/index.hnsw', '--quiet');
    expect(build.code).toBe(1);
    expect(errorOf(build.stderr)).toBe('ValidationError 6000');
    expect(build.stderr).toContain('the folder no-such-folder does not exist');
    expect(build.stderr).toContain('mkdir -p no-such-folder');
    expect(build.stderr).not.toMatch(/\.tmp|ENOENT/);

    const convert = await run('convert', '--input', path('emb.npy'), '--output', path('a/b/v.raw'), '--to-format', 'raw_f32');
    expect(convert.code).toBe(1);
    expect(errorOf(convert.stderr)).toBe('ValidationError 6000');
    expect(convert.stderr).toContain(`the folder ${path('a/b')} does not exist`);

    const folder = await run('build-index', '--input', path('emb.npy'), '--output', dir.path, '--quiet');
    expect(errorOf(folder.stderr)).toBe('ValidationError 6000');
    expect(folder.stderr).toContain('is a folder, not a file');
    expect(folder.stderr).not.toMatch(/\.tmp/);
  });

  it('query vectors of another dimension are a DimensionMismatchError (6001), not a file-format error', async () => {
    const npy = await run('query', '--index', path('index.hnsw'), '--query', path('q4.npy'));
    expect(npy.code).toBe(1);
    expect(errorOf(npy.stderr)).toBe('DimensionMismatchError 6001');
    expect(npy.stderr).toContain('expected 8, got 4');

    writeFileSync(path('q4.raw'), Buffer.from(new Float32Array([1, 2, 3, 4]).buffer));
    const raw = await run('query', '--index', path('index.hnsw'), '--query', path('q4.raw'));
    expect(errorOf(raw.stderr)).toBe('DimensionMismatchError 6001');

    const build = await run('build-index', '--input', path('emb.npy'), '--output', path('x.hnsw'), '--dimension', '16', '--quiet');
    expect(errorOf(build.stderr)).toBe('DimensionMismatchError 6001');
    expect(existsSync(path('x.hnsw'))).toBe(false);

    // A query of the right dimension still works, raw or .npy.
    writeFileSync(path('q8.raw'), Buffer.from(new Float32Array([1, 1, 1, 1, 1, 1, 1, 1]).buffer));
    const ok = await run('query', '--index', path('index.hnsw'), '--query', path('q8.raw'), '--k', '2', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)[0]).toHaveLength(2);
  });

  it('gives exactly the error classes and codes its README documents', async () => {
    // The README's table: | `ErrorClass` (`package`) | code | when |
    const readme = readFileSync(join(app, 'README.md'), 'utf8');
    const documented = new Map([...readme.matchAll(/^\| `(\w+Error)` \(`@sochdb\/\w+`\) \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect([...documented.keys()].sort()).toEqual(['DimensionMismatchError', 'ValidationError', 'VectorFileFormatError']);
    // …match the classes' own codes…
    const real = {
      ValidationError: new ValidationError('x').code,
      DimensionMismatchError: new DimensionMismatchError(1, 2).code,
      VectorFileFormatError: new VectorFileFormatError('x').code,
    };
    expect(Object.fromEntries(documented)).toEqual(real);

    // …and what the tool prints for a case of each.
    mkdirSync(path('sub'), { recursive: true });
    writeFileSync(path('not.npy'), 'not an npy file');
    writeFileSync(path('odd.raw'), Buffer.alloc(10));
    const cases: [string, string[]][] = [
      ['ValidationError', ['convert', '--input', path('emb.npy'), '--output', path('missing/x.npy'), '--to-format', 'npy']],
      ['DimensionMismatchError', ['query', '--index', path('index.hnsw'), '--query', path('q4.npy')]],
      ['VectorFileFormatError', ['build-index', '--input', path('not.npy'), '--output', path('sub/x.hnsw'), '--quiet']],
      ['VectorFileFormatError', ['build-index', '--input', path('odd.raw'), '--output', path('sub/x.hnsw'), '--dimension', '8', '--quiet']],
      ['VectorFileFormatError', ['info', '--index', path('emb.npy')]],
      ['VectorFileFormatError', ['query', '--index', path('nothing.hnsw'), '--query', path('q4.npy')]],
    ];
    for (const [name, args] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^sochdb-bulk: ${name} \\(${documented.get(name)}\\): `));
    }
  });

  it('bad flags are a usage error with status 1', async () => {
    const r = await run('query', '--index', path('index.hnsw'), '--query', path('q4.npy'), '--k', 'zero');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--k must be a positive integer/);
  });
});
