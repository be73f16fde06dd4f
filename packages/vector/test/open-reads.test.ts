import { keyRange, ValidationError, type Range, type Storage, type WriteOp } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collection } from '../src/index.js';
import { CollectionKeys } from '../src/collection/collection-keys.js';
import { lastPart } from '../src/collection/saved-graph.js';
import { restoreWithoutVectors, VectorIndex } from '../src/hnsw/vector-index.js';
import { clustered } from './helpers.js';

// What opening a collection reads (issue 25: open cost independent of the text and vector bytes
// beyond the saved graph), and that exact scans, which now read vectors from storage instead of
// a copy in memory, answer as a brute-force scan does.

let factory: StorageFactory;
let storage: Storage;
const ref = { namespace: 'n', name: 'docs' } as const;
const keys = new CollectionKeys(ref.namespace, ref.name);
const data = clustered(300, 8, 4, 7);

beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  const c = await Collection.create(storage, { ...ref, dimension: 8, metric: 'euclidean' });
  await c.insertBatch({
    ids: data.map((_, i) => `d${i}`),
    vectors: data,
    contents: data.map((_, i) => `text number ${i} ${'lorem '.repeat(i % 7)}`),
    metadatas: data.map((_, i) => ({ bucket: i % 10 })),
  });
  await c.close(); // saves the graph
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

/** The saved graph's bytes with the documents' vectors spliced back, as one piece. */
async function graphWithVectors(vectors: AsyncIterable<readonly [string, Float32Array]> | Iterable<readonly [string, Float32Array]>): Promise<Buffer[]> {
  const meta = JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as { chunks: number };
  const chunks: Buffer[] = [];
  for (let i = 0; i < meta.chunks; i++) chunks.push((await storage.get(keys.graphChunk(i)))!);
  const list: (readonly [string, Float32Array])[] = [];
  for await (const entry of vectors) list.push(entry);
  const byId = new Map(list);
  const index = await restoreWithoutVectors(
    chunks,
    async (ids) =>
      ids.map((id) => {
        const v = byId.get(id);
        return v && new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      }),
    { keepVectors: false },
  );
  const bytes = index!.toBufferSync();
  index!.close();
  return [bytes];
}

/** Whether a key (hex) is one of the saved graph's ('g'). */
function isGraphKey(hex: string): boolean {
  return hex.startsWith(keyRange(['vec', 'n', 'd', 'docs', 'g']).gte.toString('hex'));
}

/** The kinds of document keys (v, m, t, p, q, s, l, g) whose ranges `fn` iterates. */
async function rangesRead(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(storage, 'iterator');
  // And through snapshots (keyword queries read at one).
  const snapshotRanges: Range[] = [];
  const snapshot = storage.snapshot.bind(storage);
  const snapshots = vi.spyOn(storage, 'snapshot').mockImplementation(() => {
    const taken = snapshot();
    const iterator = taken.iterator.bind(taken);
    taken.iterator = (range) => {
      snapshotRanges.push(range!);
      return iterator(range);
    };
    // Point reads through a snapshot count as reads of their key's kind (as a one-key range).
    const getMany = taken.getMany.bind(taken);
    taken.getMany = (keys) => {
      for (const key of keys) snapshotRanges.push({ gte: Buffer.from(key as Uint8Array) });
      return getMany(keys);
    };
    const getSync = taken.getSync;
    if (getSync) {
      (taken as { getSync: typeof getSync }).getSync = (key) => {
        snapshotRanges.push({ gte: Buffer.from(key as Uint8Array) });
        return getSync(key);
      };
    }
    return taken;
  });
  try {
    await fn();
    const kinds = [...spy.mock.calls.map(([range]) => range), ...snapshotRanges].map((range) => {
      for (const kind of ['v', 'm', 't', 'p', 'q', 's', 'l', 'g'] as const) {
        // A kind's whole range, or a range or key within it.
        const prefix = keyRange(['vec', 'n', 'd', 'docs', kind]).gte;
        if (
          Buffer.from((range as Range).gte as Buffer)
            .subarray(0, prefix.length)
            .equals(prefix)
        )
          return kind;
      }
      return 'other';
    });
    return [...new Set(kinds)].sort();
  } finally {
    spy.mockRestore();
    snapshots.mockRestore();
  }
}

