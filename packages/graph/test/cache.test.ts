// The adjacency cache: kept across calls, right after every commit whoever makes it (this store,
// another store, another process), never used inside a transaction.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Storage, type StorageSnapshot } from '@sochdb/core';
import { makeTempDir, memoryFactory, persistentFactory, spawnTs, type StorageFactory } from '@sochdb/core/testing';
import { Database } from '@sochdb/sdk';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphStore, type GraphDirection } from '../src/index.js';

const ns = 'c';

/** The storage seen through a proxy that counts the reads made on its snapshots. */
function counting(storage: Storage): { storage: Storage; reads: () => number } {
  let reads = 0;
  const wrap = (snapshot: StorageSnapshot): StorageSnapshot =>
    new Proxy(snapshot, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => unknown;
        if (prop === 'get' || prop === 'getMany' || prop === 'iterator') {
          return (...args: unknown[]) => {
            reads++;
            return fn.apply(target, args);
          };
        }
        return fn.bind(target);
      },
    });
  const proxy = new Proxy(storage, {
    get(target, prop) {
      if (prop === 'snapshot') return () => wrap(target.snapshot());
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { storage: proxy, reads: () => reads };
}

/** Everything a query can answer about the graph, as a plain value to compare. */
async function answers(graph: GraphStore, ids: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const id of ids) {
    out.push(await graph.getNode(ns, id));
    for (const direction of ['out', 'in', 'both'] as GraphDirection[]) {
      out.push(await graph.neighbors({ namespace: ns, nodeId: id, direction }).catch((e: Error) => e.name));
      out.push(await graph.getEdges({ namespace: ns, nodeId: id, direction, edgeType: 'E' }));
      for (const order of ['bfs', 'dfs'] as const) {
        out.push(await graph.traverse({ namespace: ns, startNode: id, maxDepth: 3, direction, order }).catch((e: Error) => e.name));
      }
    }
    out.push(await graph.traverse({ namespace: ns, startNode: id, maxDepth: 2, edgeTypes: ['F'] }).catch((e: Error) => e.name));
    out.push(await graph.shortestPath({ namespace: ns, from: id, to: ids[0]!, direction: 'both' }).catch((e: Error) => e.name));
  }
  return out;
}

describe.each([
  ['level', persistentFactory, 16 * 1024 * 1024],
  ['memory', memoryFactory, 16 * 1024 * 1024],
  // A log this small makes the cache fall behind the feed and reload now and then.
  ['level, tiny commit log', persistentFactory, 2048],
] as const)('the adjacency cache (%s)', (_name, makeFactory, changeLogBytes) => {
  let factory: StorageFactory;
  let storage: Storage;
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });
  const open = async (): Promise<void> => {
    factory = makeFactory();
    storage = await factory.open({ syncMode: 'off', changeLogBytes });
  };

  it('answers warm reads without reading the storage, and sees every later commit', async () => {
    await open();
    const counted = counting(storage);
    const graph = new GraphStore(counted.storage);
    const other = new GraphStore(storage);
    await other.addNodes(['a', 'b', 'c', 'd'].map((nodeId) => ({ namespace: ns, nodeId, nodeType: 'T', properties: { nodeId } })));
    await other.addEdges([
      { namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' },
      { namespace: ns, fromId: 'b', edgeType: 'E', toId: 'c' },
      { namespace: ns, fromId: 'a', edgeType: 'F', toId: 'd' },
    ]);
    const ids = (rows: readonly { id: string }[]) => rows.map((r) => r.id);
    const bfs = () => graph.traverse({ namespace: ns, startNode: 'a', maxDepth: 3 });
    expect(ids(await bfs())).toEqual(['a', 'b', 'd', 'c']);
    const reads = counted.reads();
    expect(ids(await bfs())).toEqual(['a', 'b', 'd', 'c']);
    expect((await graph.neighbors({ namespace: ns, nodeId: 'a' })).map((n) => n.node.id)).toEqual(['b', 'd']);
    // PostgreSQL's snapshots learn their LSN only once BEGIN is answered, so its reads bypass the
    // cache (answers are the same; only LevelDB and memory are served from it).
    if (factory.name !== 'postgres') expect(counted.reads()).toBe(reads);

    // Answers may be changed by the caller without touching the cache.
    const first = await bfs();
    (first[1]!.properties as Record<string, unknown>).nodeId = 'changed';
    (first[1]!.via!.properties as Record<string, unknown>).x = 1;
    expect((await bfs())[1]).toMatchObject({ properties: { nodeId: 'b' }, via: { properties: {} } });

    // Every kind of write, by another store on the same storage, is seen at the next read.
    await other.addEdge({ namespace: ns, fromId: 'c', edgeType: 'E', toId: 'a' });
    expect(ids(await graph.traverse({ namespace: ns, startNode: 'c', maxDepth: 3 }))).toEqual(['c', 'a', 'b', 'd']);
    expect(await other.deleteEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toBe(true);
    expect(ids(await bfs())).toEqual(['a', 'd']);
    await other.addNode({ namespace: ns, nodeId: 'd', nodeType: 'T2', properties: 'new' });
    expect((await bfs())[1]).toMatchObject({ id: 'd', type: 'T2', properties: 'new' });
    expect(await other.deleteNode(ns, 'd')).toBe(true);
    expect(ids(await bfs())).toEqual(['a']);
    expect(await graph.getNode(ns, 'd')).toBeNull();
    expect(await graph.getEdges({ namespace: ns, nodeId: 'c' })).toEqual([{ fromId: 'c', edgeType: 'E', toId: 'a', properties: {} }]);
    await other.dropNamespace(ns);
    await expect(bfs()).rejects.toMatchObject({ code: 8001 });
    expect(await graph.getEdges({ namespace: ns, nodeId: 'c' })).toEqual([]);
    // And this store's own writes.
    await graph.addNodes([{ namespace: ns, nodeId: 'a', nodeType: 'T' }]);
    expect(ids(await bfs())).toEqual(['a']);
    await graph.addEdges([{ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'a' }]);
    expect(await graph.neighbors({ namespace: ns, nodeId: 'a' })).toHaveLength(1);
  });

  it('is not used inside a transaction, which sees its own writes and its snapshot', async () => {
    await open();
    const graph = new GraphStore(storage);
    await graph.addNodes([
      { namespace: ns, nodeId: 'a', nodeType: 'T' },
      { namespace: ns, nodeId: 'b', nodeType: 'T' },
    ]);
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    expect(await graph.neighbors({ namespace: ns, nodeId: 'a' })).toHaveLength(1);
    const txn = storage.beginTransaction();
    await graph.addNode({ namespace: ns, nodeId: 'c', nodeType: 'T' }, { txn });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'c' }, { txn });
    expect((await graph.neighbors({ namespace: ns, nodeId: 'a' }, { txn })).map((n) => n.node.id)).toEqual(['b', 'c']);
    expect((await graph.traverse({ namespace: ns, startNode: 'a' }, { txn })).map((n) => n.id)).toEqual(['a', 'b', 'c']);
    // Outside it, and after it aborts, nothing of it.
    expect((await graph.neighbors({ namespace: ns, nodeId: 'a' })).map((n) => n.node.id)).toEqual(['b']);
    await txn.abort();
    expect((await graph.traverse({ namespace: ns, startNode: 'a' })).map((n) => n.id)).toEqual(['a', 'b']);
    // A transaction's snapshot predates a commit the cache already has.
    const old = storage.beginTransaction();
    await graph.getNode(ns, 'a', { txn: old });
    await graph.deleteEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    expect(await graph.neighbors({ namespace: ns, nodeId: 'a' })).toEqual([]);
    expect((await graph.neighbors({ namespace: ns, nodeId: 'a' }, { txn: old })).map((n) => n.node.id)).toEqual(['b']);
    await old.abort();
  });

  it('answers like a fresh store after random writes by several stores, with and without eviction', async () => {
    await open();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const op = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          op: fc.constant('edge' as const),
          from: fc.constantFrom(...ids),
          type: fc.constantFrom('E', 'F'),
          to: fc.constantFrom(...ids),
          w: fc.nat(9),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('edges' as const),
          n: fc.integer({ min: 1, max: 4 }),
          from: fc.constantFrom(...ids),
          to: fc.constantFrom(...ids),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          op: fc.constant('delEdge' as const),
          from: fc.constantFrom(...ids),
          type: fc.constantFrom('E', 'F'),
          to: fc.constantFrom(...ids),
        }),
      },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('node' as const), id: fc.constantFrom(...ids), w: fc.nat(9) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delNode' as const), id: fc.constantFrom(...ids) }) },
      { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(2), op), { minLength: 1, maxLength: 30 }), async (steps) => {
        const space = `${ns}`;
        await new GraphStore(storage).dropNamespace(space);
        // Three stores, each with a cache: default size, tiny (always evicting), and one more.
        const stores = [new GraphStore(storage), new GraphStore(storage, { cacheSize: 5 }), new GraphStore(storage, { cacheSize: 40 })];
        run++;
        for (const [i, [who, s]] of steps.entries()) {
          const g = stores[who]!;
          const ensure = (id: string) => g.addNode({ namespace: ns, nodeId: id, nodeType: 'T', properties: { id } });
          switch (s.op) {
            case 'edge':
              await ensure(s.from);
              await ensure(s.to);
              await g.addEdge({ namespace: ns, fromId: s.from, edgeType: s.type, toId: s.to, properties: { w: s.w } });
              break;
            case 'edges':
              await g.addNodes([s.from, s.to].map((id) => ({ namespace: ns, nodeId: id, nodeType: 'T' })));
              await g.addEdges(
                Array.from({ length: s.n }, (_, k) => ({
                  namespace: ns,
                  fromId: k % 2 ? s.to : s.from,
                  edgeType: 'E',
                  toId: k % 2 ? s.from : s.to,
                  properties: k,
                })),
              );
              break;
            case 'delEdge':
              await g.deleteEdge({ namespace: ns, fromId: s.from, edgeType: s.type, toId: s.to });
              break;
            case 'node':
              await g.addNode({ namespace: ns, nodeId: s.id, nodeType: `T${s.w}`, properties: s.w });
              break;
            case 'delNode':
              await g.deleteNode(ns, s.id);
              break;
            case 'drop':
              await g.dropNamespace(ns);
              break;
          }
          // Compare now and then (every store read before, so their caches are warm).
          if (i % 4 === 3 || i === steps.length - 1) {
            const expected = await answers(new GraphStore(storage, { cacheSize: 0 }), ids);
            for (const store of stores) expect(await answers(store, ids)).toEqual(expected);
          }
        }
      }),
      { numRuns: 15, seed: 21 },
    );
    expect(run).toBe(15);
  }, 120_000);
});

