// A collection given an embedding function embeds documents' content and `search({ text })`
// queries itself, as Chroma's embedding functions do (issue 22). The function here is a
// deterministic local one (hashed bag of words); no model is downloaded.
import { DatabaseError, DimensionMismatchError, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Collection, type EmbeddingFunction } from '../src/index.js';

const DIM = 32;
/** Each word adds 1 to one of 32 dimensions (by a string hash); the sum is L2-normalized. */
function bagOfWords(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % DIM]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

let factory: StorageFactory;
let storage: Storage;
let calls: (readonly string[])[];
const embed: EmbeddingFunction = async (texts) => {
  calls.push(texts);
  return texts.map(bagOfWords);
};
const f32 = (v: number[]) => Array.from(new Float32Array(v));

beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
  calls = [];
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

describe('a collection with an embedding function', () => {
  it('embeds content on insert and text on search', async () => {
    const docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, embed });
    await docs.insert({ id: 'cats', content: 'cats purr and sleep all day' });
    await docs.insertBatch({ ids: ['dogs', 'fish'], contents: ['dogs bark at the mail carrier', 'fish swim in the quiet pond'] });
    expect(calls).toEqual([['cats purr and sleep all day'], ['dogs bark at the mail carrier', 'fish swim in the quiet pond']]);
    expect((await docs.get('dogs'))?.vector).toEqual(f32(bagOfWords('dogs bark at the mail carrier')));

    const [hit] = await docs.search({ text: 'why do dogs bark', k: 1 });
    expect(hit?.id).toBe('dogs');
    const hybrid = await docs.search({ text: 'quiet pond', textQuery: 'pond', k: 2 });
    expect(hybrid[0]?.id).toBe('fish');
    // A document given a vector is not embedded.
    await docs.insert({ id: 'own', vector: bagOfWords('own vector'), content: 'anything' });
    expect(calls).toHaveLength(4);
    await docs.close();
  });

  it('re-embeds on update only when the text changes without a new vector', async () => {
    const docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, embed });
    await docs.insert({ id: 'a', content: 'red apples', metadata: { n: 1 } });
    await docs.update('a', { metadata: { n: 2 } });
    expect((await docs.get('a'))?.vector).toEqual(f32(bagOfWords('red apples')));
    await docs.update('a', { content: 'green pears ripen slowly' });
    expect((await docs.get('a'))?.vector).toEqual(f32(bagOfWords('green pears ripen slowly')));
    expect((await docs.search({ text: 'green pears', k: 1 }))[0]?.metadata).toEqual({ n: 2 });
    await docs.update('a', { content: null });
    expect((await docs.get('a'))?.vector).toEqual(f32(bagOfWords('green pears ripen slowly')));
    expect(calls).toHaveLength(3); // insert, content update, search
    await docs.close();
  });

  it('is given again on open, and can be set on an open object', async () => {
    await (await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, embed })).close();
    const plain = await Collection.open(storage, { namespace: 'ns', name: 'docs' });
    await expect(plain.insert({ id: 'x', content: 'no vector' })).rejects.toThrow(/vector is missing/);
    await expect(plain.search({ text: 'anything' })).rejects.toThrow(/needs an embedding function/);
    plain.useEmbedding(embed);
    await plain.insert({ id: 'x', content: 'now embedded' });
    expect(plain.embedding).toBe(embed);
    await plain.close();
    const again = await Collection.open(storage, { namespace: 'ns', name: 'docs' }, { embed });
    expect((await again.search({ text: 'now embedded', k: 1 }))[0]?.id).toBe('x');
    await again.close();
  });

  it('refuses a function that breaks its contract, and writes nothing', async () => {
    const short = await Collection.create(storage, { namespace: 'ns', name: 'short', dimension: DIM, embed: async () => [bagOfWords('one')] });
    await expect(short.insertBatch({ contents: ['a', 'b'] })).rejects.toThrow(/returned 1 vectors for 2 texts/);
    const narrow = await Collection.create(storage, { namespace: 'ns', name: 'narrow', dimension: DIM, embed: async (t) => t.map(() => [1, 0]) });
    await expect(narrow.insert({ content: 'x' })).rejects.toThrow(DimensionMismatchError);
    const failing = await Collection.create(storage, {
      namespace: 'ns',
      name: 'failing',
      dimension: DIM,
      embed: async () => {
        throw new Error('rate limited');
      },
    });
    const error = await failing.insert({ content: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).message).toMatch(/embedding function failed: rate limited/);
    for (const c of [short, narrow, failing]) {
      expect(await c.count()).toBe(0);
      await c.close();
    }
    await expect(Collection.create(storage, { namespace: 'ns', name: 'bad', embed: 'openai' as never })).rejects.toThrow(ValidationError);
  });

  it('needs content for a document without a vector, and text xor vector in a search', async () => {
    const docs = await Collection.create(storage, { namespace: 'ns', name: 'docs', dimension: DIM, embed });
    await expect(docs.insert({ id: 'empty', metadata: {} })).rejects.toThrow(/neither a vector nor content/);
    await expect(docs.search({ text: 'a', vector: bagOfWords('a') })).rejects.toThrow(/text or vector, not both/);
    await expect(docs.search({ text: '' })).rejects.toThrow(ValidationError);
    expect(calls).toEqual([]);
    await docs.close();
  });
});
