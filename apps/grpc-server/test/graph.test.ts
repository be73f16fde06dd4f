import { status as Status } from '@grpc/grpc-js';
import { GraphNodeNotFoundError, NotFoundError, TemporalOverlapError, ValidationError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUnary, rejection, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
const namespace = 'agent';
beforeAll(async () => {
  t = await startTestServer();
  for (const [id, type] of [
    ['alice', 'User'],
    ['bob', 'User'],
    ['carol', 'User'],
    ['acme', 'Company'],
  ] as const) {
    await t.client.addGraphNode({ namespace, nodeId: id, nodeType: type, properties: { name: id } });
  }
  await t.client.addGraphEdge({ namespace, fromId: 'alice', edgeType: 'KNOWS', toId: 'bob', properties: { since: 2020 } });
  await t.client.addGraphEdge({ namespace, fromId: 'bob', edgeType: 'KNOWS', toId: 'carol' });
  await t.client.addGraphEdge({ namespace, fromId: 'alice', edgeType: 'WORKS_AT', toId: 'acme' });
});
afterAll(() => t.stop());

describe('GraphService', () => {
  it('adds and gets nodes; a missing node is null', async () => {
    expect(await t.client.getGraphNode(namespace, 'alice')).toEqual({ id: 'alice', type: 'User', properties: { name: 'alice' } });
    expect(await t.client.getGraphNode(namespace, 'nobody')).toBeNull();
    expect(await t.client.getGraphNode('other_ns', 'alice')).toBeNull();
  });

  it('lists edges and neighbors by direction and type', async () => {
    const out = await t.client.getGraphEdges({ namespace, nodeId: 'alice' });
    expect(out.map((e) => `${e.edgeType}:${e.toId}`).sort()).toEqual(['KNOWS:bob', 'WORKS_AT:acme']);
    expect(out.find((e) => e.toId === 'bob')!.properties).toEqual({ since: 2020 });
    const incoming = await t.client.neighbors({ namespace, nodeId: 'bob', direction: 'in' });
    expect(incoming).toEqual([
      { node: { id: 'alice', type: 'User', properties: { name: 'alice' } }, edge: out.find((e) => e.toId === 'bob'), direction: 'in' },
    ]);
    expect((await t.client.neighbors({ namespace, nodeId: 'alice', edgeType: 'WORKS_AT' })).map((n) => n.node.id)).toEqual(['acme']);
  });

  it('traverses breadth-first with depths and finds shortest paths', async () => {
    const nodes = await t.client.traverse({ namespace, startNode: 'alice', maxDepth: 2, order: 'bfs', edgeTypes: ['KNOWS'] });
    expect(nodes.map((n) => [n.id, n.depth])).toEqual([
      ['alice', 0],
      ['bob', 1],
      ['carol', 2],
    ]);
    expect(nodes[0]!.via).toBeNull();
    expect(nodes[1]!.via).toMatchObject({ fromId: 'alice', toId: 'bob' });
    expect((await t.client.traverse({ namespace, startNode: 'alice', maxDepth: 0 })).map((n) => n.id)).toEqual(['alice']);

    const path = await t.client.shortestPath({ namespace, from: 'alice', to: 'carol' });
    expect(path!.nodes.map((n) => n.id)).toEqual(['alice', 'bob', 'carol']);
    expect(path!.edges).toHaveLength(2);
    expect(await t.client.shortestPath({ namespace, from: 'carol', to: 'alice' })).toBeNull();
  });

  it('deletes edges and nodes, saying whether they existed', async () => {
    await t.client.addGraphNode({ namespace, nodeId: 'temp', nodeType: 'T' });
    await t.client.addGraphEdge({ namespace, fromId: 'temp', edgeType: 'X', toId: 'alice' });
    expect(await t.client.deleteGraphEdge({ namespace, fromId: 'temp', edgeType: 'X', toId: 'alice' })).toBe(true);
    expect(await t.client.deleteGraphEdge({ namespace, fromId: 'temp', edgeType: 'X', toId: 'alice' })).toBe(false);
    expect(await t.client.deleteGraphNode(namespace, 'temp')).toBe(true);
    expect(await t.client.deleteGraphNode(namespace, 'temp')).toBe(false);
  });

  it('reports an edge to a missing node as GraphNodeNotFoundError (NOT_FOUND) with its data', async () => {
    const error = await rejection(t.client.addGraphEdge({ namespace, fromId: 'alice', edgeType: 'KNOWS', toId: 'ghost' }));
    expect(error).toBeInstanceOf(GraphNodeNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 8001, nodeId: 'ghost', namespace });
    const raw = await rawUnary(t.server, 'GraphService/AddEdge', { namespace, fromId: 'alice', edgeType: 'KNOWS', toId: 'ghost' });
    expect(raw.code).toBe(Status.NOT_FOUND);
  });

  it('refuses bad input: unknown direction, non-JSON properties, bad depth', async () => {
    expect(await rejection(t.client.neighbors({ namespace, nodeId: 'alice', direction: 'sideways' as 'in' }))).toBeInstanceOf(ValidationError);
    expect(await rejection(t.client.addGraphNode({ namespace, nodeId: 'n', nodeType: 'T', properties: { big: 1n } as never }))).toBeInstanceOf(ValidationError);
    expect(await rejection(t.client.traverse({ namespace, startNode: 'alice', maxDepth: -1 }))).toMatchObject({ code: 6000, field: 'maxDepth' });
    expect((await rawUnary(t.server, 'GraphService/AddNode', { namespace, nodeId: 'n', nodeType: 'T', propertiesJson: '{oops' })).code).toBe(
      Status.INVALID_ARGUMENT,
    );
  });
});

