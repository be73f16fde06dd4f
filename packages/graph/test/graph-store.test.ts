import { NotFoundError, TransactionConflictError, ValidationError, type Storage, type Transaction } from '@sochdb/core';
import { persistentFactory, memoryFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GraphNodeNotFoundError, GraphStore } from '../src/index.js';

const ns = 'agent_001';

// Named by hand: calling a factory just to read its name would leave a temp folder behind.
describe.each([
  [persistentFactory().name, persistentFactory],
  ['memory', memoryFactory],
] as const)('GraphStore on %s storage', (_name, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  let graph: GraphStore;

  beforeEach(async () => {
    factory = makeFactory();
    storage = await factory.open();
    graph = new GraphStore(storage);
  });
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });

  async function nodes(...ids: string[]): Promise<void> {
    for (const id of ids) await graph.addNode({ namespace: ns, nodeId: id, nodeType: 'T', properties: { id } });
  }

  it('stores a node and replaces its type and properties on a second addNode', async () => {
    await graph.addNode({ namespace: ns, nodeId: 'alice', nodeType: 'User', properties: { name: 'Alice' } });
    expect(await graph.getNode(ns, 'alice')).toEqual({ id: 'alice', type: 'User', properties: { name: 'Alice' } });
    await graph.addNode({ namespace: ns, nodeId: 'alice', nodeType: 'Admin', properties: [1, 'two', null, { deep: [true] }] });
    expect(await graph.getNode(ns, 'alice')).toEqual({ id: 'alice', type: 'Admin', properties: [1, 'two', null, { deep: [true] }] });
    expect(await graph.getNode(ns, 'bob')).toBeNull();
  });

  it('defaults properties to an empty object and accepts any JSON value, including scalars', async () => {
    await graph.addNode({ namespace: ns, nodeId: 'a', nodeType: 'T' });
    await graph.addNode({ namespace: ns, nodeId: 'b', nodeType: 'T', properties: 'just a string' });
    await graph.addNode({ namespace: ns, nodeId: 'c', nodeType: 'T', properties: null });
    expect((await graph.getNode(ns, 'a'))?.properties).toEqual({});
    expect((await graph.getNode(ns, 'b'))?.properties).toBe('just a string');
    expect((await graph.getNode(ns, 'c'))?.properties).toBeNull();
  });

  it('accepts any non-empty string as an id, type or namespace and keeps them apart', async () => {
    const ids = ['a"b', 'x/y/z', 'ünï😀', 'with\u0000nul', ' ', '\\', 'a', 'a\u0000'];
    for (const id of ids) await graph.addNode({ namespace: 'n/1"', nodeId: id, nodeType: 'type "q"', properties: { id } });
    for (const id of ids) expect(await graph.getNode('n/1"', id)).toEqual({ id, type: 'type "q"', properties: { id } });
    await graph.addEdge({ namespace: 'n/1"', fromId: 'a"b', edgeType: 'e/1', toId: 'with\u0000nul' });
    expect(await graph.getEdges({ namespace: 'n/1"', nodeId: 'with\u0000nul', direction: 'in' })).toEqual([
      { fromId: 'a"b', edgeType: 'e/1', toId: 'with\u0000nul', properties: {} },
    ]);
    // A namespace that is a prefix of another, or that shares a separator character, sees nothing of it.
    expect(await graph.getNode('n/1', 'a')).toBeNull();
    expect(await graph.getNode('n', 'a')).toBeNull();
  });

  it('keeps the edges of an id apart from those of the same id followed by NUL', async () => {
    await nodes('a', 'a\u0000', 'b');
    await graph.addEdge({ namespace: ns, fromId: 'a\u0000', edgeType: 'E', toId: 'b' });
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([]);
    expect(await graph.traverse({ namespace: ns, startNode: 'a' })).toHaveLength(1);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a\u0000' })).toHaveLength(1);
  });

  it('skips an edge left to a node deleted concurrently (write skew), and deleteEdge removes it', async () => {
    await nodes('a', 'b');
    const adder = storage.beginTransaction();
    const deleter = storage.beginTransaction();
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }, { txn: adder });
    expect(await graph.deleteNode(ns, 'b', { txn: deleter })).toBe(true);
    await adder.commit();
    await deleter.commit();
    expect((await graph.traverse({ namespace: ns, startNode: 'a' })).map((n) => n.id)).toEqual(['a']);
    expect(await graph.neighbors({ namespace: ns, nodeId: 'a' })).toEqual([]);
    expect(await graph.traverse({ namespace: ns, startNode: 'a', order: 'dfs' })).toHaveLength(1);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toHaveLength(1);
    expect(await graph.deleteEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toBe(true);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' })).toEqual([]);
  });

  it('an edge whose transaction began before one of its nodes was deleted fails to commit (the node is gone)', async () => {
    await nodes('a', 'b');
    for (const add of [
      (txn: Transaction) => graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }, { txn }),
      (txn: Transaction) => graph.addEdges([{ namespace: ns, fromId: 'b', edgeType: 'E', toId: 'a' }], { txn }),
    ]) {
      await nodes('b');
      const txn = storage.beginTransaction();
      await add(txn);
      expect(await graph.deleteNode(ns, 'b')).toBe(true);
      await expect(txn.commit()).rejects.toThrow(TransactionConflictError);
      expect(await graph.getEdges({ namespace: ns, nodeId: 'a', direction: 'both' })).toEqual([]);
    }
  });

  it('a standalone deleteNode also removes an edge to the node committed while it ran', async () => {
    await nodes('a', 'b');
    const begin = storage.beginTransaction.bind(storage);
    let injected = false;
    // The delete's transaction has read the node's edges; before it commits, an edge to the node commits.
    const spy = vi.spyOn(storage, 'beginTransaction').mockImplementation((options) => {
      const txn = begin(options);
      if (!injected) {
        injected = true;
        const commit = txn.commit.bind(txn);
        txn.commit = async () => {
          await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
          return commit();
        };
      }
      return txn;
    });
    expect(await graph.deleteNode(ns, 'b')).toBe(true);
    spy.mockRestore();
    expect(injected).toBe(true);
    expect(await graph.getNode(ns, 'b')).toBeNull();
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' })).toEqual([]);
    // Created again, the node has no edge of the old one.
    await nodes('b');
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'both' })).toEqual([]);
  });

  it('keeps namespaces isolated', async () => {
    await graph.addNode({ namespace: 'tenant_a', nodeId: 'x', nodeType: 'T' });
    await graph.addNode({ namespace: 'tenant_b', nodeId: 'x', nodeType: 'U' });
    await graph.addNode({ namespace: 'tenant_a', nodeId: 'y', nodeType: 'T' });
    await graph.addEdge({ namespace: 'tenant_a', fromId: 'x', edgeType: 'E', toId: 'y' });
    expect((await graph.getNode('tenant_b', 'x'))?.type).toBe('U');
    expect(await graph.getEdges({ namespace: 'tenant_b', nodeId: 'x' })).toEqual([]);
    expect(await graph.traverse({ namespace: 'tenant_b', startNode: 'x' })).toHaveLength(1);
    await expect(graph.addEdge({ namespace: 'tenant_b', fromId: 'x', edgeType: 'E', toId: 'y' })).rejects.toThrow(GraphNodeNotFoundError);
  });

  it('indexes edges both ways and filters by direction and edge type', async () => {
    await nodes('a', 'b', 'c');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'KNOWS', toId: 'b', properties: { since: 2020 } });
    await graph.addEdge({ namespace: ns, fromId: 'c', edgeType: 'LIKES', toId: 'a' });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'LIKES', toId: 'c' });
    const ab = { fromId: 'a', edgeType: 'KNOWS', toId: 'b', properties: { since: 2020 } };
    const ac = { fromId: 'a', edgeType: 'LIKES', toId: 'c', properties: {} };
    const ca = { fromId: 'c', edgeType: 'LIKES', toId: 'a', properties: {} };
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([ab, ac]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a', direction: 'in' })).toEqual([ca]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a', direction: 'both' })).toEqual([ab, ac, ca]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a', direction: 'both', edgeType: 'LIKES' })).toEqual([ac, ca]);
    expect(await graph.getEdge({ namespace: ns, fromId: 'a', edgeType: 'KNOWS', toId: 'b' })).toEqual(ab);
    expect(await graph.getEdge({ namespace: ns, fromId: 'b', edgeType: 'KNOWS', toId: 'a' })).toBeNull();
  });

  it('replaces the properties of an edge added twice, in both directions', async () => {
    await nodes('a', 'b');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', properties: { v: 1 } });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', properties: { v: 2 } });
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([{ fromId: 'a', edgeType: 'E', toId: 'b', properties: { v: 2 } }]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' })).toEqual([{ fromId: 'a', edgeType: 'E', toId: 'b', properties: { v: 2 } }]);
  });

  it("reads only the asked node's edges for incoming as well as outgoing lookups", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `n${i}`);
    await storage.transaction(async (txn) => {
      for (const id of [...ids, 'hub']) await graph.addNode({ namespace: ns, nodeId: id, nodeType: 'T' }, { txn });
      for (let i = 0; i < ids.length; i++) {
        await graph.addEdge({ namespace: ns, fromId: ids[i]!, edgeType: 'E', toId: ids[(i + 1) % ids.length]!, properties: { pad: 'x'.repeat(50) } }, { txn });
      }
      for (const id of ids.slice(0, 3)) await graph.addEdge({ namespace: ns, fromId: id, edgeType: 'E', toId: 'hub', properties: {} }, { txn });
    });
    const before = (await storage.currentStats()).bytesRead;
    expect(await graph.getEdges({ namespace: ns, nodeId: 'hub', direction: 'in' })).toHaveLength(3);
    expect((await storage.currentStats()).bytesRead - before).toBeLessThan(100); // three '{}' values, not 200 padded edges
  });

  it('lists neighbors with their nodes and the joining edge', async () => {
    await nodes('a', 'b', 'c');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    await graph.addEdge({ namespace: ns, fromId: 'c', edgeType: 'F', toId: 'a' });
    const both = await graph.neighbors({ namespace: ns, nodeId: 'a', direction: 'both' });
    expect(both.map((n) => [n.node.id, n.node.properties, n.edge.edgeType, n.direction])).toEqual([
      ['b', { id: 'b' }, 'E', 'out'],
      ['c', { id: 'c' }, 'F', 'in'],
    ]);
    expect((await graph.neighbors({ namespace: ns, nodeId: 'a', direction: 'in', edgeType: 'E' })).length).toBe(0);
    await expect(graph.neighbors({ namespace: ns, nodeId: 'ghost' })).rejects.toThrow(GraphNodeNotFoundError);
  });

  it('deletes a node with all its incoming and outgoing edges in one commit', async () => {
    await nodes('a', 'b', 'c');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    await graph.addEdge({ namespace: ns, fromId: 'b', edgeType: 'E', toId: 'c' });
    await graph.addEdge({ namespace: ns, fromId: 'b', edgeType: 'SELF', toId: 'b' });
    const lsnBefore = storage.lsn;
    expect(await graph.deleteNode(ns, 'b')).toBe(true);
    expect(storage.lsn - lsnBefore).toBe(1n);
    expect(await graph.getNode(ns, 'b')).toBeNull();
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a', direction: 'both' })).toEqual([]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'c', direction: 'both' })).toEqual([]);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'both' })).toEqual([]);
    expect(await graph.deleteNode(ns, 'b')).toBe(false);
  });

  it('deletes one edge and reports whether it existed', async () => {
    await nodes('a', 'b');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    expect(await graph.deleteEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toBe(true);
    expect(await graph.deleteEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toBe(false);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' })).toEqual([]);
  });

  it('refuses an edge to or from a missing node with a typed NotFoundError', async () => {
    await nodes('a');
    const err = await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphNodeNotFoundError);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 8001, nodeId: 'nope', namespace: ns });
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([]);
  });

  it('throws NotFoundError, not an empty list, for a missing start node', async () => {
    await expect(graph.traverse({ namespace: ns, startNode: 'ghost' })).rejects.toMatchObject({ code: 8001, nodeId: 'ghost' });
    await nodes('a');
    await expect(graph.shortestPath({ namespace: ns, from: 'a', to: 'ghost' })).rejects.toThrow(GraphNodeNotFoundError);
  });

  it('rejects bad arguments with a ValidationError naming the field', async () => {
    await nodes('a');
    const cases: [Promise<unknown>, string][] = [
      [graph.addNode({ namespace: ns, nodeId: '', nodeType: 'T' }), 'nodeId'],
      [graph.addNode({ namespace: '', nodeId: 'x', nodeType: 'T' }), 'namespace'],
      [graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 7 as unknown as string }), 'nodeType'],
      [graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 'T', properties: { when: new Date() } as never }), 'properties.when'],
      [graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 'T', properties: { n: NaN } }), 'properties.n'],
      [graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 'T', properties: { u: undefined } as never }), 'properties.u'],
      [graph.addEdge({ namespace: ns, fromId: 'a', edgeType: '', toId: 'a' }), 'edgeType'],
      [graph.traverse({ namespace: ns, startNode: 'a', maxDepth: -1 }), 'maxDepth'],
      [graph.traverse({ namespace: ns, startNode: 'a', maxDepth: 1.5 }), 'maxDepth'],
      [graph.traverse({ namespace: ns, startNode: 'a', order: 'random' as never }), 'order'],
      [graph.traverse({ namespace: ns, startNode: 'a', edgeTypes: [''] }), 'edgeTypes[0]'],
      [graph.neighbors({ namespace: ns, nodeId: 'a', direction: 'up' as never }), 'direction'],
      [graph.traverse(null as never), 'options'],
    ];
    for (const [promise, field] of cases) {
      const err = await promise.catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
      expect((err as ValidationError).code).toBe(6000);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 'T', properties: cyclic as never })).rejects.toThrow(/cycle/);
    expect(await graph.getNode(ns, 'x')).toBeNull();
  });

  it('joins a caller transaction: nothing is visible until commit, and an abort leaves nothing', async () => {
    await nodes('a');
    const txn = storage.beginTransaction();
    await graph.addNode({ namespace: ns, nodeId: 'b', nodeType: 'T' }, { txn });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }, { txn });
    // The transaction sees its own writes; others do not.
    expect((await graph.traverse({ namespace: ns, startNode: 'a' }, { txn })).map((n) => n.id)).toEqual(['a', 'b']);
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([]);
    await txn.abort();
    expect(await graph.getNode(ns, 'b')).toBeNull();
    expect(await graph.getEdges({ namespace: ns, nodeId: 'a' })).toEqual([]);

    await storage.transaction(async (t) => {
      await graph.addNode({ namespace: ns, nodeId: 'b', nodeType: 'T' }, { txn: t });
      await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }, { txn: t });
    });
    expect((await graph.traverse({ namespace: ns, startNode: 'a' })).map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('makes a conflicting caller transaction fail whole (first committer wins)', async () => {
    await nodes('a', 'b');
    const t1 = storage.beginTransaction();
    const t2 = storage.beginTransaction();
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', properties: 1 }, { txn: t1 });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', properties: 2 }, { txn: t2 });
    await t1.commit();
    await expect(t2.commit()).rejects.toThrow(TransactionConflictError);
    expect((await graph.getEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }))?.properties).toBe(1);
    expect((await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' }))[0]?.properties).toBe(1);
  });

  it('takes concurrent writers at one busy node without losing an edge', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `n${i}`);
    await nodes('hub', ...ids);
    await Promise.all(ids.map((id) => graph.addEdge({ namespace: ns, fromId: id, edgeType: 'E', toId: 'hub', properties: { id } })));
    await Promise.all(ids.map((id, i) => graph.addEdge({ namespace: ns, fromId: id, edgeType: 'E', toId: 'hub', properties: { id, i } })));
    const incoming = await graph.getEdges({ namespace: ns, nodeId: 'hub', direction: 'in' });
    expect(incoming).toHaveLength(20);
    for (const e of incoming) expect(e.properties).toEqual({ id: e.fromId, i: ids.indexOf(e.fromId) });
    expect(() => new GraphStore(storage, { retries: -1 })).toThrow(ValidationError);
  });

  it('finds a shortest path, honouring direction, edge types and maxDepth', async () => {
    await nodes('a', 'b', 'c', 'd');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    await graph.addEdge({ namespace: ns, fromId: 'b', edgeType: 'E', toId: 'c' });
    await graph.addEdge({ namespace: ns, fromId: 'c', edgeType: 'E', toId: 'd' });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'SHORTCUT', toId: 'd' });
    const direct = await graph.shortestPath({ namespace: ns, from: 'a', to: 'd' });
    expect(direct?.nodes.map((n) => n.id)).toEqual(['a', 'd']);
    const long = await graph.shortestPath({ namespace: ns, from: 'a', to: 'd', edgeTypes: ['E'] });
    expect(long?.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(long?.edges.map((e) => `${e.fromId}${e.toId}`)).toEqual(['ab', 'bc', 'cd']);
    expect(await graph.shortestPath({ namespace: ns, from: 'a', to: 'd', edgeTypes: ['E'], maxDepth: 2 })).toBeNull();
    expect(await graph.shortestPath({ namespace: ns, from: 'd', to: 'a' })).toBeNull();
    const back = await graph.shortestPath({ namespace: ns, from: 'd', to: 'b', direction: 'in', edgeTypes: ['E'] });
    expect(back?.nodes.map((n) => n.id)).toEqual(['d', 'c', 'b']);
    expect(back?.edges.map((e) => `${e.fromId}${e.toId}`)).toEqual(['cd', 'bc']);
    expect(await graph.shortestPath({ namespace: ns, from: 'a', to: 'a' })).toEqual({ nodes: [await graph.getNode(ns, 'a')], edges: [] });
  });

  it('DFS with a depth limit still reaches every node within maxDepth hops', async () => {
    // a→b→c→d and a→c: a visited-set DFS would reach c at depth 2 via b first and never see d.
    await nodes('a', 'b', 'c', 'd');
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' });
    await graph.addEdge({ namespace: ns, fromId: 'b', edgeType: 'E', toId: 'c' });
    await graph.addEdge({ namespace: ns, fromId: 'c', edgeType: 'E', toId: 'd' });
    await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'F', toId: 'c' });
    const dfs = await graph.traverse({ namespace: ns, startNode: 'a', maxDepth: 2, order: 'dfs' });
    expect(dfs.map((n) => [n.id, n.depth, n.via?.fromId ?? null])).toEqual([
      ['a', 0, null],
      ['b', 1, 'a'],
      ['c', 1, 'a'],
      ['d', 2, 'c'],
    ]);
    const bfs = await graph.traverse({ namespace: ns, startNode: 'a', maxDepth: 2, order: 'bfs' });
    expect(bfs.map((n) => [n.id, n.depth])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
      ['d', 2],
    ]);
  });
});

