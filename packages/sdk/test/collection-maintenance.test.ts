// The SDK's collections are @sochdb/vector's: an embedding function given through a namespace
// reaches the one shared collection object, and maintenance methods work through the Database.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, type EmbeddingFunction } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
beforeEach(async () => {
  dir = makeTempDir('sochdb-sdk-maintain-');
  db = await Database.open(join(dir.path, 'db'));
});
afterEach(async () => {
  await db.close();
  dir.cleanup();
});

// Two dimensions: how many times the text says "cat", and "dog".
const embed: EmbeddingFunction = (texts) => texts.map((t) => [(t.match(/cat/g) ?? []).length + 0.1, (t.match(/dog/g) ?? []).length + 0.1]);

describe('collections through a Database', () => {
  it('embed given on create, on get-or-create and on collection() reaches the shared object', async () => {
    const ns = await db.createNamespace('app');
    const docs = await ns.createCollection({ name: 'pets', dimension: 2, metric: 'euclidean', embed });
    await docs.insert({ id: 'c', content: 'cat cat cat' });
    await docs.insert({ id: 'd', content: 'dog dog dog' });
    expect((await docs.search({ text: 'dog dog dog', k: 1 }))[0]?.id).toBe('d');

    docs.useEmbedding(undefined);
    const again = await ns.getOrCreateCollection('pets', { embed });
    expect(again).toBe(docs);
    expect(docs.embedding).toBe(embed);
    const viaOpen = await ns.collection('pets');
    expect(viaOpen.embedding).toBe(embed); // kept when none is given

    expect(await docs.update('c', { metadata: { kind: 'cat' } })).toBe(true);
    expect((await docs.get({ filter: { kind: 'cat' } })).map((d) => d.id)).toEqual(['c']);
    expect(await docs.delete({ filter: { kind: 'cat' } })).toBe(1);
    expect((await docs.peek()).map((d) => d.id)).toEqual(['d']);
    await docs.reindex({ m: 8 });
    expect((await ns.listCollections())[0]).toMatchObject({ name: 'pets', m: 8 });
  });
});

describe('db.stats()', () => {
  it('carries the document count of each open collection and the task counts of each queue opened', async () => {
    const ns = await db.createNamespace('app');
    const docs = await ns.createCollection({ name: 'docs', dimension: 2, metric: 'euclidean' });
    await docs.insertBatch({
      vectors: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    });
    const gone = await ns.createCollection({ name: 'gone', dimension: 2 });
    const jobs = db.queue('jobs');
    await jobs.enqueueBatch([
      { priority: 0, payload: 'a' },
      { priority: 1, payload: 'b' },
    ]);
    await jobs.dequeue({ workerId: 'w' });
    await ns.deleteCollection('gone'); // dropped: no longer listed
    expect(gone.closed).toBe(true); // its object is closed with it

    const stats = await db.stats();
    expect(stats.collections).toEqual([{ namespace: 'app', name: 'docs', documents: 3 }]);
    expect(stats.queues).toEqual([{ name: 'jobs', pending: 1, delayed: 0, claimed: 1, completed: 0, deadLettered: 0, total: 2 }]);
    expect(stats.transactionsCommitted).toBeGreaterThan(0);
  });
});
