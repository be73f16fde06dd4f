// BM25 postings in typed arrays and binary chunks: grouping agrees with the tokenizer, chunks (the
// earlier stored format) round-trip and reject damaged bytes, large writes tokenized on the worker
// thread (or inline when it dies) score exactly as a fresh Bm25Index, postings in the earlier
// formats (per-term values, chunks) are converted at open, and damaged postings make opening or a
// keyword query fail with an error naming the collection.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseError, decodeKey, encodeKey, keyRange, type Storage } from '@sochdb/core';
import { persistentFactory, spawnTs, waitForExit, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Bm25Index, Collection, groupPostings, tokenize, VectorIndex, type GroupedPostings } from '../src/index.js';
import type { Metadata } from '../src/metadata/filter.js';
import { fromTermMajor, selectDocs } from '../src/text/grouped-postings.js';
import { CHUNK_DOCS, decodeChunk, encodeChunk } from '../src/text/postings-chunk.js';
import { OFFLOAD_CHARS, textWorkerForTests } from '../src/prepare/text-grouping.js';
import { idsWithPostings, postingsOfWrite, rng, storedPostings } from './helpers.js';
import { encodeBucket } from '../src/text/posting-block.js';
import { hashDoc } from '../src/hnsw/doc-vector.js';

let factory: StorageFactory;
let storage: Storage;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  vi.restoreAllMocks();
  if (storage.status === 'open') await storage.close();
  await factory.cleanup();
});

// ── data ────────────────────────────────────────────────────────────────────────────────────────

/** Words with case, accents, NFKC-folding ligatures, CJK, digits and marks, so the tokenizer works. */
const SPECIAL = ['Ünïcode', 'ÜNÏCODE', 'ﬁsh', 'fish', 'Straße', '東京', 'naïve', 'café', 'e\u0301t\u00e9', '42', 'x2', 'Ωmega', "don't", 'e-mail', 'R&D'];
function randomText(next: () => number, vocab: readonly string[], words: number): string {
  const seps = [' ', ' ', ' ', ', ', '. ', '! ', '\n', ' -- ', '\t'];
  let out = '';
  for (let w = 0; w < words; w++) {
    const word = next() < 0.05 ? SPECIAL[Math.floor(next() * SPECIAL.length)]! : vocab[Math.floor(vocab.length * next() ** 2)]!;
    out += (w === 0 ? '' : seps[Math.floor(next() * seps.length)]) + (next() < 0.1 ? word.toUpperCase() : word);
  }
  return out;
}
const VOCAB = Array.from({ length: 600 }, (_, i) => `t${i.toString(36)}`);

/** The text a collection indexes: content plus string metadata values (top level and in arrays). */
function searchable(content: string | undefined, metadata: Record<string, unknown> = {}): string {
  const parts = content === undefined ? [] : [content];
  for (const v of Object.values(metadata)) {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') parts.push(x);
  }
  return parts.join('\n');
}

function frequencies(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/** A group as term → [[doc, tf], …] (order of terms ignored). */
function byTerm(group: GroupedPostings): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  group.terms.forEach((term, t) => {
    const list: [number, number][] = [];
    for (let i = group.termStart[t]!; i < group.termStart[t + 1]!; i++) list.push([group.docs[i]!, group.tfs[i]!]);
    out.set(term, list);
  });
  return out;
}

/** Checks every invariant of a group against the texts it was made from. */
function expectGroupOf(group: GroupedPostings, texts: readonly string[]): void {
  const n = texts.length;
  const T = group.terms.length;
  expect(new Set(group.terms).size).toBe(T);
  expect(group.lengths.length).toBe(n);
  expect(group.termStart.length).toBe(T + 1);
  expect(group.docStart.length).toBe(n + 1);
  expect(group.termStart[0]).toBe(0);
  expect(group.docStart[0]).toBe(0);
  const p = group.docs.length;
  expect(group.tfs.length).toBe(p);
  expect(group.docTerms.length).toBe(p);
  expect(group.termStart[T]).toBe(p);
  expect(group.docStart[n]).toBe(p);
  const expected = texts.map(frequencies);
  // Per document, from the doc-major arrays: exactly its distinct tokens; lengths are token counts.
  for (let d = 0; d < n; d++) {
    expect(group.lengths[d]).toBe(tokenize(texts[d]!).length);
    const terms = Array.from(group.docTerms.subarray(group.docStart[d], group.docStart[d + 1]), (t) => group.terms[t]!);
    expect(terms.length).toBe(expected[d]!.size);
    expect(new Set(terms)).toEqual(new Set(expected[d]!.keys()));
  }
  // Per term, from the term-major arrays: documents strictly ascending, tf as tokenize counts it.
  let total = 0;
  group.terms.forEach((term, t) => {
    let previous = -1;
    for (let i = group.termStart[t]!; i < group.termStart[t + 1]!; i++) {
      const d = group.docs[i]!;
      expect(d).toBeGreaterThan(previous);
      previous = d;
      expect(group.tfs[i]).toBe(expected[d]!.get(term));
      total++;
    }
    expect(group.termStart[t + 1]! - group.termStart[t]!).toBe(expected.filter((f) => f.has(term)).length);
  });
  expect(total).toBe(expected.reduce((s, f) => s + f.size, 0));
  // Terms in first-seen order.
  const seen: string[] = [];
  const s = new Set<string>();
  for (const text of texts)
    for (const t of tokenize(text))
      if (!s.has(t)) {
        s.add(t);
        seen.push(t);
      }
  expect(group.terms).toEqual(seen);
}

