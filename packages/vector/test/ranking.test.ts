import { ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { Bm25Index, compileFilter, groupPostings, rrfFuse, tokenize, type Metadata } from '../src/index.js';
import { rng } from './helpers.js';

describe('tokenize', () => {
  it('lowercases, normalises and splits on anything that is not a letter or digit', () => {
    expect(tokenize("Hello, WORLD! It's e-mail: 42x café ｆｕｌｌ")).toEqual(['hello', 'world', 'it', 's', 'e', 'mail', '42x', 'café', 'full']);
    expect(tokenize('  ...  ')).toEqual([]);
    expect(tokenize('東京 タワー')).toEqual(['東京', 'タワー']);
  });
});

describe('Bm25Index', () => {
  // N = 3, lengths 3, 6, 3 → avgdl = 4. k1 = 1.2, b = 0.75.
  // idf(cat) = ln((3−2+0.5)/(2+0.5)+1) = ln 1.6 = 0.470004; idf(mat) = ln((3−1+0.5)/1.5+1) = 0.980829.
  // d1: cat tf 1, |d| 3 → 0.470004 · 2.2 / (1 + 1.2·(0.25 + 0.75·3/4)) = 0.523548
  // d2: |d| 6, norm 1.2·(0.25 + 0.75·6/4) = 1.65 → (0.470004 + 0.980829) · 2.2/2.65 = 1.204465
  const build = () => {
    const bm = new Bm25Index();
    bm.add('d1', 'The cat sat.');
    bm.add('d2', 'the cat sat on the mat');
    bm.add('d3', 'Dogs chase cats');
    return bm;
  };

  it('scores a hand-computed example exactly', () => {
    const bm = build();
    expect(bm.averageLength).toBe(4);
    expect(bm.idf('cat')).toBeCloseTo(0.47000362924573563, 12);
    const hits = bm.search('cat mat', 10);
    expect(hits.map((h) => h.id)).toEqual(['d2', 'd1']); // "cats" is not "cat": no stemming
    expect(hits[0]!.score).toBeCloseTo(1.2044650343269498, 12);
    expect(hits[1]!.score).toBeCloseTo(0.5235483465015789, 12);
    // A repeated query term counts per occurrence (Lucene, rank-bm25, bm25s): cat's share twice.
    const catShare = bm.search('cat', 10).find((h) => h.id === 'd2')!.score;
    expect(bm.search('CAT cat mat!', 10)[0]!.score).toBeCloseTo(1.2044650343269498 + catShare, 12);
    expect(bm.search('mat cat cat', 10)[0]!.score).toBeCloseTo(bm.search('CAT cat mat!', 10)[0]!.score, 12);
  });

  it('updates statistics on remove and replace', () => {
    const bm = build();
    expect(bm.remove('d3')).toBe(true);
    expect(bm.remove('d3')).toBe(false);
    expect([bm.size, bm.averageLength, bm.documentFrequency('cats')]).toEqual([2, 4.5, 0]);
    bm.add('d1', 'mat'); // replace d1's text
    expect(bm.documentFrequency('cat')).toBe(1);
    expect(
      bm
        .search('mat', 10)
        .map((h) => h.id)
        .sort(),
    ).toEqual(['d1', 'd2']);
    expect(bm.search('nothing here', 5)).toEqual([]);
    expect(bm.search('cat', 5, (id) => id !== 'd2')).toEqual([]);
    expect(() => bm.search('cat', 0)).toThrow(ValidationError);
  });
});

describe('Bm25Index.addGrouped', () => {
  it('indexes a group of documents exactly as adding each would, replacing ids already indexed', () => {
    const one = new Bm25Index();
    const grouped = new Bm25Index();
    for (const bm of [one, grouped]) bm.add('d1', 'old text about cats');
    const texts = [
      ['d1', 'The cat sat.'],
      ['d2', 'the cat sat on the mat'],
      ['d3', ''],
      ['d4', 'Dogs chase cats'],
    ] as const;
    for (const [id, text] of texts) one.add(id, text);
    const group = groupPostings(texts.map(([, text]) => text));
    // Hand-checked: 'the' is in d1 once and d2 twice; d3 has no terms.
    const the = group.terms.indexOf('the');
    expect([...group.docs.subarray(group.termStart[the], group.termStart[the + 1])]).toEqual([0, 1]);
    expect([...group.tfs.subarray(group.termStart[the], group.termStart[the + 1])]).toEqual([1, 2]);
    expect([...group.lengths]).toEqual([3, 6, 0, 3]);
    grouped.addGrouped(
      texts.map(([id]) => id),
      group,
    );
    expect([grouped.size, grouped.averageLength, grouped.documentFrequency('cats')]).toEqual([one.size, one.averageLength, 1]);
    for (const q of ['cat mat', 'cats', 'the', 'about']) expect(grouped.search(q, 10)).toEqual(one.search(q, 10));
    // Removing documents added in a group updates the same statistics as removing single ones.
    for (const bm of [one, grouped]) {
      bm.remove('d2');
      bm.add('d4', 'a cat');
    }
    for (const q of ['cat mat', 'cats', 'the', 'dogs']) expect(grouped.search(q, 10)).toEqual(one.search(q, 10));
    expect(grouped.documentFrequency('the')).toBe(1);
    expect(() => grouped.addGrouped(['x'], group)).toThrow(ValidationError);
    expect(() => grouped.addGrouped(['x', 'y', 'x', 'z'], group)).toThrow(ValidationError);
  });

  it('takes term frequencies (addTerms) and rejects ones that are not counts', () => {
    const bm = new Bm25Index();
    bm.addTerms(
      'a',
      new Map([
        ['cat', 2],
        ['mat', 1],
      ]),
    );
    bm.add('b', 'cat cat mat');
    const [a, b] = bm.search('cat', 2);
    expect(a!.score).toBeGreaterThan(0);
    expect(b!.score).toBe(a!.score); // the same frequencies as the text 'cat cat mat'
    expect(bm.averageLength).toBe(3);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => bm.addTerms('c', new Map([['cat', bad]]))).toThrow(ValidationError);
    expect(bm.has('c')).toBe(false);
  });
});

