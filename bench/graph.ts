// Graph overlay and temporal graph: SochDB (on LevelDB) beside graphology (in memory).
// Goals (issue 7): 2-hop neighbourhood, fan-out 10, 100k edges < 1 ms; point-in-time query on
// 10k versions ≤ 1.5× a current query.
import { LevelStorage, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { GraphStore } from '@sochdb/graph';
import { TemporalGraph } from '@sochdb/temporal';
// The named export: graphology's one .d.ts describes its CommonJS build, where the default export
// is not the class (at run time, ESM gets the .mjs build either way).
import { DirectedGraph } from 'graphology';
import { formatRate, opsPerSecond, printTable, size } from './lib/table.js';

const FAN_OUT = 10;
const ns = 'bench';

/** Deterministic pseudo-random numbers so every run builds the same graph. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Median latency in µs: other processes share this machine, and the median shrugs off their spikes. */
async function medianMicros(runs: number, fn: (i: number) => unknown, warmUp = Math.min(200, runs)): Promise<number> {
  for (let i = 0; i < warmUp; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const us = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} ms` : `${n.toFixed(0)} µs`);

async function graphBench(storage: Storage): Promise<void> {
  const nodes = size(10_000, 1_000);
  const edges: [string, string][] = [];
  const random = rng(7);
  for (let i = 0; i < nodes; i++) {
    for (let k = 0; k < FAN_OUT; k++) edges.push([`n${i}`, `n${Math.floor(random() * nodes)}`]);
  }

  const graph = new GraphStore(storage);
  const buildRate = await opsPerSecond(edges.length, async () => {
    const chunk = 1000;
    for (let i = 0; i < nodes; i += chunk) {
      await storage.transaction(async (txn) => {
        for (let j = i; j < Math.min(i + chunk, nodes); j++)
          await graph.addNode({ namespace: ns, nodeId: `n${j}`, nodeType: 'Node', properties: { j } }, { txn });
      });
    }
    for (let i = 0; i < edges.length; i += chunk) {
      await storage.transaction(async (txn) => {
        for (const [from, to] of edges.slice(i, i + chunk)) await graph.addEdge({ namespace: ns, fromId: from, edgeType: 'LINK', toId: to }, { txn });
      });
    }
  });

  console.error(`graph: built ${edges.length} edges at ${formatRate(buildRate)}/s`);

  // The same graph again, in another namespace, through the batched API: addNodes, then addEdges
  // in batches of 1,000 (each batch one atomic commit).
  const batched = 'bench-batched';
  const batchedBuildRate = await opsPerSecond(edges.length, async () => {
    const chunk = 1000;
    for (let i = 0; i < nodes; i += chunk) {
      await graph.addNodes(
        Array.from({ length: Math.min(chunk, nodes - i) }, (_, k) => ({ namespace: batched, nodeId: `n${i + k}`, nodeType: 'Node', properties: { j: i + k } })),
      );
    }
    for (let i = 0; i < edges.length; i += chunk) {
      await graph.addEdges(edges.slice(i, i + chunk).map(([from, to]) => ({ namespace: batched, fromId: from, edgeType: 'LINK', toId: to })));
    }
  });
  console.error(`graph: built ${edges.length} edges with addEdges at ${formatRate(batchedBuildRate)}/s`);
  const g = new DirectedGraph({ multi: false });
  const memoryBuildRate = await opsPerSecond(edges.length, () => {
    for (let i = 0; i < nodes; i++) g.addNode(`n${i}`, { type: 'Node', j: i });
    for (const [from, to] of edges) g.mergeEdge(from, to, { type: 'LINK' });
  });

  const runs = size(2000, 300);
  const starts = Array.from({ length: runs }, () => `n${Math.floor(random() * nodes)}`);
  let reached = 0;
  const twoHop = await medianMicros(runs, async (i) => {
    reached += (await graph.traverse({ namespace: ns, startNode: starts[i]!, maxDepth: 2, order: 'bfs' })).length;
  });
  // Warm: once every node's adjacency and record are in GraphStore's cache (one BFS from each
  // node fills it; the default cache holds this whole graph).
  for (let i = 0; i < nodes; i++) await graph.traverse({ namespace: ns, startNode: `n${i}`, maxDepth: 2, order: 'bfs' });
  const twoHopWarm = await medianMicros(runs, (i) => graph.traverse({ namespace: ns, startNode: starts[i]!, maxDepth: 2, order: 'bfs' }));
  const twoHopMemory = await medianMicros(runs, (i) => {
    // The same BFS on graphology's adjacency, reading node attributes as traverse does.
    const seen = new Set([starts[i]!]);
    let frontier = [starts[i]!];
    for (let depth = 0; depth < 2; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        g.forEachOutNeighbor(id, (other) => {
          if (!seen.has(other)) {
            seen.add(other);
            g.getNodeAttributes(other);
            next.push(other);
          }
        });
      }
      frontier = next;
    }
    return seen.size;
  });
  const neighbors = await medianMicros(runs, (i) => graph.neighbors({ namespace: ns, nodeId: starts[i]!, direction: 'in' }));
  // Between random nodes a BFS explores much of the graph, so few runs.
  const shortest = await medianMicros(
    size(40, 20),
    (i) => graph.shortestPath({ namespace: ns, from: starts[i]!, to: starts[(i + 1) % runs]!, maxDepth: 6 }),
    3,
  );

  console.log(
    `graph: ${nodes} nodes, ${edges.length} edges (fan-out ${FAN_OUT}); 2-hop BFS reached ${(reached / (runs + Math.min(200, runs))).toFixed(0)} nodes on average\n`,
  );
  // Same-run ratios: throughput as a share of graphology's, latency as a multiple of it.
  const rateRatio = (ours: number, theirs: number): string => `${(ours / theirs).toFixed(2)}× its rate`;
  const timeRatio = (ours: number, theirs: number): string => `${(ours / theirs).toFixed(1)}× its time`;
  printTable(
    ['operation', 'SochDB GraphStore (LevelDB)', 'graphology (in memory)', 'SochDB vs graphology'],
    [
      [
        'build (nodes + edges), addEdge in transactions of 1,000, edges/s',
        formatRate(buildRate),
        formatRate(memoryBuildRate),
        rateRatio(buildRate, memoryBuildRate),
      ],
      [
        'build (nodes + edges), addNodes/addEdges batches of 1,000, edges/s',
        formatRate(batchedBuildRate),
        formatRate(memoryBuildRate),
        rateRatio(batchedBuildRate, memoryBuildRate),
      ],
      ['2-hop BFS, fan-out 10, after 200 warm-up runs (median)', us(twoHop), us(twoHopMemory), timeRatio(twoHop, twoHopMemory)],
      ['2-hop BFS, fan-out 10, cache warm (median)', us(twoHopWarm), us(twoHopMemory), timeRatio(twoHopWarm, twoHopMemory)],
      ['incoming neighbours with nodes (median)', us(neighbors), '—', '—'],
      ['shortest path between random nodes (median)', us(shortest), '—', '—'],
    ],
  );
}

async function temporalBench(storage: Storage): Promise<void> {
  const versions = size(10_000, 1_000);
  const shapes = [
    { label: '1 edge × all versions', edges: 1 },
    { label: '10 edges × versions/10', edges: 10 },
    { label: '100 edges × versions/100', edges: 100 },
  ];
  const rows: string[][] = [];
  for (const shape of shapes) {
    const graph = new TemporalGraph(storage, { now: () => versions * 1000 });
    const node = `agent-${shape.edges}`;
    const perEdge = versions / shape.edges;
    // Each edge changes every `shape.edges` ms, edges in turn, the last version left open.
    for (let v = 0; v < perEdge; v += 500 / shape.edges) {
      await storage.transaction(async (txn) => {
        for (let w = v; w < Math.min(v + 500 / shape.edges, perEdge); w++) {
          for (let e = 0; e < shape.edges; e++) {
            const validFrom = (w * shape.edges + e) * 10;
            await graph.addTemporalEdge(
              {
                namespace: ns,
                fromId: node,
                edgeType: 'STATE',
                toId: `s${e}`,
                validFrom,
                validUntil: w === perEdge - 1 ? 0 : validFrom + shape.edges * 10,
                properties: { w },
              },
              { txn },
            );
          }
        }
      });
    }
    const runs = size(3000, 300);
    const random = rng(shape.edges);
    const times = Array.from({ length: runs }, () => Math.floor(random() * versions * 10));
    const current = await medianMicros(runs, () => graph.query({ namespace: ns, node, mode: 'current' }));
    const pointInTime = await medianMicros(runs, (i) => graph.query({ namespace: ns, node, mode: 'point_in_time', timestamp: times[i]! }));
    const history = await medianMicros(Math.min(runs, 200), async () => {
      // What an index-less design pays: read every version of the node's edges.
      let n = 0;
      for (let e = 0; e < shape.edges; e++) n += (await graph.edgeHistory({ namespace: ns, fromId: node, edgeType: 'STATE', toId: `s${e}` })).length;
      return n;
    });
    rows.push([shape.label, us(current), us(pointInTime), `${(pointInTime / current).toFixed(2)}×`, us(history)]);
  }
  console.log(`\ntemporal: ${versions} versions on one node, point-in-time at uniformly random past times\n`);
  printTable(['shape', 'current (median)', 'point-in-time (median)', 'ratio (goal ≤ 1.5×)', 'read whole history'], rows);
}

export default async function run(): Promise<void> {
  const dir = makeTempDir('sochdb-bench-graph-');
  const storage = await LevelStorage.open(`${dir.path}/db`);
  try {
    await graphBench(storage);
    await temporalBench(storage);
  } finally {
    await storage.close();
    dir.cleanup();
  }
}