describe('GraphStore on LevelDB', () => {
  it('keeps nodes and edges across a reopen', async () => {
    const factory = persistentFactory();
    try {
      let storage = await factory.open();
      let graph = new GraphStore(storage);
      await graph.addNode({ namespace: ns, nodeId: 'a', nodeType: 'T' });
      await graph.addNode({ namespace: ns, nodeId: 'b', nodeType: 'T' });
      await graph.addEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', properties: { w: 0.5 } });
      await storage.close();
      storage = await factory.open();
      graph = new GraphStore(storage);
      expect(await graph.getEdges({ namespace: ns, nodeId: 'b', direction: 'in' })).toEqual([
        { fromId: 'a', edgeType: 'E', toId: 'b', properties: { w: 0.5 } },
      ]);
      await storage.close();
    } finally {
      await factory.cleanup();
    }
  });
});

describe('dropNamespace', () => {
  it('removes every node and edge of one namespace and nothing of another', async () => {
    const { MemoryStorage } = await import('@sochdb/core');
    const { GraphStore } = await import('../src/index.js');
    const storage = await MemoryStorage.open();
    const graph = new GraphStore(storage);
    for (const ns of ['a', 'a\0b', 'b']) {
      await graph.addNode({ namespace: ns, nodeId: 'x', nodeType: 't' });
      await graph.addNode({ namespace: ns, nodeId: 'y', nodeType: 't' });
      await graph.addEdge({ namespace: ns, fromId: 'x', edgeType: 'E', toId: 'y' });
    }
    expect(await graph.dropNamespace('a')).toBe(4);
    expect(await graph.getNode('a', 'x')).toBeNull();
    expect(await graph.getNode('a\0b', 'x')).not.toBeNull();
    expect(await graph.getEdges({ namespace: 'b', nodeId: 'x', direction: 'out' })).toHaveLength(1);
    await storage.close();
  });
});
