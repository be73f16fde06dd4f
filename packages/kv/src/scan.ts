import type { Entry, EntryIterator } from '@sochdb/core';

/**
 * The result of `scan`, `scanPrefix` and `scanBatched`: an async iterable of `[key, value]`
 * Buffers. Nothing is read until iteration starts; every iteration opens its own storage cursor
 * and closes it when the loop ends, breaks or throws.
 *
 * `batchSize` fixes how many entries each storage call fetches; without it the cursor's adaptive
 * batching is used (small first, growing to 1024), which suits loops that break early.
 */
export class KvScan implements AsyncIterable<Entry> {
  constructor(
    private readonly open: () => EntryIterator,
    private readonly batchSize: number | undefined,
  ) {}

  /** Every batch as an array, as storage returned it — the fastest way through a large range. */
  async *batches(): AsyncGenerator<Entry[], void, undefined> {
    const it = this.open();
    try {
      for (let size = this.batchSize ?? 16; ; size = this.batchSize ?? Math.min(size * 4, 1024)) {
        const batch = await it.nextv(size);
        if (batch.length === 0) return;
        yield batch;
      }
    } finally {
      await it.close();
    }
  }

  /** Reads the whole range into memory. */
  async toArray(): Promise<Entry[]> {
    const out: Entry[] = [];
    for await (const batch of this.batches()) for (const entry of batch) out.push(entry);
    return out;
  }

  /**
   * Iterates entries one at a time (`for await (const [key, value] of scan)`), fetching them in
   * batches underneath; breaking out of the loop closes the storage cursor. Each call starts a new
   * pass over the range.
   */
  // Hand-written rather than an async generator: a plain next() over the current batch costs
  // about half as much per entry, which is most of a scan's CPU time.
  [Symbol.asyncIterator](): AsyncIterator<Entry> {
    const batches = this.batches();
    let batch: Entry[] = [];
    let pos = 0;
    return {
      async next(): Promise<IteratorResult<Entry>> {
        while (pos >= batch.length) {
          const r = await batches.next();
          if (r.done === true) return { value: undefined, done: true };
          batch = r.value;
          pos = 0;
        }
        return { value: batch[pos++]!, done: false };
      },
      async return(): Promise<IteratorResult<Entry>> {
        await batches.return();
        return { value: undefined, done: true };
      },
    };
  }
}
