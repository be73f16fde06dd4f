// BM25 text analysis (issue 21): optional Snowball English stemming and stop words, the same at
// index and query time, on the worker thread as inline, stored with a collection and fixed at
// creation; without options everything scores as before.
import { CollectionConfigError, encodeKey, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze, Bm25Index, Collection, groupPostings, tokenize, type TextAnalysisOptions } from '../src/index.js';
import { OFFLOAD_CHARS, textWorkerForTests } from '../src/prepare/text-grouping.js';
import { CHUNK_DOCS } from '../src/text/postings-chunk.js';
import { postingsOfWrite, rng, storedPostings } from './helpers.js';

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

const ENGLISH: TextAnalysisOptions = { stemming: 'english', stopWords: 'english' };

/** Okapi BM25 of one query term in one document, written out (k1 = 1.2, b = 0.75). */
function okapi(tf: number, length: number, avgdl: number, n: number, df: number): number {
  const idf = Math.log((n - df + 0.5) / (df + 0.5) + 1);
  return (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * length) / avgdl));
}

/** Expects `fn` to throw a ValidationError (code 6000) naming `field`. */
function expectValidation(fn: () => unknown, field: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ValidationError);
  expect((caught as ValidationError).code).toBe(6000);
  expect((caught as ValidationError).field).toBe(field);
}

describe('analyze', () => {
  it('is tokenize without options, and tokenize → drop stop words → stem with them', () => {
    const text = "The Runners were RUNNING; don't generously ﬁshing 東京 42";
    expect(analyze(text)).toEqual(tokenize(text));
    expect(analyze(text, {})).toEqual(tokenize(text));
    expect(analyze(text, { stemming: 'none', stopWords: 'none' })).toEqual(tokenize(text));
    expect(analyze(text, { stemming: 'english' })).toEqual(['the', 'runner', 'were', 'run', 'don', 't', 'generous', 'fish', '東京', '42']);
    expect(analyze(text, { stopWords: 'english' })).toEqual(['runners', 'running', 'don', 't', 'generously', 'fishing', '東京', '42']);
    expect(analyze(text, ENGLISH)).toEqual(['runner', 'run', 'don', 't', 'generous', 'fish', '東京', '42']);
    // Stop words are compared before stemming, with tokens as tokenize makes them (NFKC, lowercase).
    expect(analyze('Ｔｈｅ being BEING', { stemming: 'english', stopWords: ['being'] })).toEqual(['the']);
    expect(analyze('', ENGLISH)).toEqual([]);
    expect(analyze('the of and', ENGLISH)).toEqual([]);
  });
});

describe('Bm25Index with stemming', () => {
  it('matches "run" to "running runners" only with stemming on, scored as BM25 of the stemmed tokens', () => {
    const docs: [string, string][] = [
      ['a', 'running runners'],
      ['b', 'the cat sat'],
      ['c', 'a dog ran'],
    ];
    const stemmed = new Bm25Index({ text: { stemming: 'english' } });
    const plain = new Bm25Index();
    for (const [id, text] of docs) {
      stemmed.add(id, text);
      plain.add(id, text);
    }
    expect(plain.search('run', 10)).toEqual([]);
    expect(stemmed.text).toEqual({ stemming: 'english', stopWords: 'none' });
    // Stemmed: a = [run, runner] (2 terms), b = [the, cat, sat] (3), c = [a, dog, ran] (3): N = 3, avgdl = 8/3.
    expect(stemmed.averageLength).toBe(8 / 3);
    expect(stemmed.documentFrequency('run')).toBe(1);
    expect(stemmed.documentFrequency('running')).toBe(0);
    const hits = stemmed.search('run', 10);
    expect(hits.map((h) => h.id)).toEqual(['a']);
    // idf = ln((3 − 1 + 0.5)/(1 + 0.5) + 1) = 0.980829; 0.980829 · 2.2 / (1 + 1.2·(0.25 + 0.75·2/(8/3))) = 1.092569.
    expect(hits[0]!.score).toBeCloseTo(okapi(1, 2, 8 / 3, 3, 1), 12);
    expect(hits[0]!.score).toBeCloseTo(1.092569, 6);
    // The query is stemmed too: "Runs", "running" and "run" are one term; repeats count per occurrence.
    expect(stemmed.search('Runs', 10)).toEqual(hits);
    expect(stemmed.search('running run', 10)[0]!.score).toBeCloseTo(2 * hits[0]!.score, 12);
    // "runners" stems to "runner", a term of its own.
    expect(stemmed.search('runner', 10)[0]!.score).toBeCloseTo(okapi(1, 2, 8 / 3, 3, 1), 12);
  });
});

