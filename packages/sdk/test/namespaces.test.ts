// Namespaces: lifecycle, validation, and isolation that no API and no crafted id can cross.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CollectionExistsError,
  CollectionNotFoundError,
  Database,
  GraphNodeNotFoundError,
  InvalidNamespaceNameError,
  NamespaceExistsError,
  NamespaceNotFoundError,
} from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';
import { keyRange } from '@sochdb/core';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
beforeEach(async () => {
  dir = makeTempDir('sochdb-ns-');
  db = await Database.open(join(dir.path, 'db'));
});
afterEach(async () => {
  await db.close();
  dir.cleanup();
});

describe('namespaces', () => {
  it('creates, opens, lists and deletes, with typed errors', async () => {
    const ns = await db.createNamespace({ name: 'tenant_123', displayName: 'Acme Corp', labels: { tier: 'enterprise' } });
    expect(ns.info).toMatchObject({ name: 'tenant_123', displayName: 'Acme Corp', labels: { tier: 'enterprise' } });
    await expect(db.createNamespace('tenant_123')).rejects.toBeInstanceOf(NamespaceExistsError);
    await expect(db.namespace('tenant_999')).rejects.toBeInstanceOf(NamespaceNotFoundError);
    await db.createNamespace('tenant_999');
    expect((await db.listNamespaces()).map((n) => n.name)).toEqual(['tenant_123', 'tenant_999']);
    for (const bad of ['', 'a/b', 'x\0y', '../up', ' lead', 'a'.repeat(129)]) {
      await expect(db.createNamespace(bad), JSON.stringify(bad)).rejects.toBeInstanceOf(InvalidNamespaceNameError);
    }
    await db.deleteNamespace('tenant_999');
    await expect(db.namespace('tenant_999')).rejects.toBeInstanceOf(NamespaceNotFoundError);
    await expect(db.deleteNamespace('tenant_999')).rejects.toBeInstanceOf(NamespaceNotFoundError);
  });

  it('collections: create (config or name), open, list, delete, typed errors', async () => {
    const ns = await db.createNamespace('t');
    await ns.createCollection({ name: 'documents', dimension: 3, metric: 'cosine' });
    await ns.createCollection('embeddings', { dimension: 2 });
    await expect(ns.createCollection('embeddings', { dimension: 2 })).rejects.toBeInstanceOf(CollectionExistsError);
    await expect(ns.collection('nope')).rejects.toBeInstanceOf(CollectionNotFoundError);
    expect((await ns.listCollections()).map((c) => c.name).sort()).toEqual(['documents', 'embeddings']);
    const a = await ns.collection('documents');
    const b = await ns.collection('documents');
    expect(a).toBe(b); // one in-memory index per collection
    await ns.deleteCollection('embeddings');
    await expect(ns.collection('embeddings')).rejects.toBeInstanceOf(CollectionNotFoundError);
  });

  it('no API given namespace A returns data of namespace B, whatever the ids contain', async () => {
    const a = await db.createNamespace('a');
    const b = await db.createNamespace('b');
    const crafted = ['x', 'x/y', 'x\0y', "'; DROP", '\u00ff\u0000', 'b', 'a'];
    const colA = await a.createCollection({ name: 'docs', dimension: 2 });
    const colB = await b.createCollection({ name: 'docs', dimension: 2 });
    for (const id of crafted) {
      await b.put(id, `B:${id}`);
      await colB.insert({ id, vector: [1, 1], content: `secret ${id}`, metadata: { owner: 'b' } });
      await db.graphAddNode({ namespace: 'b', nodeId: id, nodeType: 'secret' });
    }
    for (const id of crafted) await db.graphAddEdge({ namespace: 'b', fromId: id, edgeType: 'E', toId: 'b' });
    await a.put('own', 'A');
    await colA.insert({ id: 'own', vector: [1, 0], content: 'mine' });

    for (const id of crafted) {
      expect(await a.get(id)).toBeNull();
      expect(await colA.get(id)).toBeNull();
      expect(await db.graphGetNode('a', id)).toBeNull();
    }
    const kvKeys: string[] = [];
    for await (const [k] of a.scanPrefix('')) kvKeys.push(k.toString());
    expect(kvKeys).toEqual(['own']);
    expect((await colA.vectorSearch([1, 1], 50)).map((r) => r.id)).toEqual(['own']);
    expect((await colA.keywordSearch('secret', 50)).map((r) => r.id)).toEqual([]);
    expect(await colA.count()).toBe(1);
    await expect(db.graphNeighbors({ namespace: 'a', nodeId: 'b', direction: 'both' })).rejects.toBeInstanceOf(GraphNodeNotFoundError);

    // Deleting B removes all of B and nothing of A.
    await db.deleteNamespace('b');
    expect((await db.namespace('a')).name).toBe('a');
    expect((await a.get('own'))?.toString()).toBe('A');
    expect(await colA.count()).toBe(1);
    const b2 = await db.createNamespace('b');
    expect(await b2.get('x')).toBeNull();
    expect(await b2.listCollections()).toEqual([]);
    expect(await db.graphGetNode('b', 'x')).toBeNull();
  });

  it("a namespace has the Database's whole KV API (paths, scans, query), confined to its keys", async () => {
    const a = await db.createNamespace('a');
    const b = await db.createNamespace('b');
    for (const ns of [a, b]) {
      await ns.putPath(['users', '1'], `{"name":"${ns.name}1","age":30}`);
      await ns.putPath('users/2', `{"name":"${ns.name}2","age":20}`);
    }
    await db.putPath('users/3', '{"name":"root","age":40}');
    expect((await a.getPath('users/1'))?.toString()).toBe('{"name":"a1","age":30}');
    const keys = async (scan: AsyncIterable<readonly [Buffer, Buffer]>) => {
      const out: string[] = [];
      for await (const [k] of scan) out.push(k.toString());
      return out;
    };
    const all = await keys(a.scan(''));
    expect(all).toHaveLength(2);
    expect(await keys(a.scanBatched('', undefined, { batchSize: 1 }))).toEqual(all);
    expect(await keys(b.scan(''))).toHaveLength(2);
    expect(all).toEqual(['users/1', 'users/2']);
    expect(
      await a
        .query('users/')
        .select(['name'])
        .where({ age: { $gt: 25 } })
        .toRecords(),
    ).toEqual([{ name: 'a1' }]);
    await a.deletePath(['users', '1']);
    expect(await a.getPath('users/1')).toBeNull();
    expect((await b.getPath('users/1'))?.toString()).toBe('{"name":"b1","age":30}');
    expect((await db.getPath('users/3'))?.toString()).toBe('{"name":"root","age":40}');
  });
});

describe('deleting frees the open collection objects', () => {
  const vecKeys = async (namespace: string) => {
    let n = 0;
    for await (const _ of db.storage.iterator(keyRange(['vec', namespace]))) n++;
    return n;
  };

  it('deleteCollection and deleteNamespace close the objects they drop, and save no graph back', async () => {
    const ns = await db.createNamespace('tenant');
    const docs = await ns.createCollection({ name: 'docs', dimension: 2 });
    const notes = await ns.createCollection({ name: 'notes', dimension: 2 });
    await docs.insert({ id: 'a', vector: [1, 0] });
    await notes.insert({ id: 'b', vector: [0, 1] });
    await ns.deleteCollection('docs');
    expect(docs.closed).toBe(true);
    expect(notes.closed).toBe(false);
    await db.deleteNamespace('tenant');
    expect(notes.closed).toBe(true);
    // Closing after the drop wrote nothing back (a save would leave unreachable graph keys).
    expect(await vecKeys('tenant')).toBe(0);
    await db.close();
    db = await Database.open(join(dir.path, 'db'));
    expect(await vecKeys('tenant')).toBe(0);
  });
});
