// sochdb-bulk as a real child process on real files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { matrixFromRows, writeNpy } from '@sochdb/vector';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
const run = async (...args: string[]) => waitForExit(spawnTs(cli, args));
let dir: ReturnType<typeof makeTempDir>;
const path = (name: string) => join(dir.path, name);

beforeAll(async () => {
  dir = makeTempDir('sochdb-bulk-');
  // 300 vectors of 8 dims around three centres; row i is close to centre i % 3.
  const rows = Array.from({ length: 300 }, (_, i) => Array.from({ length: 8 }, (_, d) => (d === i % 3 ? 1 : 0) + ((i * 7 + d * 13) % 10) / 100));
  await writeNpy(path('emb.npy'), matrixFromRows(rows));
});
afterAll(() => dir.cleanup());

describe('sochdb-bulk', () => {
  it('build-index, info, convert and query work end to end', async () => {
    const build = await run(
      'build-index',
      '--input',
      path('emb.npy'),
      '--output',
      path('index.hnsw'),
      '--max-connections',
      '8',
      '--ef-construction',
      '50',
      '--metric',
      'euclidean',
      '--quiet',
    );
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/built .*index\.hnsw: 300 vectors × 8 dims/);

    const info = await run('info', '--index', path('index.hnsw'), '--json');
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ dimension: 8, vectors: 300, metric: 'euclidean', m: 8, efConstruction: 50 });

    const convert = await run('convert', '--input', path('emb.npy'), '--output', path('emb.raw'), '--to-format', 'raw_f32');
    expect(convert.code, convert.stderr).toBe(0);
    expect(readFileSync(path('emb.raw')).byteLength).toBe(300 * 8 * 4);
    const back = await run('convert', '--input', path('emb.raw'), '--output', path('back.npy'), '--to-format', 'npy', '--dimension', '8');
    expect(back.code, back.stderr).toBe(0);

    // Query with row 4 (centre 1) as a raw f32 file: its nearest neighbour is itself.
    writeFileSync(path('q.raw'), readFileSync(path('emb.raw')).subarray(4 * 32, 5 * 32));
    const query = await run('query', '--index', path('index.hnsw'), '--query', path('q.raw'), '--k', '3', '--ef', '64', '--json');
    expect(query.code, query.stderr).toBe(0);
    const [neighbors] = JSON.parse(query.stdout) as { id: string; distance: number }[][];
    expect(neighbors![0]).toEqual({ id: '4', distance: 0 });
    expect(neighbors).toHaveLength(3);
  });

  it('fails clearly on a wrong format, a wrong dimension, or bad flags', async () => {
    writeFileSync(path('bad.npy'), 'not an npy file');
    const bad = await run('build-index', '--input', path('bad.npy'), '--output', path('x.hnsw'), '--quiet');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/sochdb-bulk: \w+Error \(\d+\)/);
    writeFileSync(path('odd.raw'), Buffer.alloc(10));
    const odd = await run('build-index', '--input', path('odd.raw'), '--output', path('x.hnsw'), '--dimension', '8', '--quiet');
    expect(odd.code).toBe(1);
    expect(odd.stderr).toMatch(/sochdb-bulk:/);
    const noDim = await run('convert', '--input', path('odd.raw'), '--output', path('y.npy'), '--to-format', 'npy');
    expect(noDim.code).toBe(1);
    const flags = await run('build-index', '--input', path('emb.npy'), '--output', path('x.hnsw'), '--max-connections', 'zero');
    expect(flags.code).not.toBe(0);
    expect(flags.stderr).toMatch(/--max-connections must be a positive integer/);
  });
});
