// Pruned top-k keyword search (MaxScore, src/text/bm25-prune.ts) gives exactly the top k of
// exhaustive scoring: the same ids in the same order with bit-identical scores, over random Zipf
// corpora with replaced and removed documents (several segments, dead postings), repeated query
// words, filters and every k.
import { describe, expect, it } from 'vitest';
import { Bm25Index, groupPostings, type KeywordHit } from '../src/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A word from a Zipf-like vocabulary: w0 is the most common. */
function zipfWord(random: () => number, vocabulary: number): string {
  return `w${Math.floor(vocabulary ** random() - 1)}`;
}

function exhaustive(index: Bm25Index, query: string, k: number, filter?: (id: string) => boolean): KeywordHit[] {
  return [...index.scoreAll(query, filter)]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, k);
}

describe('pruned keyword top-k', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals exhaustive scoring exactly (seed ${seed})`, () => {
      const random = rng(seed);
      const index = new Bm25Index();
      const text = () => Array.from({ length: 3 + Math.floor(random() * 40) }, () => zipfWord(random, 300)).join(' ');
      // Writes in groups of varying size, as a collection makes them (segments of every tier).
      let next = 0;
      for (let g = 0; g < 40; g++) {
        const n = 1 + Math.floor(random() * 120);
        const ids = Array.from({ length: n }, () => `d${random() < 0.15 && next > 0 ? Math.floor(random() * next) : next++}`);
        const unique = [...new Set(ids)];
        index.addGrouped(unique, groupPostings(unique.map(text)));
        for (let r = 0; r < 5; r++) index.remove(`d${Math.floor(random() * next)}`);
      }
      for (let q = 0; q < 150; q++) {
        const words = Array.from({ length: 1 + Math.floor(random() * 4) }, () => zipfWord(random, 300));
        if (random() < 0.2) words.push(words[0]!); // a repeated word counts twice
        if (random() < 0.1) words.push('absent');
        const query = words.join(' ');
        const k = [1, 3, 10, 50, 1000][Math.floor(random() * 5)]!;
        const bucket = Math.floor(random() * 4);
        const filter = random() < 0.3 ? (id: string) => Number(id.slice(1)) % 4 === bucket : undefined;
        expect(index.search(query, k, filter), `${query} k=${k}`).toEqual(exhaustive(index, query, k, filter));
      }
    });
  }

  it('answers nothing for a query without indexed words, and repeats the same answer', () => {
    const index = new Bm25Index();
    index.add('a', 'the cat sat on the mat');
    index.add('b', 'the dog sat');
    expect(index.search('unicorn', 5)).toEqual([]);
    const first = index.search('the sat cat', 2);
    expect(first.map((h) => h.id)).toEqual(['a', 'b']);
    expect(index.search('the sat cat', 2)).toEqual(first);
  });
});