describe('opening a collection', () => {
  it('reads segment headers and the saved graph, no record, no text, no postings, and no vector: the graph comes from its graph file', async () => {
    const hasFile = existsSync(join(storage.location, 'sochdb-graphs'));
    let c: Collection | undefined;
    const byId = vi.spyOn(storage, 'getMany');
    // 'p': whether postings of earlier versions wait for conversion (one key at most); 's': the
    // postings segments' headers. Postings ('q') are read by keyword queries, for their terms only.
    // No record ('m'): nothing was committed since the save, so its documents' table stands for them.
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    const read = byId.mock.calls.flatMap(([ks]) => ks.map((k) => Buffer.from(k as Uint8Array).toString('hex'))).filter((k) => !isGraphKey(k));
    // Without a graph file (a storage without a folder), each vector once, into the saved graph
    // restored from storage. (Besides, the saved graph's per-label hashes and documents' table.)
    expect(read.sort()).toEqual(hasFile ? [] : data.map((_, i) => keys.vector(`d${i}`).toString('hex')).sort());
    byId.mockRestore();
    expect(await c!.count()).toBe(300);
    expect(await rangesRead(async () => expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42'))).toEqual(['q']);
    await c!.close();
  });

  it('without its graph file, reads each vector once (by id, into the saved graph restored from storage), and the close writes the file again', async () => {
    const folder = join(storage.location, 'sochdb-graphs');
    const hadFile = existsSync(folder);
    rmSync(folder, { recursive: true, force: true });
    const byId = vi.spyOn(storage, 'getMany');
    const c = await Collection.open(storage, ref);
    const read = byId.mock.calls.flatMap(([ks]) => ks.map((k) => Buffer.from(k as Uint8Array).toString('hex'))).filter((k) => !isGraphKey(k));
    expect(read.sort()).toEqual(data.map((_, i) => keys.vector(`d${i}`).toString('hex')).sort());
    byId.mockRestore();
    expect((await c.vectorSearch(data[42]!, 1))[0]?.id).toBe('d42');
    await c.close();
    expect(existsSync(folder)).toBe(hadFile);
  });

  it("reads a filtered field's metadata from the records on the filter's first use only", async () => {
    const c = await Collection.open(storage, ref);
    const query = data[3]!;
    const expected = async (bucket: number) => (await c.get({ filter: { bucket } })).map((d) => d.id);
    // The first filter on `bucket` fills its column from the records ('m'); the next ones read none.
    expect(await rangesRead(() => c.vectorSearch(query, 5, { filter: { bucket: 3 } }))).toEqual(['m']);
    expect(await rangesRead(() => c.vectorSearch(query, 5, { filter: { bucket: { $in: [1, 2] } } }))).toEqual([]);
    const hits = await c.vectorSearch(query, 30, { filter: { bucket: 3 }, filterStrategy: 'exact' });
    expect(hits.map((h) => h.id).sort()).toEqual((await expected(3)).sort());
    // Writes after the column was filled are in it: a document moved to bucket 3, one deleted.
    await c.update('d4', { metadata: { bucket: 3 } });
    await c.delete('d13');
    const after = await c.vectorSearch(query, 30, { filter: { bucket: 3 }, filterStrategy: 'exact' });
    expect(after.map((h) => h.id).sort()).toEqual((await expected(3)).sort());
    expect(after.map((h) => h.id)).toContain('d4');
    // Keyword search filters by the same columns.
    expect(await rangesRead(() => c.keywordSearch('number', 50, { filter: { bucket: 4 } }))).toEqual(['q']);
    // 29: d4 left bucket 4.
    expect((await c.keywordSearch('number', 50, { filter: { bucket: 4 } })).map((h) => h.metadata)).toEqual(Array(29).fill({ bucket: 4 }));
    await c.close();
  });

  it("follows another writer's documents from their records and vectors, reading none of their text", async () => {
    const follower = await Collection.open(storage, ref);
    const writer = await Collection.open(storage, ref);
    const fresh = clustered(40, 8, 4, 11);
    await writer.insertBatch({
      ids: fresh.map((_, i) => `w${i}`),
      vectors: fresh,
      contents: fresh.map((_, i) => `written elsewhere ${i} ${'ipsum '.repeat(i % 5)}`),
    });
    await writer.delete('d7');
    // count() follows the commit feed: the new records and vectors, and the write's segment headers.
    expect(await rangesRead(async () => expect(await follower.count()).toBe(339))).toEqual(['m', 's', 'v']);
    const reopened = await Collection.open(storage, ref);
    for (const query of ['ipsum elsewhere', 'lorem number 3', 'written 12']) {
      expect(await follower.keywordSearch(query, 10)).toEqual(await reopened.keywordSearch(query, 10));
    }
    expect((await follower.vectorSearch(fresh[5]!, 1))[0]?.id).toBe('w5');
    await Promise.all([follower.close(), writer.close(), reopened.close()]);
  });

  it("stores each vector once: the saved graph holds none of the documents' vectors", async () => {
    const meta = JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as { chunks: number; vectors?: string };
    expect(meta.vectors).toBe('records');
    let saved = 0;
    for (let i = 0; i < meta.chunks; i++) saved += (await storage.get(keys.graphChunk(i)))!.length;
    const vectors = (async function* () {
      for await (const [key, value] of storage.iterator(keys.range('v'))) {
        yield [lastPart(key), new Float32Array(new Uint8Array(value).buffer)] as const;
      }
    })();
    const index = await VectorIndex.fromChunks(await graphWithVectors(vectors));
    // The same graph with its vectors is larger by exactly the vectors (and the empty free-slot count).
    expect(index.toBufferSync().length - saved).toBe(300 * 8 * 4 - 4);
    index.close();
  });

  it('opens a graph saved with its vectors (by an earlier version) without reading any vector', async () => {
    // Rewrite the saved graph as earlier versions stored it: hnswlib's file whole, vectors inside.
    const vectors: (readonly [string, Float32Array])[] = [];
    for await (const [key, value] of storage.iterator(keys.range('v'))) vectors.push([lastPart(key), new Float32Array(new Uint8Array(value).buffer)]);
    const bytes = (await VectorIndex.fromChunks(await graphWithVectors(vectors))).toBufferSync();
    const meta = JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as { digest: string; count: number; chunks: number };
    const ops: WriteOp[] = [];
    for (let i = 0; i < meta.chunks; i++) ops.push({ type: 'del', key: keys.graphChunk(i) });
    ops.push({ type: 'put', key: keys.graphChunk(0), value: bytes });
    ops.push({ type: 'put', key: keys.graphMeta(), value: JSON.stringify({ digest: meta.digest, count: meta.count, chunks: 1 }) });
    await storage.batch(ops);
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    let c: Collection | undefined;
    // Storages without synchronous reads (PostgreSQL here) keep the graph's copy of the vectors,
    // which the open fills from the vector records.
    const expected = storage.supports.getSync ? ['m', 'p', 's'] : ['m', 'p', 's', 'v'];
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(expected);
    expect(inserts).not.toHaveBeenCalled();
    expect((await c!.vectorSearch(data[42]!, 1))[0]?.id).toBe('d42');
    // Its next save stores the graph without them.
    await c!.insert({ id: 'late', vector: data[0]!, content: 'late' });
    await c!.close();
    expect(JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8'))).toMatchObject({ vectors: 'records' });
    inserts.mockRestore();
  });

  it('reads the vectors to check the saved graph when the records predate their hashes', async () => {
    for await (const [key, value] of storage.iterator(keys.range('m'))) {
      const { hash: _, ...record } = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
      await storage.put(key, JSON.stringify(record));
    }
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['m', 'p', 's', 'v']);
    expect(await c!.count()).toBe(300);
    await c!.close();
  });

  it('answers exact filtered scans from the stored vectors as a brute-force scan does', async () => {
    const c = await Collection.open(storage, ref);
    const query = data[17]!;
    const distance = (v: Float32Array) => Math.sqrt(v.reduce((s, x, i) => s + (x - query[i]!) ** 2, 0));
    const expected = data
      .map((v, i) => [distance(v), `d${i}`] as const)
      .filter(([, id]) => Number(id.slice(1)) % 10 === 3)
      .sort((a, b) => a[0] - b[0])
      .slice(0, 5)
      .map(([, id]) => id);
    const reads = vi.spyOn(storage, 'getSync');
    const hits = await c.vectorSearch(query, 5, { filter: { bucket: 3 }, filterStrategy: 'exact' });
    expect(hits.map((h) => h.id)).toEqual(expected);
    // The 30 matching vectors came from storage (the graph keeps no copies), plus the hits' records;
    // without synchronous reads the graph keeps its copies and scans those.
    if (storage.supports.getSync) expect(reads.mock.calls.length).toBeGreaterThanOrEqual(30);
    reads.mockRestore();
    await c.close();
  });

  it('keeps scanned vectors in a bounded LRU cache, in stats(), dropped when a write replaces them', async (context) => {
    // Only where the graph keeps no copies: storages with synchronous reads.
    if (!storage.supports.getSync) return context.skip();
    const c = await Collection.open(storage, ref);
    const query = data[5]!;
    const exact = { filter: { bucket: 3 }, filterStrategy: 'exact' } as const;
    const first = await c.vectorSearch(query, 5, exact);
    expect((await c.stats()).vectorCache).toMatchObject({ entries: 30, misses: 30, hits: 0 });
    const reads = vi.spyOn(storage, 'getSync');
    expect(await c.vectorSearch(query, 5, exact)).toEqual(first);
    // Only the 5 hits' records and texts were read: every vector came from the cache.
    expect(reads.mock.calls.length).toBe(10);
    reads.mockRestore();
    expect((await c.stats()).vectorCache).toMatchObject({ entries: 30, misses: 30, hits: 30 });
    // The nearest match moves far away: the next scan must see where it went, not the cached one.
    await c.update(first[0]!.id, { vector: data[5]!.map((x) => x + 100) });
    const after = await c.vectorSearch(query, 5, exact);
    expect(after.map((h) => h.id)).not.toContain(first[0]!.id);
    expect(after.map((h) => h.id)).toEqual([...first.slice(1).map((h) => h.id), after[4]!.id]);
    expect((await c.stats()).vectorCache.misses).toBe(31);
    await c.close();

    // A bound of ~4 KB holds about 30 vectors of 8 dimensions; 0 holds none; bad bounds are refused.
    const small = await Collection.open(storage, ref, { vectorCacheMB: 4 / 1024 });
    await small.vectorSearch(query, 5, { filter: { bucket: { $lt: 5 } }, filterStrategy: 'exact' });
    const { vectorCache } = await small.stats();
    expect(vectorCache.maxBytes).toBe(4096);
    expect(vectorCache.bytes).toBeLessThanOrEqual(4096);
    expect(vectorCache.entries).toBeGreaterThan(10);
    expect(vectorCache.entries).toBeLessThan(150);
    await small.close();
    const none = await Collection.open(storage, ref, { vectorCacheMB: 0 });
    await none.vectorSearch(query, 5, exact);
    expect((await none.stats()).vectorCache).toMatchObject({ entries: 0, bytes: 0, misses: 30 });
    await none.close();
    for (const bad of [-1, Number.NaN, '32']) {
      await expect(Collection.open(storage, ref, { vectorCacheMB: bad as number })).rejects.toThrow(ValidationError);
    }
    const made = await Collection.create(storage, { namespace: 'n', name: 'cached', dimension: 2, vectorCacheMB: 1 });
    expect((await made.stats()).vectorCache.maxBytes).toBe(2 ** 20);
    await made.close();
    await expect(Collection.create(storage, { namespace: 'n', name: 'refused', dimension: 2, vectorCacheMB: -1 })).rejects.toMatchObject({
      code: new ValidationError('x').code,
    });
    expect(await Collection.exists(storage, { namespace: 'n', name: 'refused' })).toBe(false);
  });

  it('keeps postings read by keyword queries in a bounded LRU cache, in stats(); a repeated query reads no storage', async () => {
    const c = await Collection.open(storage, ref);
    const first = await c.keywordSearch('number 42', 5);
    const { postingsCache } = await c.stats();
    expect(postingsCache.entries).toBeGreaterThan(0);
    expect(postingsCache.maxBytes).toBe(32 * 2 ** 20);
    // The same query again: every segment's postings of both terms come from the cache.
    expect(await rangesRead(async () => expect(await c.keywordSearch('number 42', 5)).toEqual(first))).toEqual([]);
    expect((await c.stats()).postingsCache).toMatchObject({ misses: postingsCache.misses, hits: postingsCache.hits + postingsCache.misses });
    // Writes make new segments (and merges replace old ones): cached postings of old ones are never wrong.
    await c.insert({ id: 'new', vector: data[0]!, content: 'number 42 number' });
    expect((await c.keywordSearch('number 42', 1))[0]!.id).toBe('new');
    await c.close();
    const none = await Collection.open(storage, ref, { postingsCacheMB: 0 });
    expect((await none.keywordSearch('number 42', 5)).map((h) => h.id)).toEqual(['new', ...first.map((h) => h.id).slice(0, 4)]);
    expect((await none.stats()).postingsCache).toMatchObject({ entries: 0, bytes: 0, maxBytes: 0 });
    await none.close();
    for (const bad of [-1, Number.NaN, '32']) {
      await expect(Collection.open(storage, ref, { postingsCacheMB: bad as number })).rejects.toThrow(ValidationError);
    }
  });
});

describe("the documents' table saved with the graph (an open reads no record when none changed since the save)", () => {
  const graphMeta = async () => JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as { docs?: { appliedLsn: string; chunks: number } };

  it('is saved with the LSN its state had applied, and read instead of the records; a close with no change keeps it', async () => {
    const meta = await graphMeta();
    expect(meta.docs?.chunks).toBe(1);
    // The close's save is the newest commit: the LSN it captured is the one before it.
    expect(BigInt(meta.docs!.appliedLsn) + 1n).toBe(await storage.latestLsn());
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    expect(await c!.count()).toBe(300);
    expect((await c!.vectorSearch(data[42]!, 1))[0]?.id).toBe('d42');
    expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42');
    await c!.close();
    expect(await graphMeta()).toEqual(meta);
  });

  it("an open after a commit to the documents (another object's, never saved) reads every record and sees it", async () => {
    const writer = await Collection.open(storage, ref);
    await writer.insert({ id: 'late', vector: data[5]!.map((x) => x + 0.001), content: 'a late arrival' });
    await writer.delete('d3');
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toContain('m');
    expect(await c!.count()).toBe(300);
    expect((await c!.keywordSearch('arrival', 1))[0]?.id).toBe('late');
    expect((await c!.vectorSearch(data[3]!, 300)).map((h) => h.id)).not.toContain('d3');
    await Promise.all([c!.close(), writer.close()]);
    // The writer's close saved a new table: the next open reads none again.
    const again = await rangesRead(async () => (c = await Collection.open(storage, ref)));
    expect(again).not.toContain('m');
    expect(await c!.count()).toBe(300);
    await c!.close();
  });

  it('a commit elsewhere in the database does not make the open read the records while the commit feed reaches back to the save', async () => {
    await storage.put('elsewhere', 'x');
    await storage.put(new CollectionKeys('other', 'docs').doc('x'), '{}');
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    expect(await c!.count()).toBe(300);
    await c!.close();
  });

  it('after a restart, the table is read only when the save is the newest commit', async () => {
    const reopen = async () => {
      await storage.close();
      storage = await factory.open();
    };
    await reopen();
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    await c!.close();
    // A commit elsewhere, then a restart: what the feed held is gone (unless the storage keeps it),
    // so nothing proves the documents unchanged since the save, and the open reads them.
    await storage.put('elsewhere', 'x');
    await reopen();
    const ranges = await rangesRead(async () => (c = await Collection.open(storage, ref)));
    expect(await c!.count()).toBe(300);
    expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42');
    // The close saves the table alone (the graph is unchanged): the next restart reads it again.
    const before = await graphMeta();
    await c!.close();
    if (storage.location.startsWith('/')) expect(ranges).toContain('m');
    const after = await graphMeta();
    // (PostgreSQL keeps its commit feed across restarts: there the open could still trust the table.)
    expect(after).toEqual(ranges.includes('m') ? { ...before, docs: { ...before.docs, appliedLsn: String((await storage.latestLsn()) - 1n) } } : before);
    await reopen();
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42');
    await c!.close();
    expect(await graphMeta()).toEqual(after);
  });

  it('saves the table alone only for the graph it loaded: another save since wins', async () => {
    await storage.put('elsewhere', 'x');
    await storage.close();
    storage = await factory.open();
    // Both cannot trust the table (a commit since the save, then a restart): each would save one at close.
    const [first, second] = [await Collection.open(storage, ref), await Collection.open(storage, ref)];
    await first.close();
    const saved = await graphMeta();
    await storage.put('elsewhere', 'y');
    await second.close(); // the meta is no longer the one it loaded: it saves nothing
    expect(await graphMeta()).toEqual(saved);
    let c: Collection | undefined;
    expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
    expect(await c!.count()).toBe(300);
    await c!.close();
  });

  it('a damaged or missing table, or one of another graph, is not used: the open reads the records', async () => {
    const meta = await graphMeta();
    for (const damage of [
      () => storage.del(keys.graphDocs(0)),
      () => storage.put(keys.graphDocs(0), Buffer.alloc(8 * 300 - 8)),
      () => storage.put(keys.graphDocs(0), Buffer.alloc(8 * 300, 0xee)), // segment numbers out of range
      () => storage.put(keys.graphMeta(), JSON.stringify({ ...meta, docs: { ...meta.docs, appliedLsn: 'not a number' } })),
      () => storage.put(keys.graphMeta(), JSON.stringify({ ...meta, digest: '12345' })),
    ]) {
      await damage();
      let c: Collection | undefined;
      expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toContain('m');
      expect(await c!.count()).toBe(300);
      expect((await c!.keywordSearch('number 42', 1))[0]?.id).toBe('d42');
      expect((await c!.vectorSearch(data[42]!, 1))[0]?.id).toBe('d42');
      await c!.close(); // saves a table again
      expect((await graphMeta()).docs?.appliedLsn).not.toBe('not a number');
      expect(await rangesRead(async () => (c = await Collection.open(storage, ref)))).toEqual(['p', 's']);
      await c!.close();
    }
  });
});
