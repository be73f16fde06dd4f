// Which HNSW library @sochdb/vector could stand on without a compiler at install. hnswlib-node (what
// VectorIndex wraps) has no prebuilt binaries, so every install compiles it; this bench puts it
// beside usearch, whose npm package ships prebuilt binaries for linux-x64/arm64 and macOS and loads
// with its install script skipped. hnswlib-wasm was evaluated too and is not a row: its 0.8.2
// build targets browsers only (loading it in Node fails with "not compiled for this environment",
// and its package.json has no main or exports that Node resolves).
// Same embedding-like data, same M and efConstruction, one thread each, built interleaved.
import hnswlib from 'hnswlib-node';
import usearch from 'usearch';
import { VectorIndex } from '@sochdb/vector';
import { formatRate, opsPerSecond, percent, printTable, size } from './lib/table.js';
import { dataset, groundTruth } from './lib/vectors.js';

const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 64;
const K = 10;
const QUERIES = size(200, 50);

interface Backend {
  readonly name: string;
  add(rows: readonly Float32Array[], from: number): void;
  search(q: Float32Array): number[];
}

function hnswlibNode(dim: number, n: number): Backend {
  const index = new hnswlib.HierarchicalNSW('cosine', dim);
  index.initIndex({ maxElements: n, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
  index.setEf(EF_SEARCH);
  return {
    name: 'hnswlib-node (compiled at install)',
    add: (rows, from) => rows.forEach((v, i) => index.addPoint(Array.from(v), from + i)),
    search: (q) => index.searchKnn(Array.from(q), K).neighbors,
  };
}

function vectorIndex(dim: number, n: number): Backend {
  const index = new VectorIndex({ dimension: dim, metric: 'cosine', m: M, efConstruction: EF_CONSTRUCTION, capacity: n });
  return {
    name: '@sochdb/vector VectorIndex (on hnswlib-node)',
    add: (rows, from) =>
      index.insertBatch(
        rows.map((_, j) => String(from + j)),
        rows,
      ),
    search: (q) => index.search(q, K, { efSearch: EF_SEARCH }).map((r) => Number(r.id)),
  };
}

function usearchIndex(dim: number): Backend {
  const index = new usearch.Index({
    dimensions: dim,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.F32,
    connectivity: M,
    expansion_add: EF_CONSTRUCTION,
    expansion_search: EF_SEARCH,
    multi: false,
  });
  return {
    name: 'usearch (prebuilt binary)',
    add: (rows, from) => rows.forEach((v, i) => index.add(BigInt(from + i), v, 1)),
    search: (q) => Array.from(index.search(q, K, 1).keys, Number),
  };
}

export default async function run(): Promise<void> {
  const rows: string[][] = [];
  for (const [n, dim] of [
    [size(20_000, 2_000), 384],
    [size(50_000, 5_000), 128],
  ] as const) {
    const { data, queries } = dataset(n, dim, dim, QUERIES);
    const truth = groundTruth(data, queries, K);
    const backends = [hnswlibNode(dim, n), vectorIndex(dim, n), usearchIndex(dim)];
    // Interleaved in chunks so noise from other processes on this machine hits all alike.
    const seconds = backends.map(() => 0);
    for (let from = 0; from < n; from += 1000) {
      const chunk = data.slice(from, from + 1000);
      for (const [i, b] of backends.entries()) {
        const t = process.hrtime.bigint();
        b.add(chunk, from);
        seconds[i]! += Number(process.hrtime.bigint() - t) / 1e9;
      }
    }
    const builds = seconds.map((s) => n / s);
    const qps = backends.map(() => 0);
    for (let round = 0; round < size(5, 2); round++) {
      for (const [i, b] of backends.entries()) {
        qps[i] = Math.max(qps[i]!, await opsPerSecond(queries.length, () => queries.forEach((q) => b.search(q))));
      }
    }
    backends.forEach((b, i) => {
      const hits = queries.reduce((sum, q, j) => sum + b.search(q).filter((id) => truth[j]!.has(id)).length, 0);
      rows.push([
        `${formatRate(n)}×${dim}`,
        b.name,
        formatRate(builds[i]!),
        percent(builds[i]!, builds[0]!),
        formatRate(qps[i]!),
        percent(qps[i]!, qps[0]!),
        (hits / (queries.length * K)).toFixed(3),
      ]);
    });
  }
  printTable(['data', 'library', 'build vec/s', 'vs hnswlib-node', `QPS ef${EF_SEARCH}`, 'vs hnswlib-node', 'recall@10'], rows);
  console.log(`\nM ${M}, efConstruction ${EF_CONSTRUCTION}, cosine, one thread each; best of ${size(5, 2)} query rounds.`);
}