const plain = (group: GroupedPostings) => ({
  terms: [...group.terms],
  lengths: Array.from(group.lengths),
  termStart: Array.from(group.termStart),
  docs: Array.from(group.docs),
  tfs: Array.from(group.tfs),
  docStart: Array.from(group.docStart),
  // A document's terms are a set: groupPostings lists them in order of appearance in the document,
  // fromTermMajor (decoding) in term order.
  docTerms: Array.from({ length: group.lengths.length }, (_, d) =>
    Array.from(group.docTerms.subarray(group.docStart[d], group.docStart[d + 1])).sort((a, b) => a - b),
  ),
});

// ── 1. grouping and chunks ──────────────────────────────────────────────────────────────────────

describe('groupPostings', () => {
  it('term-major and doc-major arrays agree with each other and with tokenize() on random texts', () => {
    for (const seed of [1, 2, 3]) {
      const next = rng(seed);
      // Enough documents and terms to grow every internal array past its initial size.
      const texts = Array.from({ length: 300 }, (_, i) => (i % 37 === 5 ? '' : i % 41 === 7 ? ' ,.!? ' : randomText(next, VOCAB, Math.floor(next() * 80))));
      expectGroupOf(groupPostings(texts), texts);
    }
    expectGroupOf(groupPostings([]), []);
    expectGroupOf(groupPostings(['', '...']), ['', '...']);
    const g = groupPostings(['The the THE cat', 'ﬁsh fish FISH', 'cat']);
    expect(Object.fromEntries(byTerm(g))).toEqual({
      the: [[0, 3]],
      cat: [
        [0, 1],
        [2, 1],
      ],
      fish: [[1, 3]],
    });
    expect(Array.from(g.lengths)).toEqual([4, 3, 1]);
  });

  it('fromTermMajor of the term-major arrays reproduces docStart and docTerms', () => {
    const next = rng(9);
    const texts = Array.from({ length: 200 }, () => randomText(next, VOCAB, Math.floor(next() * 50)));
    const g = groupPostings(texts);
    const back = fromTermMajor(g.terms, g.lengths, g.termStart, g.docs, g.tfs);
    expect(plain(back)).toEqual(plain(g));
    expect(plain(fromTermMajor([], new Int32Array(3), Int32Array.of(0), new Int32Array(0), new Int32Array(0)))).toEqual(plain(groupPostings(['', '', ''])));
  });

  it('selectDocs keeps exactly the chosen documents, renumbered in order, and drops terms left empty', () => {
    const next = rng(4);
    const texts = Array.from({ length: 150 }, () => randomText(next, VOCAB, Math.floor(next() * 40)));
    texts.push('onlyhere onlyhere', 'zzz', '');
    const g = groupPostings(texts);
    for (const keep of [(d: number) => d % 3 === 0, (d: number) => d % 2 === 1, (d: number) => d >= 100, (d: number) => d === 151, () => false]) {
      const { group, kept } = selectDocs(g, keep);
      const expectedKept = texts.map((_, d) => d).filter(keep);
      expect(kept).toEqual(expectedKept);
      const keptTexts = expectedKept.map((d) => texts[d]!);
      // Same postings as grouping the kept texts alone (terms keep the original's relative order).
      const fresh = groupPostings(keptTexts);
      expect(byTerm(group)).toEqual(byTerm(fresh));
      expect(Array.from(group.lengths)).toEqual(Array.from(fresh.lengths));
      expect(new Set(group.terms)).toEqual(new Set(fresh.terms));
      expect(group.terms).toEqual(g.terms.filter((t) => fresh.terms.includes(t)));
      for (let t = 0; t < group.terms.length; t++) expect(group.termStart[t + 1]!).toBeGreaterThan(group.termStart[t]!);
      // Its doc-major arrays are consistent too.
      expect(plain(fromTermMajor(group.terms, group.lengths, group.termStart, group.docs, group.tfs))).toEqual(plain(group));
      for (let d = 0; d < keptTexts.length; d++) {
        const terms = Array.from(group.docTerms.subarray(group.docStart[d], group.docStart[d + 1]), (t) => group.terms[t]!);
        expect(new Set(terms)).toEqual(new Set(frequencies(keptTexts[d]!).keys()));
      }
      if (!keep(150)) expect(group.terms).not.toContain('onlyhere');
    }
    const all = selectDocs(g, () => true);
    expect(all.kept).toEqual(texts.map((_, d) => d));
    expect(plain(all.group)).toEqual(plain(g));
    const none = selectDocs(g, () => false).group;
    expect(none.terms).toEqual([]);
    expect(none.lengths.length).toBe(0);
    expect(none.docs.length).toBe(0);
  });
});

