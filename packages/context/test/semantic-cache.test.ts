// The semantic cache on a real LevelDB folder: lookups by similarity, replacement, TTL, the LRU
// bound, persistence across reopen, namespaces, and every kind of bad input.
import { Collection } from '@sochdb/vector';
import { CollectionExistsError, DatabaseError, DimensionMismatchError, keyRange, ValidationError, type Storage } from '@sochdb/core';
import { levelFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SemanticCache, type SemanticCacheOptions } from '../src/semantic-cache/index.js';

const DIM = 8;
/** A unit vector along axis i (similarity 0 with every other axis). */
const axis = (i: number): number[] => Array.from({ length: DIM }, (_, d) => (d === i ? 1 : 0));
/** Axis i tilted towards axis j by `t` (cosine with axis i: 1 / sqrt(1 + t²)). */
const near = (i: number, j: number, t: number): number[] => axis(i).map((x, d) => (d === j ? t : x));

let factory: StorageFactory;
let storage: Storage;
const open: SemanticCache[] = [];
const cache = (options: Partial<SemanticCacheOptions> = {}): SemanticCache => {
  const c = new SemanticCache(storage, { namespace: 'app', name: 'answers', dimension: DIM, ...options });
  open.push(c);
  return c;
};

beforeEach(async () => {
  factory = levelFactory();
  storage = await factory.open();
});
afterEach(async () => {
  vi.useRealTimers();
  for (const c of open.splice(0)) await c.close();
  await storage.close();
  await factory.cleanup();
});

it('returns the most similar entry at or above the threshold, else null, and counts hits and misses', async () => {
  const c = cache({ threshold: 0.9 });
  await c.put('q0', 'answer 0', axis(0));
  await c.put('q1', { text: 'answer 1' }, axis(1));
  const hit = await c.get(near(0, 2, 0.2)); // cosine 0.98 with axis 0
  expect(hit).toMatchObject({ key: 'q0', value: 'answer 0' });
  expect(hit!.score).toBeCloseTo(1 / Math.sqrt(1.04), 5);
  expect(hit!.createdAt).toBeTypeOf('number');
  expect(hit).not.toHaveProperty('expiresAt');
  expect(await c.get(near(0, 2, 0.6))).toBeNull(); // cosine 0.857 < 0.9
  expect(await c.get(axis(3))).toBeNull();
  expect(await c.get(near(1, 0, 0.1))).toMatchObject({ key: 'q1', value: { text: 'answer 1' } });
  expect(await c.stats()).toEqual({ entries: 2, hits: 2, misses: 2, hitRate: 0.5, evictions: 0, expirations: 0 });
  // The threshold is inclusive, and may be negative (then nearly anything matches).
  expect(await cache({ name: 'answers', threshold: -1 }).get(axis(5))).not.toBeNull();
});

it('round-trips any JSON value exactly', async () => {
  const c = cache();
  const values = [
    null,
    true,
    0,
    -1.5e-300,
    'plain',
    '',
    'quotes " and \\ and \n newlines \t \u0000 NUL \u2028 emoji 🧠 and 中文',
    '{"looks":"like json"}',
    [1, 'two', [3, { four: null }], []],
    { nested: { deeply: [{ a: 1 }, { b: [true, false] }] }, '': 'empty key', 'with space': 1, __proto__x: 2, constructor: 'c' },
  ];
  for (const [i, value] of values.entries()) await c.put(`k${i}`, value, near(i % DIM, (i + 1) % DIM, 0.01 * (i + 1)));
  for (const [i, value] of values.entries()) {
    expect((await c.getByKey(`k${i}`))!.value).toEqual(value);
    const hit = await c.get(near(i % DIM, (i + 1) % DIM, 0.01 * (i + 1)));
    expect(hit!.key).toBe(`k${i}`);
    expect(hit!.value).toEqual(value);
  }
  // Each lookup hands out its own copy.
  const first = (await c.getByKey('k8'))!.value as unknown[];
  first.push('mutated');
  expect((await c.getByKey('k8'))!.value).toEqual(values[8]);
});