describe('Bm25Index with stop words', () => {
  const build = (text: TextAnalysisOptions) => {
    const bm = new Bm25Index({ text });
    bm.add('d1', 'The cat sat on the mat');
    bm.add('d2', 'a cat');
    bm.add('d3', 'the of and'); // only stop words
    bm.add('d4', 'dogs and cats');
    return bm;
  };

  it('drops them from documents (and their lengths) and from queries', () => {
    const bm = build({ stopWords: 'english' });
    // d1 = [cat, sat, mat], d2 = [cat], d3 = [], d4 = [dogs, cats]: N = 4, avgdl = 6/4.
    expect(bm.size).toBe(4);
    expect(bm.averageLength).toBe(1.5);
    expect(bm.documentFrequency('the')).toBe(0);
    const hits = bm.search('cat', 10);
    expect(hits.map((h) => h.id)).toEqual(['d2', 'd1']);
    expect(hits[0]!.score).toBeCloseTo(okapi(1, 1, 1.5, 4, 2), 12);
    expect(hits[1]!.score).toBeCloseTo(okapi(1, 3, 1.5, 4, 2), 12);
    // "the" contributes nothing and changes no ranking; a query of stop words finds nothing.
    expect(bm.search('the cat the', 10)).toEqual(hits);
    expect(bm.search('The THE of', 10)).toEqual([]);
    expect(bm.scoreAll('the and').size).toBe(0);
    // A document made only of stop words is no keyword hit, whatever the query.
    for (const q of ['the', 'the of and', 'cat the', 'and']) expect(bm.search(q, 10).map((h) => h.id)).not.toContain('d3');
  });

  it('without them "the" counts, as before', () => {
    const bm = build({});
    expect(bm.averageLength).toBe((6 + 2 + 3 + 3) / 4);
    expect(bm.search('the', 10).map((h) => h.id)).toEqual(['d1', 'd3']); // d1 has it twice
    expect(bm.search('the cat', 10)).not.toEqual(bm.search('cat', 10));
  });

  it('take a custom list, normalised like tokens, with stemming after it', () => {
    const bm = new Bm25Index({ text: { stemming: 'english', stopWords: ['CAT', 'sat', 'cat', 'Ｍａｔ'] } });
    expect(bm.text).toEqual({ stemming: 'english', stopWords: ['cat', 'mat', 'sat'] });
    bm.add('d1', 'The cat sat on the mat');
    bm.add('d2', 'cats');
    expect(bm.averageLength).toBe((3 + 1) / 2); // d1 = [the, on, the]; d2 = [cat]: "cats" is no stop word, its stem is "cat"
    expect(bm.search('mat sat', 10)).toEqual([]);
    expect(bm.search('cats', 10).map((h) => h.id)).toEqual(['d2']);
    expect(bm.search('cat', 10)).toEqual([]); // the query's "cat" is a stop word
    expect(new Bm25Index({ text: { stopWords: [] } }).text).toEqual({ stemming: 'none', stopWords: 'none' });
  });

  it('groupPostings with the same options gives what add gives', () => {
    const texts = ['The cat sat on the mat', 'running runners', 'the of and', ''];
    const group = groupPostings(texts, ENGLISH);
    expect(Array.from(group.lengths)).toEqual(texts.map((t) => analyze(t, ENGLISH).length));
    const grouped = new Bm25Index({ text: ENGLISH });
    grouped.addGrouped(['a', 'b', 'c', 'd'], group);
    const added = new Bm25Index({ text: ENGLISH });
    texts.forEach((t, d) => added.add('abcd'[d]!, t));
    for (const q of ['cat', 'run', 'the mat', 'runner']) expect(grouped.search(q, 10)).toEqual(added.search(q, 10));
  });
});

describe('invalid text options', () => {
  it('are a ValidationError naming the field, on Bm25Index, analyze and groupPostings', () => {
    expectValidation(() => new Bm25Index({ text: { stemming: 'porter' as 'english' } }), 'text.stemming');
    expectValidation(() => new Bm25Index({ text: { stemming: 42 as unknown as 'english' } }), 'text.stemming');
    expectValidation(() => new Bm25Index({ text: { stopWords: 'german' as 'english' } }), 'text.stopWords');
    expectValidation(() => new Bm25Index({ text: { stopWords: ['the', 7 as unknown as string] } }), 'text.stopWords[1]');
    expectValidation(() => new Bm25Index({ text: { stopWords: ["don't"] } }), 'text.stopWords[0]');
    expectValidation(() => new Bm25Index({ text: { stopWords: ['  '] } }), 'text.stopWords[0]');
    expectValidation(() => new Bm25Index({ text: { stopWords: { the: true } as unknown as string[] } }), 'text.stopWords');
    expectValidation(() => new Bm25Index({ text: 'english' as TextAnalysisOptions }), 'text');
    expectValidation(() => analyze('x', { stemming: 'French' as 'english' }), 'text.stemming');
    expectValidation(() => groupPostings(['x'], { stopWords: [null as unknown as string] }), 'text.stopWords[0]');
  });

  it('are a CollectionConfigError (4003) on Collection.create, its cause naming the field', async () => {
    const attempts: [TextAnalysisOptions, string][] = [
      [{ stemming: 'snowball' as 'english' }, 'text.stemming'],
      [{ stopWords: [1 as unknown as string] }, 'text.stopWords[0]'],
      [{ stopWords: 'eng' as 'english' }, 'text.stopWords'],
    ];
    for (const [text, field] of attempts) {
      const error = await Collection.create(storage, { namespace: 'n', name: 'bad', dimension: 2, text }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CollectionConfigError);
      expect((error as CollectionConfigError).code).toBe(4003);
      expect(((error as CollectionConfigError).cause as ValidationError).field).toBe(field);
    }
    expect(await Collection.exists(storage, { namespace: 'n', name: 'bad' })).toBe(false);
  });
});

