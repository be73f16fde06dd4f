// addNodes / addEdges: the same graph as one-at-a-time calls, byte for byte, all or nothing.
import { keyRange, ValidationError, type Storage } from '@sochdb/core';
import { memoryFactory, persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphNodeNotFoundError, GraphStore, type AddEdgeOptions, type AddNodeOptions } from '../src/index.js';

/** Every key and value of the graph's keyspace, as hex, in key order. */
async function contents(storage: Storage): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of storage.iterator(keyRange(['g']))) out.push([k.toString('hex'), v.toString('hex')]);
  return out;
}

const nodeList: AddNodeOptions[] = [
  { namespace: 'a', nodeId: 'x', nodeType: 'T', properties: { n: 1 } },
  { namespace: 'a', nodeId: 'y', nodeType: 'T' },
  { namespace: 'a', nodeId: 'z\u0000', nodeType: 'U', properties: [1, 'two', null] },
  { namespace: 'b', nodeId: 'x', nodeType: 'T', properties: 'scalar' },
  // Replaced by a later item of the same batch: the last one wins, as with addNode calls.
  { namespace: 'a', nodeId: 'x', nodeType: 'T2', properties: { n: 2 } },
];
const edgeList: AddEdgeOptions[] = [
  { namespace: 'a', fromId: 'x', edgeType: 'E', toId: 'y', properties: { w: 1 } },
  { namespace: 'a', fromId: 'y', edgeType: 'E', toId: 'x' },
  { namespace: 'a', fromId: 'x', edgeType: 'F', toId: 'z\u0000', properties: null },
  { namespace: 'a', fromId: 'x', edgeType: 'E', toId: 'x' },
  { namespace: 'b', fromId: 'x', edgeType: 'E', toId: 'x', properties: [true] },
  { namespace: 'a', fromId: 'x', edgeType: 'E', toId: 'y', properties: { w: 2 } },
];

describe.each([
  ['level', persistentFactory],
  ['memory', memoryFactory],
] as const)('addNodes and addEdges (%s)', (_name, makeFactory) => {
  let factories: StorageFactory[];
  let storage: Storage;
  let graph: GraphStore;
  const open = async (): Promise<Storage> => {
    const factory = makeFactory();
    factories.push(factory);
    return factory.open({ syncMode: 'off' });
  };
  beforeEach(async () => {
    factories = [];
    storage = await open();
    graph = new GraphStore(storage);
  });
  afterEach(async () => {
    for (const f of factories) await f.cleanup();
  });

  it('writes exactly what addNode and addEdge calls in the same order write, and returns what they return', async () => {
    const single = await open();
    const one = new GraphStore(single);
    const singleNodes = [];
    for (const n of nodeList) singleNodes.push(await one.addNode(n));
    const singleEdges = [];
    for (const e of edgeList) singleEdges.push(await one.addEdge(e));

    expect(await graph.addNodes(nodeList)).toEqual(singleNodes);
    expect(await graph.addEdges(edgeList)).toEqual(singleEdges);
    const expected = await contents(single);
    expect(expected.length).toBeGreaterThan(10);
    expect(await contents(storage)).toEqual(expected);
    await single.close();
    await storage.close();
  });

  it('writes each batch in one commit', async () => {
    await graph.addNodes(nodeList);
    const before = await storage.latestLsn();
    await graph.addEdges(edgeList);
    expect(await storage.latestLsn()).toBe(before + 1n);
    await storage.close();
  });

  it('checks every item first: a bad one throws ValidationError naming it, and nothing is written', async () => {
    await graph.addNodes(nodeList);
    const before = await contents(storage);
    const lsn = await storage.latestLsn();
    const badEdges: [unknown[], string][] = [
      [[...edgeList.slice(0, 3), { ...edgeList[0], fromId: '' }], 'edges[3].fromId'],
      [[edgeList[0], { ...edgeList[1], namespace: 7 }], 'edges[1].namespace'],
      [[edgeList[0], { ...edgeList[1], edgeType: undefined }], 'edges[1].edgeType'],
      [[...edgeList, { ...edgeList[0], properties: { bad: () => 1 } }], `edges[${edgeList.length}].properties`],
      [[edgeList[0], null], 'edges[1]'],
      [[edgeList[0], 'x'], 'edges[1]'],
    ];
    for (const [edges, field] of badEdges) {
      const error = await graph.addEdges(edges as AddEdgeOptions[]).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field?.startsWith(field), `${field}: ${(error as Error).message}`).toBe(true);
    }
    const badNodes: [unknown[], string][] = [
      [[nodeList[0], { ...nodeList[1], nodeId: '' }], 'nodes[1].nodeId'],
      [[nodeList[0], nodeList[1], { ...nodeList[1], nodeType: 3 }], 'nodes[2].nodeType'],
      [[{ ...nodeList[0], properties: { n: NaN } }], 'nodes[0].properties'],
      [[undefined], 'nodes[0]'],
    ];
    for (const [nodes, field] of badNodes) {
      const error = await graph.addNodes(nodes as AddNodeOptions[]).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field?.startsWith(field), `${field}: ${(error as Error).message}`).toBe(true);
    }
    await expect(graph.addEdges('nope' as unknown as AddEdgeOptions[])).rejects.toMatchObject({ field: 'edges' });
    await expect(graph.addNodes({} as unknown as AddNodeOptions[])).rejects.toMatchObject({ field: 'nodes' });
    // A missing node: GraphNodeNotFoundError naming the item, and none of the batch written.
    const missing = await graph.addEdges([edgeList[0]!, { namespace: 'a', fromId: 'x', edgeType: 'E', toId: 'ghost' }]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GraphNodeNotFoundError);
    expect(missing).toMatchObject({ namespace: 'a', nodeId: 'ghost' });
    expect((missing as Error).message).toContain('edges[1].toId');
    expect(await contents(storage)).toEqual(before);
    expect(await storage.latestLsn()).toBe(lsn);
    await storage.close();
  });

  it('writes nothing for empty arrays', async () => {
    const lsn = await storage.latestLsn();
    expect(await graph.addNodes([])).toEqual([]);
    expect(await graph.addEdges([])).toEqual([]);
    expect(await storage.latestLsn()).toBe(lsn);
    await storage.close();
  });

  it("joins the caller's transaction: edges may use nodes added earlier in it, and an abort undoes all", async () => {
    await storage.transaction(async (txn) => {
      await graph.addNodes(nodeList, { txn });
      await graph.addEdges(edgeList, { txn });
      expect(await graph.getEdges({ namespace: 'a', nodeId: 'x' }, { txn })).toHaveLength(3);
      expect(await graph.getEdges({ namespace: 'a', nodeId: 'x' })).toEqual([]);
    });
    expect(await graph.getEdges({ namespace: 'a', nodeId: 'x' })).toHaveLength(3);
    const before = await contents(storage);
    await expect(
      storage.transaction(async (txn) => {
        await graph.addNodes([{ namespace: 'a', nodeId: 'new', nodeType: 'T' }], { txn });
        await graph.addEdges([{ namespace: 'a', fromId: 'new', edgeType: 'E', toId: 'x' }], { txn });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await contents(storage)).toEqual(before);
    await storage.close();
  });
});
