// The persisted BM25 index: postings per term and segment (one per write's chunk), dead postings
// ignored, compaction once a segment is at most half live, merges of small segments, and exact
// scores throughout.
import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bm25Index, Collection } from '../src/index.js';
import { rng, storedPostings as stored } from './helpers.js';

let factory: StorageFactory;
let storage: Storage;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  if (storage.status === 'open') await storage.close();
  await factory.cleanup();
});

/** Every stored posting of collection `name` in namespace 'n', as `segment term → [id, tf, …]` (dead ones too). */
async function storedPostings(name: string): Promise<Map<string, (string | number)[]>> {
  return (await stored(storage, 'n', name)).postings;
}

/** The number of stored postings segments of collection `name`. */
async function segmentCount(name: string): Promise<number> {
  return (await stored(storage, 'n', name)).headers.size;
}

const VOCAB = Array.from({ length: 30 }, (_, i) => `w${i}`);
function text(seed: number): string {
  const next = rng(seed + 1);
  return Array.from({ length: 3 + Math.floor(next() * 8) }, () => VOCAB[Math.floor(VOCAB.length * next() ** 2)]).join(' ');
}
const vector = (i: number) => [1 + (i % 7), (i * 13) % 11, (i * 5) % 3, 1];
const QUERIES = ['w0', 'w1 w2', 'w3 w9 w20', 'w5 w5 w6', 'w29 w0 w14', 'nothing'];

/** The same keyword searches on the collection and on a Bm25Index fed with the expected texts. */
async function expectScoresOf(c: Collection, texts: ReadonlyMap<string, string>): Promise<void> {
  const bm = new Bm25Index();
  for (const [id, t] of texts) bm.add(id, t);
  for (const q of QUERIES) {
    const got = (await c.keywordSearch(q, 100)).map((r) => ({ id: r.id, score: r.score }));
    expect(got).toEqual(bm.search(q, 100));
  }
}