// ── collections ─────────────────────────────────────────────────────────────────────────────────

const DOCS: [string, string][] = [
  ['a', 'Running runners run the race'],
  ['b', 'The cat sat on the mat'],
  ['c', 'the of and'],
  ['d', 'A dog ran after the cats'],
  ['e', 'Generously running dogs'],
];
const QUERIES = ['run', 'running', 'the cat', 'the', 'cats dog', 'race runner runner', 'generous', 'nothing'];

async function insertDocs(c: Collection): Promise<void> {
  await c.insertBatch({ ids: DOCS.map(([id]) => id), vectors: DOCS.map((_, i) => [1, i + 1]), contents: DOCS.map(([, t]) => t) });
}

/** The collection's keyword scores equal a Bm25Index's with the same options over the same texts. */
async function expectScoresAsBm25(c: Collection, text: TextAnalysisOptions | undefined, docs: readonly [string, string][] = DOCS, queries = QUERIES) {
  const bm = new Bm25Index(text === undefined ? {} : { text });
  for (const [id, t] of docs) bm.add(id, t);
  for (const q of queries) {
    const got = (await c.keywordSearch(q, docs.length + 10)).map((r) => ({ id: r.id, score: r.score }));
    expect(got, q).toEqual(bm.search(q, docs.length + 10));
  }
}

async function reopen(ref: { namespace: string; name: string }): Promise<Collection> {
  await storage.close();
  storage = await factory.open();
  return Collection.open(storage, ref);
}