describe('Bm25Index segments', () => {
  it('scores as a freshly built index after many grouped adds, replacements and removals (merges and compactions included)', () => {
    const next = rng(29);
    const vocab = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const texts = new Map<string, string>();
    const bm = new Bm25Index();
    for (let step = 0; step < 300; step++) {
      if (next() < 0.3) {
        for (let r = Math.floor(next() * 20); r > 0; r--) {
          const id = `d${Math.floor(next() * 600)}`;
          expect(bm.remove(id)).toBe(texts.delete(id));
        }
        continue;
      }
      const group = new Map<string, string>();
      for (let r = 1 + Math.floor(next() * 40); r > 0; r--) {
        const text = Array.from({ length: Math.floor(next() * 10) }, () => vocab[Math.floor(vocab.length * next() ** 2)]).join(' ');
        group.set(`d${Math.floor(next() * 600)}`, text);
      }
      bm.addGrouped([...group.keys()], groupPostings([...group.values()]));
      for (const [id, text] of group) texts.set(id, text);
    }
    const fresh = new Bm25Index();
    for (const [id, text] of texts) fresh.add(id, text);
    expect([bm.size, bm.averageLength]).toEqual([fresh.size, fresh.averageLength]);
    for (const term of vocab) expect(bm.documentFrequency(term)).toBe(fresh.documentFrequency(term));
    for (const query of ['t0', 't1 t5', 't3 t3 t59', 't7 t8 t9 t10', 't40 t41 t42 t43 t44']) {
      const got = bm.search(query, 50);
      const want = fresh.search(query, 50);
      expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 9));
    }
  });
});

describe('Bm25Index against a direct implementation of the formula', () => {
  it('agrees on a random corpus after adds, replacements and removals', () => {
    const next = rng(11);
    const vocab = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const texts = new Map<string, string>();
    const bm = new Bm25Index();
    for (let step = 0; step < 400; step++) {
      const id = `d${Math.floor(next() * 120)}`;
      if (next() < 0.2) {
        bm.remove(id);
        texts.delete(id);
      } else {
        const text = Array.from({ length: 1 + Math.floor(next() * 12) }, () => vocab[Math.floor(vocab.length * next() ** 2)]).join(' ');
        bm.add(id, text);
        texts.set(id, text);
      }
    }
    const docs = [...texts].map(([id, text]) => ({ id, tokens: tokenize(text) }));
    const avgdl = docs.reduce((s, d) => s + d.tokens.length, 0) / docs.length;
    for (const query of ['t0', 't1 t5', 't3 t3 t39', 't7 t8 t9 t10']) {
      const scores = docs.map(({ id, tokens }) => {
        let score = 0;
        for (const term of tokenize(query)) {
          // every occurrence counts, as in rank-bm25
          const df = docs.filter((d) => d.tokens.includes(term)).length;
          const tf = tokens.filter((t) => t === term).length;
          if (tf === 0) continue;
          const idf = Math.log((docs.length - df + 0.5) / (df + 0.5) + 1);
          score += (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * tokens.length) / avgdl));
        }
        return { id, score };
      });
      const expected = scores
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, 15);
      const actual = bm.search(query, 15);
      expect(actual.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      actual.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 9));
    }
  });
});

