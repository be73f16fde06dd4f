import type { Entry, KeyValueReader, Range } from '@sochdb/core';

/** Entries read at once (classic-level's own batch size for `nextv` is of this order). */
const BATCH = 1024;

/**
 * A range's entries, a batch at a time, for loops over every record of a collection (an open, a
 * filter column's first fill): `for await` over an iterator's entries resolves a promise per entry
 * (each step of an async generator does), while a loop over each batch is plain synchronous code.
 */
export async function* entryBatches(store: KeyValueReader, range: Range): AsyncGenerator<readonly Entry[]> {
  const iterator = store.iterator(range);
  try {
    for (let batch = await iterator.nextv(BATCH); batch.length > 0; batch = await iterator.nextv(BATCH)) yield batch;
  } finally {
    await iterator.close();
  }
}
