// A text worker that never answers does not hang a write: after the reply timeout the worker is
// terminated, what it owed is prepared inline, and the next large write uses a new worker. Its
// own file, so the worker failures it causes do not count against the other worker tests.
import { Worker } from 'node:worker_threads';
import type { Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Bm25Index, Collection } from '../src/index.js';
import { CHUNK_DOCS } from '../src/text/postings-chunk.js';
import { textWorkerForTests } from '../src/prepare/text-grouping.js';
import { rng } from './helpers.js';

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

const WORDS = Array.from({ length: 300 }, (_, i) => `w${i}`);
function batch(count: number, seed: number, prefix: string) {
  const next = rng(seed);
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const contents = ids.map(() => Array.from({ length: 40 }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' '));
  return { ids, contents, vectors: ids.map((_, i) => [1, i % 7, i % 3, 0.5]) };
}

it('a worker that never answers is given up after the reply timeout; the write resolves with exact postings', async () => {
  expect(await textWorkerForTests.ready()).toBe(true);
  const previous = textWorkerForTests.setReplyTimeout(300);
  try {
    const c = await Collection.create(storage, { namespace: 'n', name: 'hung', dimension: 4 });
    // The requests never reach the worker, so it never answers them.
    const swallowed = vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(() => undefined);
    const first = batch(CHUNK_DOCS + 200, 1, 'a');
    const offloaded = textWorkerForTests.offloaded;
    const started = performance.now();
    await expect(c.insertBatch(first)).resolves.toEqual(first.ids);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250); // it did wait for the timeout
    expect(swallowed).toHaveBeenCalledTimes(2);
    expect(textWorkerForTests.offloaded).toBe(offloaded); // both chunks were prepared inline
    swallowed.mockRestore();
    // The short timeout was for the hung worker: a new one on a busy machine may take longer.
    textWorkerForTests.setReplyTimeout(previous);

    // The next large write goes to a new worker.
    expect(await textWorkerForTests.ready()).toBe(true);
    const second = batch(1500, 2, 'b');
    await c.insertBatch(second);
    expect(textWorkerForTests.offloaded).toBe(offloaded + 1);

    const bm = new Bm25Index();
    [first, second].forEach((b) => b.ids.forEach((id, i) => bm.add(id, b.contents[i]!)));
    for (const query of ['w1', 'w2 w3', 'w299 w0 w17']) {
      const hits = await c.keywordSearch(query, 30);
      const expected = bm.search(query, 30);
      expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 10));
    }
  } finally {
    textWorkerForTests.setReplyTimeout(previous);
  }
});