describe('persisted BM25 postings', () => {
  it('a batch writes one segment holding every (term, id, tf) of the batch, a value per term', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'k', dimension: 2 });
    await c.insertBatch({
      ids: ['a', 'b'],
      vectors: [
        [1, 0],
        [0, 1],
      ],
      contents: ['Neural networks, neural nets!', 'neural graph'],
      metadatas: [{ tags: ['graph'], n: 1 }, {}],
    });
    expect(await segmentCount('k')).toBe(1);
    const postings = await storedPostings('k');
    const segments = new Set([...postings.keys()].map((k) => k.split(' ')[0]));
    expect(segments.size).toBe(1);
    const byTerm = new Map([...postings].map(([k, v]) => [k.split(' ')[1], v]));
    expect(Object.fromEntries(byTerm)).toEqual({ neural: ['a', 2, 'b', 1], networks: ['a', 1], nets: ['a', 1], graph: ['a', 1, 'b', 1] });
    // A second write is a second segment.
    await c.insert({ id: 'c', vector: [1, 1], content: 'neural' });
    expect(new Set([...(await storedPostings('k')).keys()].map((k) => k.split(' ')[0])).size).toBe(2);
  });

  it('a reopened collection scores exactly as before after batches, deletes, replacements and re-inserts', async () => {
    const ref = { namespace: 'n', name: 'r' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    const texts = new Map<string, string>();
    for (let batch = 0; batch < 4; batch++) {
      const ids = Array.from({ length: 50 }, (_, j) => `d${batch * 50 + j}`);
      await c.insertBatch({ ids, vectors: ids.map((_, j) => vector(batch * 50 + j)), contents: ids.map((_, j) => text(batch * 50 + j)) });
      ids.forEach((id, j) => texts.set(id, text(batch * 50 + j)));
    }
    // Fewer than half of each batch goes, so dead postings stay in storage (no compaction yet).
    for (let i = 0; i < 200; i += 7) {
      await c.delete(`d${i}`);
      texts.delete(`d${i}`);
    }
    // Replacements in a batch (new text), and deleted ids inserted again.
    const replaced = ['d1', 'd2', 'd51', 'd7', 'd14', 'd150'];
    await c.insertBatch({ ids: replaced, vectors: replaced.map((_, j) => vector(j)), contents: replaced.map((_, j) => text(1000 + j)) });
    replaced.forEach((id, j) => texts.set(id, text(1000 + j)));
    await c.insert({ id: 'd21', vector: vector(21), content: 'w0 w0 w0 fresh' });
    texts.set('d21', 'w0 w0 w0 fresh');

    const dead = [...(await storedPostings('r')).values()].flatMap((list) => list.filter((_, i) => i % 2 === 0)).filter((id) => id === 'd0' || id === 'd7');
    expect(dead.length).toBeGreaterThan(0); // d0 is deleted, d7 replaced: their old postings are still stored
    await expectScoresOf(c, texts);
    const before = await Promise.all(QUERIES.map((q) => c.keywordSearch(q, 100)));
    await c.close();
    await storage.close();

    storage = await factory.open();
    const reopened = await Collection.open(storage, ref);
    expect(await reopened.count()).toBe(texts.size);
    expect(await Promise.all(QUERIES.map((q) => reopened.keywordSearch(q, 100)))).toEqual(before);
    await expectScoresOf(reopened, texts);
  });

  it('compacts a segment once at most half of it is live, and removes it when none is', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'c', dimension: 4 });
    const ids = Array.from({ length: 10 }, (_, i) => `d${i}`);
    await c.insertBatch({ ids, vectors: ids.map((_, i) => vector(i)), contents: ids.map(() => 'shared words here') });
    const idsIn = async () => new Set([...(await storedPostings('c')).values()].flatMap((list) => list.filter((_, i) => i % 2 === 0)));
    for (let i = 0; i < 4; i++) await c.delete(`d${i}`);
    expect((await idsIn()).size).toBe(10); // 6 of 10 live: dead postings stay
    await c.delete('d4'); // 5 of 10 live: the segment is rewritten without the dead ones
    expect([...(await idsIn())].sort()).toEqual(['d5', 'd6', 'd7', 'd8', 'd9']);
    // Replacing documents kills their postings in the old segment too.
    await c.insertBatch({ ids: ['d5', 'd6', 'd7'], vectors: [vector(5), vector(6), vector(7)], contents: ['other', 'other', 'other'] });
    expect([...(await idsIn())].sort()).toEqual(['d5', 'd6', 'd7', 'd8', 'd9']); // 'other' segment + 2 of 5 live in the old one → compacted
    const old = [...(await storedPostings('c'))].filter(([k]) => k.endsWith(' shared'));
    expect(old.map(([, v]) => v)).toEqual([['d8', 1, 'd9', 1]]);
    await c.delete('d8');
    await c.delete('d9');
    expect([...(await storedPostings('c')).keys()].map((k) => k.split(' ')[1])).toEqual(['other']);
    await expectScoresOf(
      c,
      new Map([
        ['d5', 'other'],
        ['d6', 'other'],
        ['d7', 'other'],
      ]),
    );
  });

  it('concurrent deletes in one segment all succeed, and compaction conflicts are retried', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'cc', dimension: 4 });
    const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
    await c.insertBatch({ ids, vectors: ids.map((_, i) => vector(i)), contents: ids.map((_, i) => text(i)) });
    const results = await Promise.all(ids.slice(0, 30).map((id) => c.delete(id)));
    expect(results.every(Boolean)).toBe(true);
    await expectScoresOf(c, new Map(ids.slice(30).map((id, j) => [id, text(30 + j)])));
    // Each of those writes judged the segment by the committed state it started from (all live),
    // so the dead postings stay until the next write that removes a document of the segment.
    const storedIds = async () => new Set([...(await storedPostings('cc')).values()].flatMap((list) => list.filter((_, i) => i % 2 === 0)));
    expect((await storedIds()).size).toBe(40);
    const conflicts = (await storage.currentStats()).conflicts;
    // Both compact: one conflicts and is retried. Their first attempts wait for each other before
    // committing, so they overlap on every backend (on a server one could finish before the other
    // began, and then none conflicts).
    const transaction = storage.transaction.bind(storage);
    const atBarrier: (() => void)[] = [];
    storage.transaction = (fn, options) =>
      transaction(async (txn) => {
        const result = await fn(txn);
        if (atBarrier.length < 2) {
          await new Promise<void>((resolve) => {
            atBarrier.push(resolve);
            if (atBarrier.length === 2) for (const release of atBarrier) release();
          });
        }
        return result;
      }, options);
    try {
      await Promise.all([c.delete('d30'), c.delete('d31')]);
    } finally {
      storage.transaction = transaction;
    }
    // At least once: a retry that begins while the winner's commit is still queued cannot see it
    // and conflicts again (more so on a loaded machine).
    expect((await storage.currentStats()).conflicts).toBeGreaterThanOrEqual(conflicts + 1);
    // Whichever commits first compacts; the retry sees that compaction (9 documents left, 8 live),
    // so the retried delete's postings wait for the next one. Which of the two wins is up to timing.
    const left = [...(await storedIds())].sort();
    const retried = left.find((id) => id === 'd30' || id === 'd31');
    expect(retried).toBeDefined();
    expect(left).toEqual([retried, ...ids.slice(32)].sort());
    await expectScoresOf(c, new Map(ids.slice(32).map((id, j) => [id, text(32 + j)])));
    // The rest go concurrently too. Those that began before another committed judge the segment
    // as they found it, so dead postings may stay (how many depends on timing); the next write
    // compacts what is left.
    await Promise.all(ids.slice(32).map((id) => c.delete(id)));
    await c.insert({ id: 'new', vector: vector(1), content: 'w1' });
    expect([...(await storedIds())]).toEqual(['new']);
    await c.close();
    const reopened = await Collection.open(storage, { namespace: 'n', name: 'cc' });
    await expectScoresOf(reopened, new Map([['new', 'w1']]));
  });

  it('flush compacts the segments left waiting, and a reopened collection finds them too', async () => {
    const ref = { namespace: 'n', name: 'f' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    const ids = Array.from({ length: 12 }, (_, i) => `d${i}`);
    await c.insertBatch({ ids, vectors: ids.map((_, i) => vector(i)), contents: ids.map((_, i) => text(i)) });
    await Promise.all(ids.slice(0, 8).map((id) => c.delete(id)));
    expect((await storedPostings('f')).size).toBeGreaterThan(0);
    const alive = new Map(ids.slice(8).map((id, j) => [id, text(8 + j)]));
    await storage.close(); // a crash: nothing compacted the segment
    storage = await factory.open();
    const reopened = await Collection.open(storage, ref);
    await expectScoresOf(reopened, alive);
    await reopened.flush();
    const stored = new Set([...(await storedPostings('f')).values()].flatMap((list) => list.filter((_, i) => i % 2 === 0)));
    expect([...stored].sort()).toEqual(ids.slice(8).sort());
    await expectScoresOf(reopened, alive);
  });

  it('one-document writes merge small segments as they add up, in this object and another following it', async () => {
    const ref = { namespace: 'n', name: 'm' };
    const c = await Collection.create(storage, { ...ref, dimension: 4 });
    const other = await Collection.open(storage, ref);
    const texts = new Map<string, string>();
    let most = 0;
    for (let i = 0; i < 300; i++) {
      // Both objects write: each merges what it knows of, and forgets what the other merged away.
      await (i % 3 === 0 ? other : c).insert({ id: `d${i}`, vector: vector(i), content: text(i) });
      texts.set(`d${i}`, text(i));
      most = Math.max(most, await segmentCount('m'));
    }
    // Without merging there would be 300; segments of a size class merge 16 at a time.
    expect(most).toBeLessThan(40);
    expect(await segmentCount('m')).toBeLessThan(32);
    await expectScoresOf(c, texts);
    await expectScoresOf(other, texts);
    for (let i = 0; i < 300; i += 2) {
      await (i % 4 === 0 ? other : c).delete(`d${i}`);
      texts.delete(`d${i}`);
    }
    await expectScoresOf(c, texts);
    await expectScoresOf(other, texts);
    await c.flush();
    // What flush left is at least half live (and so no larger than twice the live postings).
    const live = [...(await storedPostings('m')).values()].flatMap((list) => list.filter((_, i) => i % 2 === 0)).filter((id) => texts.has(id as string));
    const all = [...(await storedPostings('m')).values()].reduce((n, list) => n + list.length / 2, 0);
    expect(all).toBeLessThanOrEqual(2 * live.length);
    await c.close();
    await other.close();
    await expectScoresOf(await Collection.open(storage, ref), texts);
  });

  it('a query racing a merge by another writer reads the segments that replaced the ones it knew', async () => {
    const ref = { namespace: 'n', name: 'race' };
    const a = await Collection.create(storage, { ...ref, dimension: 4 });
    const b = await Collection.open(storage, ref);
    const texts = new Map<string, string>();
    for (let i = 0; i < 16; i++) {
      await a.insert({ id: `d${i}`, vector: vector(i), content: text(i) });
      texts.set(`d${i}`, text(i));
    }
    await expectScoresOf(a, texts);
    await expectScoresOf(b, texts); // b has followed a's writes: it knows their segments
    // Both stop following (for a, as if b's commit landed between its catching up and its query)...
    const changesAfter = storage.changesAfter.bind(storage);
    storage.changesAfter = (after) => Promise.resolve({ commits: [], lsn: after, more: false });
    try {
      // ...while b's next write merges the 16 one-document segments a knows into one.
      await b.insert({ id: 'late', vector: vector(99), content: 'w0 late' });
      expect(await segmentCount('race')).toBe(2);
      await expectScoresOf(a, texts); // not 'late': a has not followed that write
    } finally {
      storage.changesAfter = changesAfter;
    }
    texts.set('late', 'w0 late');
    await expectScoresOf(a, texts);
  });

  it('top-k queries skip most postings of common words (MaxScore) and score exactly, after deletes and replacements, with filters', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'z', dimension: 4 });
    const next = rng(77);
    const words = Array.from({ length: 300 }, (_, i) => `z${i}`);
    const zipfText = () => Array.from({ length: 8 + Math.floor(next() * 30) }, () => words[Math.floor(words.length ** next()) - 1]!).join(' ');
    const texts = new Map<string, string>();
    const even = new Set<string>();
    for (let batch = 0; batch < 3; batch++) {
      const ids = Array.from({ length: 500 }, (_, j) => `d${batch * 500 + j}`);
      const contents = ids.map(() => zipfText());
      await c.insertBatch({ ids, vectors: ids.map((_, j) => vector(j)), contents, metadatas: ids.map((_, j) => ({ even: j % 2 === 0 })) });
      ids.forEach((id, j) => {
        texts.set(id, contents[j]!);
        if (j % 2 === 0) even.add(id);
      });
    }
    const queries = Array.from({ length: 25 }, () =>
      Array.from({ length: 2 + Math.floor(next() * 3) }, () => words[Math.floor(words.length ** next()) - 1]!).join(' '),
    );
    const check = async () => {
      const bm = new Bm25Index();
      for (const [id, t] of texts) bm.add(id, t);
      for (const q of queries) {
        for (const k of [1, 3, 10]) {
          expect(
            (await c.keywordSearch(q, k)).map((r) => ({ id: r.id, score: r.score })),
            `${q} k=${k}`,
          ).toEqual(bm.search(q, k));
          const filtered = (await c.keywordSearch(q, k, { filter: { even: true } })).map((r) => ({ id: r.id, score: r.score }));
          expect(filtered, `${q} k=${k} even`).toEqual(bm.search(q, k, (id) => even.has(id)));
        }
      }
    };
    await check();
    for (let i = 0; i < 1500; i += 7) {
      await c.delete(`d${i}`);
      texts.delete(`d${i}`);
    }
    const replaced = Array.from({ length: 60 }, (_, j) => `d${j * 20 + 1}`);
    const contents = replaced.map(() => zipfText());
    await c.insertBatch({ ids: replaced, vectors: replaced.map((_, j) => vector(j)), contents, metadatas: replaced.map(() => ({ even: false })) });
    replaced.forEach((id, j) => {
      texts.set(id, contents[j]!);
      even.delete(id);
    });
    await check();
  });

  it("writes in a caller's transaction merge nothing (a conflict would fail them); the next write of its own or flush does", async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 't', dimension: 4 });
    const texts = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      await storage.transaction((txn) => c.insert({ id: `d${i}`, vector: vector(i), content: text(i) }, { txn }));
      texts.set(`d${i}`, text(i));
    }
    expect(await segmentCount('t')).toBe(20);
    await expectScoresOf(c, texts);
    await c.flush();
    expect(await segmentCount('t')).toBe(20 - 16 + 1);
    await expectScoresOf(c, texts);
  });

  it('a delete or replacement inside an aborted transaction changes no postings or scores', async () => {
    const c = await Collection.create(storage, { namespace: 'n', name: 'a', dimension: 4 });
    const ids = ['x', 'y', 'z'];
    await c.insertBatch({ ids, vectors: ids.map((_, i) => vector(i)), contents: ['w1 w2', 'w2 w3', 'w3 w1'] });
    const before = await storedPostings('a');
    const txn = storage.beginTransaction();
    await c.delete('x', { txn });
    await c.delete('y', { txn }); // 2 of 3 dead: compaction runs inside the transaction
    await c.insert({ id: 'z', vector: vector(9), content: 'w9' }, { txn });
    await txn.abort();
    expect(await storedPostings('a')).toEqual(before);
    await expectScoresOf(
      c,
      new Map([
        ['x', 'w1 w2'],
        ['y', 'w2 w3'],
        ['z', 'w3 w1'],
      ]),
    );
  });
});