describe('another process', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("writes edges while this process has a warm cache: they are seen right after the writer's commit returns", async () => {
    const dir = makeTempDir('sochdb-graph-cache-');
    const path = join(dir.path, 'db');
    // This process opens the folder first and owns it; the writer reaches it through its socket
    // (a client's snapshots are inexact, so a client reads past the cache: correct, not faster).
    const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
    const child = spawnTs(fileURLToPath(new URL('./fixtures/graph-writer.ts', import.meta.url)), [path], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async (): Promise<{ ready?: boolean; isOwner?: boolean; result?: unknown; error?: string }> => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the writer exited: ${stderr}`);
      return JSON.parse(value) as { result?: unknown; error?: string };
    };
    cleanup = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        await new Promise((resolve) => child.once('close', resolve));
      }
      await db.close();
      dir.cleanup();
    };
    expect(await next()).toEqual({ ready: true, isOwner: false });
    const call = async (name: string, ...args: unknown[]) => {
      child.stdin!.write(`${JSON.stringify({ call: name, args })}\n`);
      const answer = await next();
      if (answer.error) throw new Error(`${name} failed in the writer: ${answer.error}`);
      return answer.result;
    };

    const counted = counting(db.storage);
    const graph = new GraphStore(counted.storage);
    await call(
      'addNodes',
      Array.from({ length: 20 }, (_, i) => ({ namespace: ns, nodeId: `n${i}`, nodeType: 'T' })),
    );
    await call(
      'addEdges',
      Array.from({ length: 10 }, (_, i) => ({ namespace: ns, fromId: `n${i}`, edgeType: 'E', toId: `n${i + 1}` })),
    );
    const reach = async (start: string) => (await graph.traverse({ namespace: ns, startNode: start, maxDepth: 3 })).map((n) => n.id);
    const out = async (id: string) => (await graph.neighbors({ namespace: ns, nodeId: id })).map((n) => n.node.id);
    // Warm: the second time, no read reaches the storage.
    expect(await reach('n0')).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(await out('n1')).toEqual(['n2']);
    const reads = counted.reads();
    expect(await reach('n0')).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(await out('n1')).toEqual(['n2']);
    expect(counted.reads()).toBe(reads);

    for (let round = 0; round < 5; round++) {
      await call('addEdge', { namespace: ns, fromId: 'n1', edgeType: 'E', toId: `n${12 + round}` });
      // Key order: 'n12' sorts before 'n2'.
      const added = Array.from({ length: round + 1 }, (_, k) => `n${12 + k}`);
      expect(await out('n1')).toEqual([...added, 'n2']);
      expect((await reach('n0')).slice(0, 3 + round + 1)).toEqual(['n0', 'n1', ...added, 'n2']);
    }
    await call('addEdges', [{ namespace: ns, fromId: 'n0', edgeType: 'E', toId: 'n19' }]);
    expect(await out('n0')).toEqual(['n1', 'n19']);
    await call('deleteEdge', { namespace: ns, fromId: 'n1', edgeType: 'E', toId: 'n2' });
    expect(await out('n1')).toEqual(['n12', 'n13', 'n14', 'n15', 'n16']);
    await call('deleteNode', ns, 'n1');
    expect(await reach('n0')).toEqual(['n0', 'n19']);
    expect(await graph.getNode(ns, 'n1')).toBeNull();
  }, 60_000);
});