it('replacing a key moves its vector and value; getByKey, delete, clear, size and count', async () => {
  const c = cache();
  await c.put('k', 'old', axis(0));
  await c.put('k', 'new', axis(1));
  expect(await c.size()).toBe(1);
  expect(await c.count()).toBe(1);
  expect(await c.get(axis(0))).toBeNull();
  expect(await c.get(axis(1))).toMatchObject({ key: 'k', value: 'new' });
  expect(await c.getByKey('k')).toMatchObject({ key: 'k', value: 'new' });
  expect(await c.getByKey('missing')).toBeNull();
  expect(await c.delete('missing')).toBe(false);
  expect(await c.delete('k')).toBe(true);
  expect(await c.delete('k')).toBe(false);
  expect(await c.get(axis(1))).toBeNull();
  expect(await c.size()).toBe(0);
  for (let i = 0; i < 5; i++) await c.put(`k${i}`, i, axis(i));
  expect(await c.size()).toBe(5);
  await c.clear();
  expect(await c.size()).toBe(0);
  expect(await c.get(axis(2))).toBeNull();
  await c.put('again', 1, axis(2));
  expect(await c.get(axis(2))).toMatchObject({ key: 'again' });
});

it('expired entries are never returned, not counted, and removed by puts, purgeExpired and delete', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(1_000_000);
  const c = cache({ ttlMs: 1_000 });
  await c.put('soon', 'a', axis(0));
  await c.put('later', 'b', near(0, 1, 0.3), { ttlMs: 5_000 }); // cosine 0.958 with axis 0
  await c.put('never', 'c', axis(2), { ttlMs: Infinity });
  expect(await c.get(axis(0))).toMatchObject({ key: 'soon', expiresAt: 1_001_000 });
  expect((await c.getByKey('never'))!.expiresAt).toBeUndefined();

  vi.setSystemTime(1_001_000); // 'soon' expires at this very millisecond
  // The nearest entry has expired: the next one above the threshold answers.
  expect(await c.get(axis(0))).toMatchObject({ key: 'later', value: 'b' });
  expect(await c.getByKey('soon')).toBeNull();
  expect(await c.size()).toBe(2);

  vi.setSystemTime(1_010_000);
  expect(await c.get(axis(0))).toBeNull();
  expect(await c.size()).toBe(1);
  expect(await c.get(axis(2))).toMatchObject({ key: 'never' });
  // A put sweeps the expired entries from storage.
  await c.put('fresh', 'd', axis(3), { ttlMs: Infinity });
  expect((await c.stats()).expirations).toBe(2);
  expect(await countKeys()).toBe(2);

  await c.put('short', 'e', axis(4), { ttlMs: 10 });
  await c.put('short2', 'f', axis(5), { ttlMs: 10 });
  vi.setSystemTime(1_020_000);
  expect(await c.delete('short')).toBe(false); // removed, but it was no longer there to delete
  expect(await c.purgeExpired()).toBe(1);
  expect(await c.stats()).toMatchObject({ entries: 2, expirations: 4 });
  expect(await countKeys()).toBe(2);
});

/** Documents in the cache's collection (what the HNSW index holds). */
async function countKeys(namespace = 'app', name = '__semcache:answers'): Promise<number> {
  const col = await Collection.open(storage, { namespace, name });
  try {
    return await col.count();
  } finally {
    await col.close();
  }
}

it('with maxEntries, a put evicts the least recently used entries, a get hit counting as a use', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  let now = 2_000_000;
  const tick = () => vi.setSystemTime((now += 10));
  const c = cache({ maxEntries: 3 });
  for (const [i, key] of ['a', 'b', 'c'].entries()) {
    tick();
    await c.put(key, key, axis(i));
  }
  tick();
  expect(await c.get(axis(0))).toMatchObject({ key: 'a' }); // a is now the most recently used
  tick();
  await c.put('d', 'd', axis(3));
  expect(await c.getByKey('b')).toBeNull();
  expect(await c.get(axis(1))).toBeNull();
  expect(await c.stats()).toMatchObject({ entries: 3, evictions: 1 });
  tick();
  await c.put('e', 'e', axis(4)); // c is the oldest now
  expect(await c.getByKey('c')).toBeNull();
  expect((await c.getByKey('a'))!.value).toBe('a');
  // Replacing an entry never evicts: the count does not change.
  tick();
  await c.put('e', 'e2', axis(5));
  expect(await c.size()).toBe(3);
  expect((await c.stats()).evictions).toBe(2);
  expect(await countKeys()).toBe(3);
});