describe('rrfFuse', () => {
  // vector [a, b, c], keyword [c, d, a], rrfK 60:
  //   alpha 0.7 → a = .7/61 + .3/63 = .016237, c = .7/63 + .3/61 = .016029, b = .7/62 = .011290, d = .3/62 = .004839
  it('fuses ranks with weights exactly as a hand-computed example', () => {
    const vector = ['a', 'b', 'c'];
    const keyword = ['c', 'd', 'a'];
    const fused = rrfFuse([
      { ids: vector, weight: 0.7 },
      { ids: keyword, weight: 0.3 },
    ]);
    expect(fused.map((h) => h.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused.map((h) => h.score)).toEqual([0.7 / 61 + 0.3 / 63, 0.7 / 63 + 0.3 / 61, 0.7 / 62, 0.3 / 62].map((x) => expect.closeTo(x, 12)));
    const keywordHeavy = rrfFuse([
      { ids: vector, weight: 0.3 },
      { ids: keyword, weight: 0.7 },
    ]);
    expect(keywordHeavy.map((h) => h.id)).toEqual(['c', 'a', 'd', 'b']);
    expect(rrfFuse([{ ids: ['x'], weight: 1 }], { rrfK: 0 })).toEqual([{ id: 'x', score: 1 }]);
    expect(() => rrfFuse([], { rrfK: -1 })).toThrow(ValidationError);
  });
});

describe('metadata filters', () => {
  const docs: Record<string, Metadata> = {
    a: { source: 'web', year: 2020, tags: ['ml', 'nlp'], author: { name: 'ann' } },
    b: { source: 'pdf', year: 2023, tags: ['cv'] },
    c: { source: 'web', year: 2024, draft: true },
    d: { year: '2021' },
  };
  const match = (filter: Parameters<typeof compileFilter>[0]) => Object.keys(docs).filter((id) => compileFilter(filter)(docs[id]!));

  it('supports equality and every operator with MongoDB-like semantics', () => {
    expect(match({ source: 'web' })).toEqual(['a', 'c']);
    expect(match({ source: { $eq: 'pdf' } })).toEqual(['b']);
    expect(match({ source: { $ne: 'web' } })).toEqual(['b', 'd']); // missing field matches $ne
    expect(match({ year: { $gt: 2020 } })).toEqual(['b', 'c']); // '2021' is a string: no cross-type comparison
    expect(match({ year: { $gte: 2020, $lt: 2024 } })).toEqual(['a', 'b']);
    expect(match({ year: { $lte: 2020 } })).toEqual(['a']);
    expect(match({ source: { $in: ['pdf', 'x'] } })).toEqual(['b']);
    expect(match({ source: { $nin: ['web'] } })).toEqual(['b', 'd']);
    expect(match({ tags: 'ml' })).toEqual(['a']); // array field: any element
    expect(match({ tags: { $in: ['cv', 'nlp'] } })).toEqual(['a', 'b']);
    expect(match({ 'author.name': 'ann' })).toEqual(['a']);
    expect(match({ $or: [{ source: 'pdf' }, { draft: true }] })).toEqual(['b', 'c']);
    expect(match({ $and: [{ source: 'web' }, { year: { $gt: 2021 } }] })).toEqual(['c']);
    expect(match({ source: 'web', draft: true })).toEqual(['c']);
    expect(match({})).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses malformed filters with a ValidationError naming the field', () => {
    expect(() => compileFilter({ year: { $between: [1, 2] } as never })).toThrow(expect.objectContaining({ code: 6000, field: 'filter.year.$between' }));
    expect(() => compileFilter({ $not: [] })).toThrow(/not a logical operator/);
    expect(() => compileFilter({ $or: [] })).toThrow(/non-empty array/);
    expect(() => compileFilter({ source: { $in: 'web' } } as never)).toThrow(/array/);
    expect(() => compileFilter({ tags: ['a'] } as never)).toThrow(/\$in/);
    expect(() => compileFilter({ year: { $gt: null } } as never)).toThrow(/number or a string/);
    expect(() => compileFilter(null as never)).toThrow(ValidationError);
  });
});