describe('postings chunks', () => {
  const IDS = ['plain', 'with "quotes"', "it's", 'back\\slash', 'ключ', '東京', '😀 emoji', 'nul\u0000char', 'line\nbreak', '{"ids":[]}'];

  it('round-trips ids, terms and arrays, including unicode ids, empty texts and no postings at all', () => {
    const next = rng(5);
    const texts = IDS.map((_, i) => (i === 3 || i === 6 ? '' : randomText(next, VOCAB, 30)));
    const cases: [string[], string[]][] = [
      [IDS, texts],
      [IDS.slice(0, 3), ['', '', '...']], // documents, but zero postings
      [[], []], // nothing at all
      [['one'], ['Ünïcode ﬁsh 東京 東京']],
    ];
    for (const [ids, t] of cases) {
      const g = groupPostings(t);
      const bytes = encodeChunk(ids, g);
      expect(bytes.length % 4).toBe(0);
      const decoded = decodeChunk(bytes);
      expect(decoded.ids).toEqual(ids);
      expect(plain(decoded.postings)).toEqual(plain(g));
      // Storage hands out values at any byte offset: an unaligned copy decodes the same.
      const shifted = new Uint8Array(bytes.length + 1);
      shifted.set(bytes, 1);
      const fromShifted = decodeChunk(shifted.subarray(1));
      expect(fromShifted.ids).toEqual(ids);
      expect(plain(fromShifted.postings)).toEqual(plain(g));
    }
    expect(() => encodeChunk(['a'], groupPostings(['x', 'y']))).toThrow(RangeError);
  });

  it('rejects damaged bytes with a RangeError', () => {
    const next = rng(6);
    const texts = IDS.map(() => randomText(next, VOCAB, 20));
    const bytes = encodeChunk(IDS, groupPostings(texts));
    // Every truncation.
    for (let n = 0; n < bytes.length; n++) expect(() => decodeChunk(bytes.subarray(0, n)), `truncated to ${n} of ${bytes.length}`).toThrow(RangeError);
    // Unknown versions.
    for (const version of [0, 2, 255]) {
      const copy = Buffer.from(bytes);
      copy[0] = version;
      expect(() => decodeChunk(copy)).toThrow(RangeError);
    }
    // A header that does not match its arrays: ids or terms added or removed.
    const g = groupPostings(texts);
    const withHeader = (ids: string[], terms: readonly string[]) => {
      const header = Buffer.from(JSON.stringify({ ids, terms, postings: g.docs.length }), 'utf8');
      const start = (5 + header.length + 3) & ~3;
      const arrays = Buffer.concat([g.lengths, g.termStart, g.docs, g.tfs].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
      const out = Buffer.alloc(start + arrays.length);
      out[0] = 1;
      out.writeUInt32LE(header.length, 1);
      header.copy(out, 5);
      arrays.copy(out, start);
      return out;
    };
    expect(decodeChunk(withHeader(IDS, g.terms)).ids).toEqual(IDS); // the hand-made encoding is right
    for (const [ids, terms] of [
      [[...IDS, 'extra'], g.terms],
      [[...IDS, 'extra', 'extra2'], g.terms],
      [IDS.slice(1), g.terms],
      [IDS, [...g.terms, 'extra']],
      [IDS, [...g.terms, 'extra', 'extra2']],
      [IDS, g.terms.slice(1)],
      [IDS.slice(1), [...g.terms, 'extra']],
    ] as [string[], string[]][]) {
      expect(() => decodeChunk(withHeader(ids, terms)), `${ids.length} ids, ${terms.length} terms`).toThrow(RangeError);
    }
    // One id fewer and one term more keeps the arrays' total size; the last document's length 0
    // then reads as termStart[0] = 0, and only the per-term checks catch it.
    const small = groupPostings(['f', 'c c a', '']);
    const shifted = Buffer.from(encodeChunk(['i0', 'i1', 'i2'], small));
    const forged = Buffer.from(JSON.stringify({ ids: ['i0', 'i1'], terms: [...small.terms, 'z0'], postings: small.docs.length }), 'utf8');
    expect(forged.length).toBeLessThanOrEqual(shifted.readUInt32LE(1));
    const padded = Buffer.concat([forged, Buffer.alloc(shifted.readUInt32LE(1) - forged.length, 0x20)]);
    padded.copy(shifted, 5);
    expect(() => decodeChunk(shifted)).toThrow(RangeError);
    // Headers that are not JSON, or not the right JSON.
    for (const header of ['{', 'null', '{"ids":[1],"terms":[],"postings":0}', '{"ids":["a","a"],"terms":[],"postings":0}']) {
      const h = Buffer.from(header, 'utf8');
      const out = Buffer.alloc((5 + h.length + 3) & ~3);
      out[0] = 1;
      out.writeUInt32LE(h.length, 1);
      h.copy(out, 5);
      expect(() => decodeChunk(out), header).toThrow(RangeError);
    }
    // A header length pointing past the end.
    const long = Buffer.from(bytes);
    long.writeUInt32LE(bytes.length, 1);
    expect(() => decodeChunk(long)).toThrow(RangeError);
  });
});

// ── collections ─────────────────────────────────────────────────────────────────────────────────

const vector = (i: number) => [1 + (i % 7), (i * 13) % 11, (i * 5) % 3, 1];
const LARGE_QUERIES = ['t0', 't1 t2', 't5 t9 t1k', 'ünïcode fish', '東京', 'tgh t3 t3', 't0 t1 t2 t3 t4 t5', 'nothing'];

/** The same keyword searches on the collection and on a Bm25Index fed the expected texts. */
async function expectScoresOf(c: Collection, texts: ReadonlyMap<string, string>, queries = LARGE_QUERIES): Promise<void> {
  const bm = new Bm25Index();
  for (const [id, t] of texts) bm.add(id, t);
  expect(await c.count()).toBe(texts.size);
  for (const q of queries) {
    const got = (await c.keywordSearch(q, texts.size + 10)).map((r) => ({ id: r.id, score: r.score }));
    expect(got, q).toEqual(bm.search(q, texts.size + 10));
  }
}

/** Posting keys of collection `name` in namespace 'n' in the earlier formats: [segment, chunk number or term, value]. */
async function legacyKeys(name: string): Promise<[string, string | number, Buffer][]> {
  const out: [string, string | number, Buffer][] = [];
  for await (const [k, v] of storage.iterator(keyRange(['vec', 'n', 'd', name, 'p']))) {
    const parts = decodeKey(k);
    out.push([parts[parts.length - 2] as string, parts[parts.length - 1] as string | number, v]);
  }
  return out;
}

function largeBatch(count: number, seed: number, prefix: string) {
  const next = rng(seed);
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const contents = ids.map(() => randomText(next, VOCAB, 55 + Math.floor(next() * 10)));
  const metadatas = ids.map((_, i): Metadata => (i % 5 === 0 ? { tag: `tag${i % 3}`, list: ['東京', 'x'], n: i } : { n: i }));
  const vectors = ids.map((_, i) => vector(i));
  const texts = new Map(ids.map((id, i) => [id, searchable(contents[i], metadatas[i])]));
  return { ids, contents, metadatas, vectors, texts };
}

describe('large writes on the text worker', () => {
  it('span chunks of CHUNK_DOCS, score exactly, and score the same after reopening', async () => {
    const ref = { namespace: 'n', name: 'big' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    const batch = largeBatch(CHUNK_DOCS + 952, 11, 'd');
    expect([...batch.texts.values()].reduce((n, t) => n + t.length, 0)).toBeGreaterThan(OFFLOAD_CHARS);
    expect(await textWorkerForTests.ready()).toBe(true);
    const offloaded = textWorkerForTests.offloaded;
    await c.insertBatch({ ids: batch.ids, vectors: batch.vectors, contents: batch.contents, metadatas: batch.metadatas });
    expect(textWorkerForTests.offloaded).toBe(offloaded + 2);

    // Document i is document i mod CHUNK_DOCS of segment `write.⌊i / CHUNK_DOCS⌋`, and the worker's
    // postings are what grouping on this thread gives.
    const stored = await storedPostings(storage, 'n', 'big');
    const write = [...stored.headers.values()][0]!.origins[0]!;
    const texts = [...batch.texts.values()];
    const groups = [0, 1].map((c) => groupPostings(texts.slice(c * CHUNK_DOCS, (c + 1) * CHUNK_DOCS)));
    expect(stored).toEqual(postingsOfWrite(write, batch.ids, groups, CHUNK_DOCS));

    await expectScoresOf(c, batch.texts);
    const before = await Promise.all(LARGE_QUERIES.map((q) => c.keywordSearch(q, 50)));
    await c.close();
    await storage.close();
    storage = await factory.open();
    const reopened = await Collection.open(storage, ref);
    expect(await Promise.all(LARGE_QUERIES.map((q) => reopened.keywordSearch(q, 50)))).toEqual(before);
    await expectScoresOf(reopened, batch.texts);
  });

  it('store each record and text byte for byte as JSON.stringify would, from the worker and inline', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'rec', dimension: 4 });
    const batch = largeBatch(1500, 61, 'r');
    const contents: (string | undefined)[] = [...batch.contents];
    contents[3] = undefined;
    contents[4] = 'lone \ud800 surrogate, "quoted" \\ back\nslash 東京 😀';
    expect(await textWorkerForTests.ready()).toBe(true);
    const offloaded = textWorkerForTests.offloaded;
    await c.insertBatch({ ids: batch.ids, vectors: batch.vectors, contents, metadatas: batch.metadatas });
    expect(textWorkerForTests.offloaded).toBe(offloaded + 1);
    await c.insert({ id: 'inline', vector: vector(1), content: 'small "one"', metadata: { tag: 'x', n: [1, null] } });
    const expected: [string, string | undefined, Metadata][] = [
      ...[0, 3, 4, 5, 1499].map((i): [string, string | undefined, Metadata] => [batch.ids[i]!, contents[i], batch.metadatas[i]!]),
      ['inline', 'small "one"', { tag: 'x', n: [1, null] }],
    ];
    for (const [id, content, metadata] of expected) {
      const raw = (await storage.get(encodeKey(['vec', 'n', 'd', 'rec', 'm', id])))!.toString('utf8');
      const { segment, length, hash } = JSON.parse(raw) as { segment: string; length: number; hash: string };
      expect(length).toBe(tokenize(searchable(content, metadata)).length);
      const vectorBytes = (await storage.get(encodeKey(['vec', 'n', 'd', 'rec', 'v', id])))!;
      expect(hash).toBe(hashDoc(id, vectorBytes).toString(16));
      expect(raw).toBe(JSON.stringify({ metadata, segment, length, hash }));
      const text = await storage.get(encodeKey(['vec', 'n', 'd', 'rec', 't', id]));
      expect(text?.toString('utf8')).toBe(content === undefined ? undefined : JSON.stringify(content));
      expect((await c.get(id))!.content).toBe(content);
    }
  });

  it('hash and normalise vectors as inline writes do: a closed collection reopens from its saved graph with equal exact scores', async () => {
    const ref = { namespace: 'n', name: 'cos' };
    const c = await Collection.create(storage, { ...ref, dimension: 4, metric: 'cosine' });
    const big = largeBatch(CHUNK_DOCS + 100, 31, 'd');
    expect(await textWorkerForTests.ready()).toBe(true);
    const offloaded = textWorkerForTests.offloaded;
    await c.insertBatch({ ids: big.ids, vectors: big.vectors, contents: big.contents, metadatas: big.metadatas });
    expect(textWorkerForTests.offloaded).toBe(offloaded + 2);
    await c.insert({ id: 'small', vector: [0.3, -2, 5, 0.25], content: 'inline', metadata: { n: -1 } }); // prepared inline
    await c.insert({ id: 'd7', vector: [9, 1, 0.5, -3], metadata: { n: -2 } }); // a replacement: its old hash leaves the digest
    // One matching document each: the collection scans exactly, over the graph's unit vectors.
    const query = [0.7, 0.1, -0.4, 2];
    const exact = (on: Collection) => Promise.all([-1, -2, 5, 2_100].map((n) => on.search({ vector: query, k: 3, filter: { n } })));
    const before = await exact(c);
    const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);
    expect(before[0]![0]!.score).toBeCloseTo(cosine(query, [0.3, -2, 5, 0.25]), 6);
    expect(before[1]![0]!.score).toBeCloseTo(cosine(query, [9, 1, 0.5, -3]), 6);
    expect(before[2]![0]!.score).toBeCloseTo(cosine(query, big.vectors[5]!), 6);
    await c.close();
    await storage.close();

    storage = await factory.open();
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    const reopened = await Collection.open(storage, ref);
    expect(inserts).not.toHaveBeenCalled(); // the saved graph: the digest written matched the one computed from storage
    // The graph's vectors, normalised again as they are spliced into it, equal the worker's to the bit.
    expect(await exact(reopened)).toEqual(before);
  });

  it('while the worker starts, large writes are prepared inline (exactly the same), and go to it once it runs', async () => {
    await textWorkerForTests.terminate();
    const c = await Collection.create(storage, { namespace: 'n', name: 'boot', dimension: 4 });
    const first = largeBatch(CHUNK_DOCS + 10, 41, 'a');
    const offloaded = textWorkerForTests.offloaded;
    await c.insertBatch({ ids: first.ids, vectors: first.vectors, contents: first.contents, metadatas: first.metadatas });
    expect(textWorkerForTests.offloaded).toBe(offloaded); // the write started a worker but did not wait for it
    expect(await textWorkerForTests.ready()).toBe(true);
    const second = largeBatch(1500, 42, 'b');
    await c.insertBatch({ ids: second.ids, vectors: second.vectors, contents: second.contents, metadatas: second.metadatas });
    expect(textWorkerForTests.offloaded).toBe(offloaded + 1);
    await expectScoresOf(c, new Map([...first.texts, ...second.texts]));
  });

  it.each([
    ['while the worker starts', 'booting'],
    ['once the worker runs, never having had a request', 'ready'],
  ])(
    'an idle worker never keeps a process from exiting (%s)',
    async (_, mode) => {
      const child = spawnTs(join(import.meta.dirname, 'fixtures', 'exit-after-large-write.ts'), [mode]);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const { code, signal, stdout, stderr } = await waitForExit(child).finally(() => clearTimeout(timer));
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      expect(stdout).toContain('inserted 1200, offloaded 0');
      if (mode === 'ready') expect(stdout).toContain('worker running: true');
    },
    30_000,
  );

  it('a terminated worker does not fail later writes, nor a write it owed chunks to', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'w', dimension: 4 });
    const texts = new Map<string, string>();
    const first = largeBatch(CHUNK_DOCS + 300, 21, 'a');
    await c.insertBatch({ ids: first.ids, vectors: first.vectors, contents: first.contents, metadatas: first.metadatas });
    for (const [id, t] of first.texts) texts.set(id, t);

    // Killed while idle: the next large write succeeds (on a new worker or inline), exactly.
    await textWorkerForTests.terminate();
    const second = largeBatch(2500, 22, 'b');
    await c.insertBatch({ ids: second.ids, vectors: second.vectors, contents: second.contents, metadatas: second.metadatas });
    for (const [id, t] of second.texts) texts.set(id, t);
    await expectScoresOf(c, texts);

    // Killed while it owes this write both of its chunks: the insert still resolves, exactly.
    expect(await textWorkerForTests.ready()).toBe(true);
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    const third = largeBatch(CHUNK_DOCS + 500, 23, 'c');
    // Some replacements too, so the write also removes postings.
    third.ids[0] = 'a0';
    third.ids[1] = 'b1';
    third.texts = new Map(third.ids.map((id, i) => [id, searchable(third.contents[i], third.metadatas[i])]));
    const offloaded = textWorkerForTests.offloaded;
    const insert = c.insertBatch({ ids: third.ids, vectors: third.vectors, contents: third.contents, metadatas: third.metadatas });
    let settled = false;
    void insert.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 10_000 && posted.mock.calls.length < 2 && !settled; i++) await new Promise((r) => setImmediate(r));
    const pending = posted.mock.calls.length === 2 && !settled;
    await textWorkerForTests.terminate();
    await expect(insert).resolves.toEqual(third.ids);
    expect(pending).toBe(true); // the worker was terminated while the write waited on it
    expect(textWorkerForTests.offloaded).toBeLessThan(offloaded + 2); // so at least one chunk was done inline
    for (const [id, t] of third.texts) texts.set(id, t);
    await expectScoresOf(c, texts);
    const { headers } = await storedPostings(storage, 'n', 'w');
    expect(new Set([...headers.values()].flatMap((h) => h.origins)).size).toBe(3);
  });
});

