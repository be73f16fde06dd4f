import { MemoryStorage, type Storage } from '@sochdb/core';
import { persistentFactory } from '@sochdb/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphStore, type GraphDirection } from '../src/index.js';
import { ReferenceGraph } from './reference-graph.js';

// Ids chosen to stress the key encoding: quotes, separators, NUL, unicode, and prefixes of each other.
const ids = ['a', 'ab', 'a\u0000', 'b"q', 'x/y', 'é', '😀', 'Z', ' ', 'a b'];
const types = ['E', 'F', 'E/F'];
const ns = 'prop';

type Op =
  | { readonly op: 'edge'; readonly from: number; readonly type: string; readonly to: number }
  | { readonly op: 'delEdge'; readonly from: number; readonly type: string; readonly to: number }
  | { readonly op: 'delNode'; readonly node: number };

const idx = fc.nat({ max: ids.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('edge' as const), from: idx, type: fc.constantFrom(...types), to: idx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delEdge' as const), from: idx, type: fc.constantFrom(...types), to: idx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delNode' as const), node: idx }) },
);
const queryArb = fc.record({
  start: idx,
  target: idx,
  maxDepth: fc.nat({ max: 5 }),
  direction: fc.constantFrom<GraphDirection>('out', 'in', 'both'),
  edgeTypes: fc.option(fc.subarray(types, { minLength: 1 }), { nil: undefined }),
});

async function build(storage: Storage, ops: readonly Op[]): Promise<{ graph: GraphStore; ref: ReferenceGraph }> {
  const graph = new GraphStore(storage);
  const ref = new ReferenceGraph();
  const ensure = async (id: string): Promise<void> => {
    if (ref.nodes.has(id)) return;
    await graph.addNode({ namespace: ns, nodeId: id, nodeType: 'T', properties: {} });
    ref.addNode(id, 'T');
  };
  for (const op of ops) {
    if (op.op === 'edge') {
      await ensure(ids[op.from]!);
      await ensure(ids[op.to]!);
      await graph.addEdge({ namespace: ns, fromId: ids[op.from]!, edgeType: op.type, toId: ids[op.to]! });
      ref.addEdge(ids[op.from]!, op.type, ids[op.to]!);
    } else if (op.op === 'delEdge') {
      await graph.deleteEdge({ namespace: ns, fromId: ids[op.from]!, edgeType: op.type, toId: ids[op.to]! });
      ref.deleteEdge(ids[op.from]!, op.type, ids[op.to]!);
    } else {
      await graph.deleteNode(ns, ids[op.node]!);
      ref.deleteNode(ids[op.node]!);
    }
  }
  return { graph, ref };
}

async function compare(
  graph: GraphStore,
  ref: ReferenceGraph,
  q: { start: number; target: number; maxDepth: number; direction: GraphDirection; edgeTypes: string[] | undefined },
): Promise<void> {
  const start = ids[q.start]!;
  const target = ids[q.target]!;
  const opts = { namespace: ns, startNode: start, maxDepth: q.maxDepth, direction: q.direction, edgeTypes: q.edgeTypes };
  if (!ref.nodes.has(start)) {
    await expect(graph.traverse(opts)).rejects.toMatchObject({ code: 8001 });
    return;
  }
  const bfs = await graph.traverse({ ...opts, order: 'bfs' });
  const refBfs = ref.bfs(start, q.maxDepth, q.direction, q.edgeTypes);
  expect(bfs).toEqual(refBfs);

  const dfs = await graph.traverse({ ...opts, order: 'dfs' });
  expect(dfs).toEqual(ref.dfs(start, q.maxDepth, q.direction, q.edgeTypes));
  // Independent of the DFS model: the same nodes as BFS, each once, at their hop distance.
  const distances = new Map(refBfs.map((n) => [n.id, n.depth]));
  expect(new Map(dfs.map((n) => [n.id, n.depth]))).toEqual(distances);
  expect(new Set(dfs.map((n) => n.id)).size).toBe(dfs.length);
  for (const n of dfs.slice(1)) {
    const parent = n.via!.fromId === n.id ? n.via!.toId : n.via!.fromId;
    expect(distances.get(parent)).toBe(n.depth - 1);
  }

  if (!ref.nodes.has(target)) return;
  const path = await graph.shortestPath({ namespace: ns, from: start, to: target, maxDepth: q.maxDepth, direction: q.direction, edgeTypes: q.edgeTypes });
  const expected = ref.distance(start, target, q.maxDepth, q.direction, q.edgeTypes);
  if (expected === undefined) {
    expect(path).toBeNull();
    return;
  }
  expect(path!.edges.length).toBe(expected);
  expect(path!.nodes.map((n) => n.id)[0]).toBe(start);
  expect(path!.nodes.at(-1)!.id).toBe(target);
  path!.edges.forEach((e, i) => {
    expect(ref.edges.has(JSON.stringify([e.fromId, e.edgeType, e.toId]))).toBe(true);
    const [a, b] = [path!.nodes[i]!.id, path!.nodes[i + 1]!.id];
    const forward = e.fromId === a && e.toId === b;
    const backward = e.toId === a && e.fromId === b;
    expect(q.direction === 'out' ? forward : q.direction === 'in' ? backward : forward || backward).toBe(true);
  });
}

describe('traversal and shortest path match an in-memory reference graph', () => {
  it('on memory storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), fc.array(queryArb, { minLength: 1, maxLength: 5 }), async (ops, queries) => {
        const storage = await MemoryStorage.open();
        try {
          const { graph, ref } = await build(storage, ops);
          for (const q of queries) await compare(graph, ref, q);
        } finally {
          await storage.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on LevelDB storage', async () => {
    const factory = persistentFactory();
    try {
      const storage = await factory.open();
      let round = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.array(queryArb, { minLength: 1, maxLength: 3 }), async (ops, queries) => {
          // One database for every run, emptied first, keeps the LevelDB case fast.
          await storage.clear();
          round++;
          const { graph, ref } = await build(storage, ops);
          for (const q of queries) await compare(graph, ref, q);
        }),
        { numRuns: 25 },
      );
      expect(round).toBeGreaterThan(0);
      await storage.close();
    } finally {
      await factory.cleanup();
    }
  });
});
