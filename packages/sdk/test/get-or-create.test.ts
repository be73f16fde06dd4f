// Get-or-create for namespaces and collections (Chroma's get_or_create, LanceDB's exist_ok): a
// program that runs twice, or several at once, finds what the first made instead of failing.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CollectionConfigError, CollectionExistsError, Database, NamespaceExistsError } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
beforeEach(async () => {
  dir = makeTempDir('sochdb-goc-');
  db = await Database.open(join(dir.path, 'db'));
});
afterEach(async () => {
  await db.close();
  dir.cleanup();
});

describe('namespaces', () => {
  it('getOrCreateNamespace and createNamespace({ existOk }) open the one that exists, keeping its settings', async () => {
    const first = await db.getOrCreateNamespace({ name: 'acme', displayName: 'Acme' });
    const again = await db.getOrCreateNamespace('acme');
    const viaFlag = await db.createNamespace({ name: 'acme', displayName: 'Other', existOk: true });
    expect([first.info, again.info, viaFlag.info].map((i) => i.displayName)).toEqual(['Acme', 'Acme', 'Acme']);
    expect(again.info.createdAt).toBe(first.info.createdAt);
    await expect(db.createNamespace('acme')).rejects.toBeInstanceOf(NamespaceExistsError);
    expect((await db.listNamespaces()).map((n) => n.name)).toEqual(['acme']);
  });

  it('many at once all get the same namespace', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => db.getOrCreateNamespace('race')));
    expect(new Set(all.map((ns) => ns.info.createdAt)).size).toBe(1);
  });
});

describe('collections', () => {
  it('pass vectorCacheMB to the collection they open or create', async () => {
    const ns = await db.getOrCreateNamespace('n');
    const made = await ns.createCollection({ name: 'made', dimension: 2, vectorCacheMB: 2 });
    expect((await made.stats()).vectorCache.maxBytes).toBe(2 * 2 ** 20);
    await ns.createCollection({ name: 'opened', dimension: 2 });
    await db.close();
    db = await Database.open(join(dir.path, 'db'));
    const opened = await (await db.namespace('n')).collection('opened', { vectorCacheMB: 0 });
    expect((await opened.stats()).vectorCache.maxBytes).toBe(0);
    const existing = await (await db.namespace('n')).getOrCreateCollection('made', { dimension: 2, vectorCacheMB: 1 });
    expect((await existing.stats()).vectorCache.maxBytes).toBe(2 ** 20);
  });

  it('getOrCreateCollection creates once, then opens the same collection with its data', async () => {
    const ns = await db.getOrCreateNamespace('n');
    const docs = await ns.getOrCreateCollection('docs', { dimension: 2 });
    await docs.insert({ id: 'a', vector: [1, 0], content: 'hello' });
    const again = await ns.getOrCreateCollection('docs', { dimension: 2, metric: 'cosine' });
    expect(await again.count()).toBe(1);
    expect(again).toBe(docs); // one object per collection
    const viaFlag = await ns.createCollection({ name: 'docs', existOk: true });
    expect((await viaFlag.vectorSearch([1, 0], 1)).map((r) => r.id)).toEqual(['a']);
    await expect(ns.createCollection({ name: 'docs', dimension: 2 })).rejects.toBeInstanceOf(CollectionExistsError);
  });

  it('refuses to open an existing collection under other settings', async () => {
    const ns = await db.getOrCreateNamespace('n');
    await ns.getOrCreateCollection('docs', { dimension: 2 });
    await expect(ns.getOrCreateCollection('docs', { dimension: 3 })).rejects.toMatchObject({
      name: 'CollectionConfigError',
      code: 4003,
      message: expect.stringMatching(/dimension 2, not 3/),
    });
    await expect(ns.getOrCreateCollection('docs', { metric: 'euclidean' })).rejects.toBeInstanceOf(CollectionConfigError);
  });

  it('survives a reopen: a program run twice finds what the first run made', async () => {
    await (await (await db.getOrCreateNamespace('n')).getOrCreateCollection('docs', { dimension: 2 })).insert({ id: 'a', vector: [0, 1] });
    await db.close();
    db = await Database.open(join(dir.path, 'db'));
    const docs = await (await db.getOrCreateNamespace('n')).getOrCreateCollection('docs', { dimension: 2 });
    expect(await docs.count()).toBe(1);
  });

  it('many at once in one process get one collection', async () => {
    const ns = await db.getOrCreateNamespace('n');
    const all = await Promise.all(Array.from({ length: 8 }, () => ns.getOrCreateCollection('race', { dimension: 2 })));
    expect(new Set(all).size).toBe(1);
  });
});