it('persists across reopen: entries, values and the order of use', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  let now = 3_000_000;
  const tick = () => vi.setSystemTime((now += 10));
  let c = cache({ maxEntries: 3 });
  for (const [i, key] of ['a', 'b', 'c'].entries()) {
    tick();
    await c.put(key, { n: i }, axis(i));
  }
  tick();
  await c.get(axis(0)); // a used last: b is the least recently used
  await c.close();
  await storage.close();
  storage = await factory.open();

  c = cache({ maxEntries: 3 });
  expect(await c.size()).toBe(3);
  expect(await c.get(axis(2))).toMatchObject({ key: 'c', value: { n: 2 } });
  tick();
  await c.put('d', { n: 3 }, axis(3));
  expect(await c.getByKey('b')).toBeNull();
  expect(await c.getByKey('a')).toMatchObject({ value: { n: 0 } });
  // The index is a collection of the namespace, under the reserved prefix.
  expect((await Collection.list(storage, 'app')).map((info) => info.name)).toEqual(['__semcache:answers']);
});

it('namespaces and names are separate caches', async () => {
  const a = cache({ namespace: 'tenant-a' });
  const b = cache({ namespace: 'tenant-b' });
  const other = cache({ namespace: 'tenant-a', name: 'other' });
  await a.put('k', 'from a', axis(0));
  expect(await b.get(axis(0))).toBeNull();
  expect(await b.getByKey('k')).toBeNull();
  expect(await other.get(axis(0))).toBeNull();
  await b.put('k', 'from b', axis(0));
  expect((await a.get(axis(0)))!.value).toBe('from a');
  expect((await b.get(axis(0)))!.value).toBe('from b');
  await b.clear();
  expect(await a.size()).toBe(1);
  expect(await b.delete('k')).toBe(false);
  expect((await a.getByKey('k'))!.value).toBe('from a');
});

it('the constructor checks options synchronously and does no I/O', async () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ namespace: '' }, 'namespace'],
    [{ namespace: 'a\0b' }, 'namespace'],
    [{ name: 7 }, 'name'],
    [{ name: 'x'.repeat(300) }, 'name'],
    [{ dimension: 0 }, 'dimension'],
    [{ dimension: 2.5 }, 'dimension'],
    [{ dimension: undefined }, 'dimension'],
    [{ threshold: 1.5 }, 'threshold'],
    [{ threshold: Number.NaN }, 'threshold'],
    [{ ttlMs: 0 }, 'ttlMs'],
    [{ ttlMs: '1s' }, 'ttlMs'],
    [{ maxEntries: 0 }, 'maxEntries'],
    [{ maxEntries: 1.5 }, 'maxEntries'],
    [{ metric: 'euclidean' }, 'metric'],
    [{ efSearch: 0 }, 'efSearch'],
  ];
  for (const [options, field] of bad) {
    const attempt = () => new SemanticCache(storage, { namespace: 'app', name: 'answers', dimension: DIM, ...options });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(expect.objectContaining({ field }));
  }
  expect(() => new SemanticCache(storage, null as unknown as SemanticCacheOptions)).toThrow(ValidationError);
  const c = cache({ threshold: 0.5, ttlMs: 60_000, maxEntries: 10, efSearch: 32 });
  expect([c.namespace, c.name, c.dimension, c.threshold, c.ttlMs, c.maxEntries, c.efSearch]).toEqual(['app', 'answers', DIM, 0.5, 60_000, 10, 32]);
  const defaults = cache();
  expect([defaults.threshold, defaults.ttlMs, defaults.maxEntries, defaults.efSearch]).toEqual([0.9, Infinity, Infinity, 256]);
  let keys = 0;
  for await (const _ of storage.iterator()) keys++;
  expect(keys).toBe(0);
});