describe('GraphService: temporal edges', () => {
  it('answers point-in-time, range and current queries over [validFrom, validUntil)', async () => {
    const ns = 'time';
    await t.client.addTemporalEdge({
      namespace: ns,
      fromId: 'door',
      edgeType: 'STATE',
      toId: 'open',
      validFrom: 1000,
      validUntil: 2000,
      properties: { by: 'a' },
    });
    await t.client.addTemporalEdge({ namespace: ns, fromId: 'door', edgeType: 'STATE', toId: 'closed', validFrom: 2000 });
    const at = async (timestamp: number) =>
      (await t.client.queryTemporalGraph({ namespace: ns, node: 'door', mode: 'point_in_time', timestamp })).map((e) => e.toId);
    expect(await at(1500)).toEqual(['open']);
    expect(await at(2000)).toEqual(['closed']);
    expect(await at(500)).toEqual([]);
    const range = await t.client.queryTemporalGraph({ namespace: ns, node: 'door', mode: 'range', startTime: 1500, endTime: 2500 });
    expect(range.map((e) => e.toId).sort()).toEqual(['closed', 'open']);
    expect(range.find((e) => e.toId === 'open')).toMatchObject({ validFrom: 1000, validUntil: 2000, properties: { by: 'a' } });
    expect((await t.client.queryTemporalGraph({ namespace: ns, node: 'door', mode: 'current' })).map((e) => e.toId)).toEqual(['closed']);

    const ended = await t.client.endTemporalEdge({ namespace: ns, fromId: 'door', edgeType: 'STATE', toId: 'closed', at: 3000 });
    expect(ended.validUntil).toBe(3000);
    expect(await at(3000)).toEqual([]);
  });

  it('refuses an overlapping version (FAILED_PRECONDITION) and a bad mode or time', async () => {
    await t.client.addTemporalEdge({ namespace: 'time2', fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 0, validUntil: 100 });
    const overlap = await rejection(t.client.addTemporalEdge({ namespace: 'time2', fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 50, validUntil: 150 }));
    expect(overlap).toBeInstanceOf(TemporalOverlapError);
    expect(overlap).toMatchObject({ code: 8102, existingValidFrom: 0, existingValidUntil: 100 });
    const raw = await rawUnary(t.server, 'GraphService/AddTemporalEdge', {
      namespace: 'time2',
      fromId: 'a',
      edgeType: 'E',
      toId: 'b',
      validFrom: 50,
      validUntil: 150,
    });
    expect(raw.code).toBe(Status.FAILED_PRECONDITION);
    expect(await rejection(t.client.queryTemporalGraph({ namespace: 'time2', node: 'a', mode: 'yesterday' } as never))).toBeInstanceOf(ValidationError);
    expect(await rejection(t.client.queryTemporalGraph({ namespace: 'time2', node: 'a', mode: 'point_in_time', timestamp: 1.5 }))).toMatchObject({
      field: 'timestamp',
    });
    expect((await rawUnary(t.server, 'GraphService/QueryTemporalGraph', { namespace: 'time2', node: 'a' })).code).toBe(Status.INVALID_ARGUMENT);
  });
});