// ── legacy per-term segments ────────────────────────────────────────────────────────────────────

describe('legacy per-term postings', () => {
  it('are converted on open, compacted by writes that remove postings, and score exactly throughout', async () => {
    const ns = 'n';
    const name = 'old';
    const ref = { namespace: ns, name };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    const texts = new Map<string, string>();
    // Segment A: 12 documents with text. Segment B: 4 documents of exactly 3 distinct terms each.
    const aIds = Array.from({ length: 12 }, (_, i) => `a${i}`);
    const next = rng(31);
    const aContents = aIds.map((_, i) =>
      i === 11 ? undefined : randomText(next, ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'Ünïcode', '東京'], 4 + Math.floor(next() * 6)),
    );
    const aMeta = aIds.map((_, i): Metadata => (i % 4 === 0 ? { kind: 'note', tags: ['gamma', 'extra'] } : {}));
    await c.insertBatch({ ids: aIds, vectors: aIds.map((_, i) => vector(i)), contents: aContents, metadatas: aMeta });
    aIds.forEach((id, i) => texts.set(id, searchable(aContents[i], aMeta[i])));
    const bIds = ['b0', 'b1', 'b2', 'b3'];
    const bContents = ['alpha beta gamma', 'beta beta gamma delta', 'gamma delta delta eps', 'eps zeta alpha'];
    await c.insertBatch({ ids: bIds, vectors: bIds.map((_, i) => vector(20 + i)), contents: bContents });
    bIds.forEach((id, i) => texts.set(id, bContents[i]!));
    await c.insert({ id: 'notext', vector: vector(40) });
    texts.set('notext', '');
    const queries = ['alpha', 'beta gamma', 'delta delta eps', 'ünïcode 東京', 'note extra', 'zeta', 'nothing'];
    await expectScoresOf(c, texts, queries);
    await c.close();

    // Rewrite every segment in the per-term layout, from the documents' records.
    const segmentOf = new Map<string, string>();
    for await (const [k, v] of storage.iterator(keyRange(['vec', ns, 'd', name, 'm']))) {
      const id = decodeKey(k).at(-1) as string;
      segmentOf.set(id, (JSON.parse(v.toString('utf8')) as { segment: string }).segment);
    }
    expect(segmentOf.size).toBe(17);
    const segA = segmentOf.get('a0')!;
    const segB = segmentOf.get('b0')!;
    expect(segA).not.toBe(segB);
    const legacy = new Map<string, (string | number)[]>(); // `${segment}\0${term}` → [id, tf, …]
    for (const [id, text] of texts) {
      for (const [term, tf] of frequencies(text)) {
        const key = `${segmentOf.get(id)}\0${term}`;
        legacy.set(key, [...(legacy.get(key) ?? []), id, tf]);
      }
    }
    const ops: { type: 'put' | 'del'; key: Buffer; value?: string }[] = [];
    for (const kind of ['q', 's', 'l']) {
      for await (const [key] of storage.iterator(keyRange(['vec', ns, 'd', name, kind]))) ops.push({ type: 'del', key });
    }
    for (const [key, list] of legacy) {
      const [segment, term] = key.split('\0') as [string, string];
      ops.push({ type: 'put', key: encodeKey(['vec', ns, 'd', name, 'p', segment, term]), value: JSON.stringify(list) });
    }
    await storage.batch(ops as never);
    expect((await legacyKeys(name)).every(([, last]) => typeof last === 'string')).toBe(true);
    await storage.close();

    // Opening converts them (and only then reads the segments' headers).
    storage = await factory.open();
    let reopened = await Collection.open(storage, ref);
    expect(await legacyKeys(name)).toEqual([]);
    await expectScoresOf(reopened, texts, queries);

    const storedIds = (segment: string) => idsWithPostings(storage, ns, name, segment);
    expect(await storedIds(segA)).toEqual(new Set(aIds.filter((id) => searchable(aContents[aIds.indexOf(id)], aMeta[aIds.indexOf(id)]) !== '')));

    // Replacing 8 of segment A's 11 documents with text in one write leaves it under half live:
    // that write compacts it.
    const replaced = aIds.slice(0, 8);
    const newContents = replaced.map((_, i) => `fresh words ${i} alpha`);
    await reopened.insertBatch({ ids: replaced, vectors: replaced.map((_, i) => vector(50 + i)), contents: newContents });
    replaced.forEach((id, i) => texts.set(id, newContents[i]!));
    await expectScoresOf(reopened, texts, [...queries, 'fresh', 'words 3']);
    expect(await storedIds(segA)).toEqual(new Set(['a8', 'a9', 'a10']));

    // Segment B: one delete of four leaves 3/4 live (no compaction); the second leaves half: compacted.
    await reopened.delete('b0');
    texts.delete('b0');
    expect(await storedIds(segB)).toEqual(new Set(bIds));
    await expectScoresOf(reopened, texts, queries);
    await reopened.delete('b2');
    texts.delete('b2');
    expect(await storedIds(segB)).toEqual(new Set(['b1', 'b3']));
    await expectScoresOf(reopened, texts, queries);
    // Removing the rest removes the segment's keys altogether.
    await reopened.insertBatch({ ids: ['b1', 'b3'], vectors: [vector(1), vector(3)], contents: ['zeta', 'zeta zeta'] });
    texts.set('b1', 'zeta');
    texts.set('b3', 'zeta zeta');
    expect(await storedIds(segB)).toEqual(new Set());
    await expectScoresOf(reopened, texts, queries);

    await reopened.close();
    await storage.close();
    storage = await factory.open();
    reopened = await Collection.open(storage, ref);
    await expectScoresOf(reopened, texts, [...queries, 'fresh', 'words 3']);
  });
});