it('refuses bad vectors, keys and values before writing anything', async () => {
  const c = cache();
  await c.put('ok', 1, axis(0));
  await expect(c.put('k', 1, [1, 2, 3])).rejects.toThrow(DimensionMismatchError);
  await expect(c.get(new Float32Array(DIM + 1).fill(1))).rejects.toThrow(DimensionMismatchError);
  for (const bad of [Number.NaN, Infinity, -Infinity, 1e39]) {
    const v = axis(1);
    v[3] = bad;
    await expect(c.put('k', 1, v)).rejects.toThrow(expect.objectContaining({ name: 'ValidationError', field: 'vector[3]' }));
    await expect(c.get(v)).rejects.toThrow(ValidationError);
  }
  await expect(c.put('k', 1, new Array<number>(DIM).fill(0))).rejects.toThrow(expect.objectContaining({ field: 'vector' }));
  await expect(c.put('k', 1, 'not a vector' as unknown as number[])).rejects.toThrow(ValidationError);
  await expect(c.put('', 1, axis(1))).rejects.toThrow(expect.objectContaining({ field: 'key' }));
  await expect(c.getByKey('')).rejects.toThrow(ValidationError);
  await expect(c.delete(42 as unknown as string)).rejects.toThrow(ValidationError);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const value of [undefined, () => 1, Number.NaN, { n: Infinity }, cyclic, new Date(0), 10n, Symbol('s'), [1, undefined], new Map()]) {
    await expect(c.put('k', value, axis(1))).rejects.toThrow(ValidationError);
  }
  await expect(c.put('k', 1, axis(1), { ttlMs: -5 })).rejects.toThrow(expect.objectContaining({ field: 'ttlMs' }));
  expect(await c.size()).toBe(1);
  expect(await c.getByKey('k')).toBeNull();
});

it('after close every call is a DatabaseError; close is idempotent and the storage stays open', async () => {
  const c = cache();
  await c.put('k', 1, axis(0));
  await c.get(axis(0)); // a pending use, written by close
  await c.close();
  await c.close();
  expect(c.closed).toBe(true);
  const calls = [
    () => c.put('k', 1, axis(0)),
    () => c.get(axis(0)),
    () => c.getByKey('k'),
    () => c.delete('k'),
    () => c.clear(),
    () => c.size(),
    () => c.stats(),
  ];
  for (const call of calls) {
    await expect(call()).rejects.toThrow(DatabaseError);
    await expect(call()).rejects.toThrow(/semantic cache 'answers' in namespace 'app' is closed/);
  }
  // A cache closed before its first call opens nothing.
  await cache({ name: 'never-used' }).close();
  expect((await cache().getByKey('k'))!.value).toBe(1);
});

it('refuses another dimension than the stored one, and a user collection of the reserved name', async () => {
  await cache().put('k', 1, axis(0));
  await expect(cache({ dimension: 4 }).get([1, 0, 0, 0])).rejects.toThrow(expect.objectContaining({ name: 'ValidationError', field: 'dimension' }));
  const users = await Collection.create(storage, { namespace: 'app', name: '__semcache:mine', dimension: DIM });
  await users.close();
  await expect(cache({ name: 'mine' }).get(axis(0))).rejects.toThrow(CollectionExistsError);
});

it('a cache whose collection was dropped (the namespace deleted) starts again empty', async () => {
  const c = cache();
  await c.put('k', 'v', axis(0));
  await c.close();
  await Collection.dropNamespace(storage, 'app'); // what the SDK's deleteNamespace does to collections
  const again = cache();
  expect(await again.getByKey('k')).toBeNull(); // the orphaned entry was cleared
  expect(await again.get(axis(0))).toBeNull();
  await again.put('k2', 'v2', axis(1));
  expect(await again.size()).toBe(1);
});

it('dropNamespace deletes every cache of a namespace (entries and collections), nothing else', async () => {
  const a = cache();
  const b = cache({ name: 'second' });
  const other = cache({ namespace: 'other' });
  for (const c of [a, b, other]) await c.put('k', 'v', axis(0));
  const docs = await Collection.create(storage, { namespace: 'app', name: 'docs', dimension: DIM });
  await docs.close();
  await a.close();
  await b.close();
  await SemanticCache.dropNamespace(storage, 'app');
  expect((await Collection.list(storage, 'app')).map((info) => info.name)).toEqual(['docs']);
  let left = 0;
  for await (const _ of storage.iterator(keyRange(['semcache', 'app']))) left++;
  expect(left).toBe(0);
  expect((await other.get(axis(0)))!.value).toBe('v');
  expect(await cache().size()).toBe(0);
});

it('concurrent puts of one process keep the bound', async () => {
  const c = cache({ maxEntries: 5 });
  await Promise.all(Array.from({ length: 20 }, (_, i) => c.put(`k${i}`, i, near(i % DIM, (i + 1) % DIM, 0.05 * (1 + Math.floor(i / DIM))))));
  expect(await c.size()).toBe(5);
  expect(await countKeys()).toBe(5);
  expect((await c.stats()).evictions).toBe(15);
});