describe('collections with text options', () => {
  it('analyse documents and queries alike, and keep the options across close and reopen', async () => {
    const ref = { namespace: 'n', name: 'en' };
    const c = await Collection.create(storage, { ...ref, dimension: 2, text: ENGLISH });
    expect(c.info.text).toEqual({ stemming: 'english', stopWords: 'english' });
    await insertDocs(c);
    expect((await c.keywordSearch('run', 10)).map((r) => r.id)).toEqual(['a', 'e']);
    expect(await c.keywordSearch('the', 10)).toEqual([]);
    expect((await c.keywordSearch('the cat', 10)).map((r) => r.id)).toEqual(['b', 'd']);
    await expectScoresAsBm25(c, ENGLISH);
    // A hybrid search whose text is only stop words is the vector ranking alone.
    const hybrid = await c.hybridSearch([1, 3], 'the of', 5);
    expect(hybrid.map((r) => r.id)).toEqual((await c.vectorSearch([1, 3], 5)).map((r) => r.id));
    const before = await Promise.all(QUERIES.map((q) => c.keywordSearch(q, 10)));
    await c.close();

    const reopened = await reopen(ref);
    expect(reopened.info.text).toEqual(ENGLISH);
    expect((await Collection.info(storage, ref)).text).toEqual(ENGLISH);
    expect((await Collection.list(storage, 'n')).map((i) => i.text)).toEqual([ENGLISH]);
    expect(await Promise.all(QUERIES.map((q) => reopened.keywordSearch(q, 10)))).toEqual(before);
    // Writes after reopening are analysed with the stored options too.
    await reopened.insert({ id: 'f', vector: [2, 1], content: 'the runs' });
    await expectScoresAsBm25(reopened, ENGLISH, [...DOCS, ['f', 'the runs']]);
    await reopened.close();
  });

  it('are fixed at creation: create({ existOk }) with other options throws CollectionConfigError 4003', async () => {
    const ref = { namespace: 'n', name: 'fixed' };
    const custom = { stemming: 'english', stopWords: ['The', 'of'] } as const;
    const c = await Collection.create(storage, { ...ref, dimension: 2, text: custom });
    await insertDocs(c);
    expect(c.info.text).toEqual({ stemming: 'english', stopWords: ['of', 'the'] });
    await c.close();
    for (const text of [
      { stemming: 'none' },
      { stopWords: 'english' },
      { stopWords: 'none' },
      { stopWords: ['the'] },
      { stemming: 'none', stopWords: ['of', 'the'] },
    ] as const) {
      const error = await Collection.create(storage, { ...ref, dimension: 2, existOk: true, text }).catch((e: unknown) => e);
      expect(error, JSON.stringify(text)).toBeInstanceOf(CollectionConfigError);
      expect((error as CollectionConfigError).code).toBe(4003);
      expect((error as Error).message).toMatch(/text\.(stemming|stopWords)/);
    }
    // The same options (a custom list in any order and case), a subset of them, or none: it opens.
    for (const text of [custom, { stopWords: ['OF', 'the', 'of'] }, { stemming: 'english' }, {}, undefined] as const) {
      const again = await Collection.create(storage, { ...ref, existOk: true, ...(text === undefined ? {} : { text }) });
      expect(again.info.text).toEqual({ stemming: 'english', stopWords: ['of', 'the'] });
      await expectScoresAsBm25(again, custom);
      await again.close();
    }
  });

  it('default to none: scores are those of a plain Bm25Index, also for a collection stored before the option existed', async () => {
    const ref = { namespace: 'n', name: 'plain' };
    const c = await Collection.create(storage, { ...ref, dimension: 2 });
    expect(c.info.text).toEqual({ stemming: 'none', stopWords: 'none' });
    await insertDocs(c);
    await expectScoresAsBm25(c, undefined);
    expect(await c.keywordSearch('run', 10)).toHaveLength(1); // only "run" itself: no stemming
    // Hand-computed, as before this option: "race" is only in a (5 tokens); avgdl = (5 + 6 + 3 + 6 + 3)/5.
    expect((await c.keywordSearch('race', 10))[0]!.score).toBeCloseTo(okapi(1, 5, 23 / 5, 5, 1), 12);
    const before = await Promise.all(QUERIES.map((q) => c.keywordSearch(q, 10)));
    await c.close();

    // A config as stored before text options existed: no `text` field.
    const key = encodeKey(['vec', 'n', 'c', 'plain']);
    const stored = JSON.parse((await storage.get(key))!.toString('utf8')) as Record<string, unknown>;
    delete stored.text;
    await storage.put(key, JSON.stringify(stored));

    const reopened = await reopen(ref);
    expect(reopened.info.text).toEqual({ stemming: 'none', stopWords: 'none' });
    expect(await Promise.all(QUERIES.map((q) => reopened.keywordSearch(q, 10)))).toEqual(before);
    await reopened.close();
    const error = await Collection.create(storage, { ...ref, existOk: true, text: { stemming: 'english' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectionConfigError);
    const same = await Collection.create(storage, { ...ref, existOk: true, text: { stemming: 'none', stopWords: 'none' } });
    expect(await Promise.all(QUERIES.map((q) => same.keywordSearch(q, 10)))).toEqual(before);
    await same.close();
  });

  it('on the text worker give the same postings as inline, and exact scores', async () => {
    const ref = { namespace: 'n', name: 'big' };
    const text: TextAnalysisOptions = { stemming: 'english', stopWords: ['the', 'of', 'runs'] };
    const c = await Collection.create(storage, { ...ref, dimension: 2, text });
    const words = ['running', 'runners', 'runs', 'the', 'of', 'cats', 'cat', 'generously', 'fishing', 'Ünïcode', '東京', 'x42', 'swimming'];
    const next = rng(21);
    const count = CHUNK_DOCS + 300;
    const ids = Array.from({ length: count }, (_, i) => `d${i}`);
    const contents = ids.map(() => Array.from({ length: 20 + Math.floor(next() * 20) }, () => words[Math.floor(next() * words.length)]!).join(' '));
    expect(contents.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(OFFLOAD_CHARS);
    expect(await textWorkerForTests.ready()).toBe(true);
    const offloaded = textWorkerForTests.offloaded;
    await c.insertBatch({ ids, vectors: ids.map((_, i) => [1, i]), contents });
    expect(textWorkerForTests.offloaded).toBe(offloaded + 2); // both chunks came from the worker

    // The worker's stored postings are exactly what grouping on this thread gives.
    const stored = await storedPostings(storage, 'n', 'big');
    const write = [...stored.headers.values()][0]!.origins[0]!;
    const groups = [0, 1].map((c) => groupPostings(contents.slice(c * CHUNK_DOCS, (c + 1) * CHUNK_DOCS), text));
    expect(stored).toEqual(postingsOfWrite(write, ids, groups, CHUNK_DOCS));
    const docs = ids.map((id, i): [string, string] => [id, contents[i]!]);
    const queries = ['run', 'the runs', 'cat fish', 'unicode 東京 x42', 'swim', 'of'];
    await expectScoresAsBm25(c, text, docs, queries);
    await c.close();
    await expectScoresAsBm25(await reopen(ref), text, docs, queries);
  });
});