// ── damaged postings ────────────────────────────────────────────────────────────────────────────

describe('damaged postings', () => {
  it('a damaged chunk of the earlier format makes Collection.open reject with a DatabaseError naming the collection', async () => {
    const ref = { namespace: 'n', name: 'broken-one' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    await c.insertBatch({ ids: ['x', 'y'], vectors: [vector(1), vector(2)], contents: ['some words', 'more words'] });
    await c.close();
    // Back to the chunk format, with a third document 'z' deleted since (its postings are dead).
    const { headers } = await storedPostings(storage, 'n', 'broken-one');
    const write = [...headers.values()][0]!.origins[0]!;
    const ops: { type: 'put' | 'del'; key: Buffer; value?: Buffer }[] = [];
    for (const kind of ['q', 's', 'l']) {
      for await (const [key] of storage.iterator(keyRange(['vec', 'n', 'd', 'broken-one', kind]))) ops.push({ type: 'del', key });
    }
    const key = encodeKey(['vec', 'n', 'd', 'broken-one', 'p', write, 0]);
    const good = encodeChunk(['x', 'y', 'z'], groupPostings(['some words', 'more words', 'dead words']));
    await storage.batch([...ops, { type: 'put', key, value: good }] as never);
    const truncated = good.subarray(0, good.length - 4);
    const wrongVersion = Buffer.from(good);
    wrongVersion[0] = 7;
    for (const bad of [Buffer.from('this is not a postings chunk at all'), Buffer.from([0xff, 0x00, 0x13]), truncated, wrongVersion, Buffer.alloc(0)]) {
      await storage.put(key, bad);
      const error = await Collection.open(storage, ref).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `value ${bad.toString('hex').slice(0, 20)}`).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toContain('broken-one');
    }
    // Restored, it is converted without the dead postings, and scores again.
    await storage.put(key, good);
    const reopened = await Collection.open(storage, ref);
    expect(await legacyKeys('broken-one')).toEqual([]);
    expect(await idsWithPostings(storage, 'n', 'broken-one')).toEqual(new Set(['x', 'y']));
    await expectScoresOf(
      reopened,
      new Map([
        ['x', 'some words'],
        ['y', 'more words'],
      ]),
      ['words', 'some', 'more words', 'dead'],
    );
  });

  it('a damaged postings bucket makes a keyword query reject, a damaged header the open, each with a DatabaseError naming the collection', async () => {
    const ref = { namespace: 'n', name: 'broken-two' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    await c.insertBatch({ ids: ['x', 'y'], vectors: [vector(1), vector(2)], contents: ['some words', 'more words'] });
    const blocks: Buffer[] = [];
    for await (const [k] of storage.iterator(keyRange(['vec', 'n', 'd', 'broken-two', 'q']))) blocks.push(k); // 3 terms: one bucket
    const [block] = blocks as [Buffer];
    const goodBlock = (await storage.get(block))!;
    const damagedBuckets = [
      Buffer.alloc(0),
      Buffer.from([0x01, 0x05, 0x61]), // a 5-byte term in 1 byte
      Buffer.from([0x02, 0x00, 0x00]), // two entries, one there
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      encodeBucket([{ term: 'words', block: Buffer.from([0x05, 0x01]) }]), // 'words' with 5 postings in 1 byte
      encodeBucket([{ term: 'words', block: Buffer.from([0x02, 0x00, 0x01, 0x00, 0x01]) }]), // a document twice
    ];
    for (const bad of damagedBuckets) {
      await storage.put(block, bad);
      const error = await c.keywordSearch('words').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `block ${bad.toString('hex')}`).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toContain('broken-two');
    }
    await storage.put(block, goodBlock);
    expect((await c.keywordSearch('words')).map((h) => h.id).sort()).toEqual(['x', 'y']);
    await c.close();
    const headers: [Buffer, Buffer][] = [];
    for await (const [k, v] of storage.iterator(keyRange(['vec', 'n', 'd', 'broken-two', 's']))) headers.push([k, v]);
    const [header] = headers as [[Buffer, Buffer]];
    for (const bad of ['not json', '{"ids":["x"]}', '{"ids":["x","y"],"origins":["w"],"originOf":[0,3]}', '[]']) {
      await storage.put(header[0], bad);
      const error = await Collection.open(storage, ref).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, bad).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toContain('broken-two');
    }
    await storage.put(header[0], header[1]);
    expect((await (await Collection.open(storage, ref)).keywordSearch('more')).map((h) => h.id)).toEqual(['y']);
  });
});
