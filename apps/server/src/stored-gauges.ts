import type { Storage } from '@sochdb/core';
import type { CollectionSize, Logger, QueueDepth } from '@sochdb/observability';
import {
  COLLECTIONS_KEY_RANGE,
  QUEUES_KEY_RANGE,
  collectionOfKey,
  countStoredDocuments,
  listQueues,
  listStoredCollections,
  queueNameOfKey,
  readQueueDepths,
  type StoredQueueDepth,
} from '@sochdb/sdk';

/** Queue depths and collection sizes as read from one snapshot. */
interface Reading {
  /** The LSN of the snapshot they were read from. */
  readonly lsn: bigint;
  /** Whether the snapshot held exactly the commits through `lsn` (else it is not reused). */
  readonly exact: boolean;
  readonly queues: ReadonlyMap<string, StoredQueueDepth>;
  /** By `collectionId`. */
  readonly collections: ReadonlyMap<string, CollectionSize>;
}

/** The queues and collections that commits after some LSN wrote to; `undefined`: unknown (recount all). */
interface Touched {
  readonly queues: ReadonlySet<string>;
  readonly collections: ReadonlySet<string>;
}

const collectionId = (namespace: string, name: string): string => JSON.stringify([namespace, name]);

/**
 * The queue depths and collection sizes of sochdb-server's metrics, read from the served storage
 * at scrape time. The server opens no queue and no collection for this: its clients (and any
 * earlier embedded use of the folder) own them, an opened queue engine would compete with theirs,
 * and an opened collection would load its whole graph. So it reads the stored records instead —
 * every task state of a queue (O(tasks)), every document record of a collection (O(documents)) —
 * and keeps what it read with the snapshot's LSN:
 *
 * - no commit since that LSN, and no delayed task or lease whose time has come: the scrape reuses
 *   it and reads nothing;
 * - otherwise only the queues and collections that the commit feed says were written since (and
 *   the queues whose clock ran out) are read again; when the feed no longer reaches back that far,
 *   everything is.
 *
 * Concurrent scrapes (and the two gauges of one scrape) share one read. A failed read is logged
 * once (until a read succeeds again) and the gauges are left empty: a scrape never fails for it.
 */
export class StoredGauges {
  #last: Reading | undefined;
  #running: Promise<Reading | undefined> | undefined;
  #failing = false;

  constructor(
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Pending, delayed and claimed tasks of every stored queue. */
  async queues(): Promise<QueueDepth[]> {
    const reading = await this.#read();
    return reading === undefined ? [] : [...reading.queues.values()].map(({ queue, pending, delayed, claimed }) => ({ queue, pending, delayed, claimed }));
  }

  /** Documents of every stored collection of every namespace. */
  async collections(): Promise<CollectionSize[]> {
    const reading = await this.#read();
    return reading === undefined ? [] : [...reading.collections.values()];
  }

  #read(): Promise<Reading | undefined> {
    return (this.#running ??= this.#refresh()
      .then((reading) => {
        this.#failing = false;
        return reading;
      })
      .catch((error: unknown) => {
        if (!this.#failing)
          this.logger.warn(`metrics: cannot read queue depths and collection sizes: ${error instanceof Error ? error.message : String(error)}`);
        this.#failing = true;
        return undefined;
      })
      .finally(() => (this.#running = undefined)));
  }

  async #refresh(): Promise<Reading> {
    const now = this.clock();
    const last = this.#last;
    const due = (d: StoredQueueDepth) => d.changesAt !== undefined && d.changesAt <= now;
    if (last?.exact && (await this.storage.latestLsn()) === last.lsn && ![...last.queues.values()].some(due)) return last;

    await using snapshot = this.storage.snapshot();
    // Read after the snapshot was taken: it covers every commit the snapshot holds (and maybe more).
    const touched = last?.exact ? await this.#touchedAfter(last.lsn) : undefined;

    const queues = new Map<string, StoredQueueDepth>();
    const stale: string[] = [];
    for (const name of await listQueues(snapshot)) {
      const known = last?.queues.get(name);
      if (known !== undefined && touched !== undefined && !touched.queues.has(name) && !due(known)) queues.set(name, known);
      else stale.push(name);
    }
    for (const depth of await readQueueDepths(snapshot, { names: stale, now })) queues.set(depth.queue, depth);

    const collections = new Map<string, CollectionSize>();
    for (const ref of await listStoredCollections(snapshot)) {
      const id = collectionId(ref.namespace, ref.name);
      const known = last?.collections.get(id);
      const reuse = known !== undefined && touched !== undefined && !touched.collections.has(id);
      collections.set(id, reuse ? known : { namespace: ref.namespace, collection: ref.name, documents: await countStoredDocuments(snapshot, ref) });
    }

    const reading: Reading = { lsn: snapshot.lsn, exact: snapshot.exact, queues: sortedByKey(queues), collections: sortedByKey(collections) };
    this.#last = reading;
    return reading;
  }

  /** What the commit feed says was written after `lsn`; `undefined` when it cannot say (it no longer holds those commits). */
  async #touchedAfter(lsn: bigint): Promise<Touched | undefined> {
    try {
      const queues = new Set<string>();
      await this.#eachKeyAfter(lsn, QUEUES_KEY_RANGE, (key) => {
        const name = queueNameOfKey(key);
        if (name !== undefined) queues.add(name);
      });
      const collections = new Set<string>();
      await this.#eachKeyAfter(lsn, COLLECTIONS_KEY_RANGE, (key) => {
        const ref = collectionOfKey(key);
        if (ref !== undefined) collections.add(collectionId(ref.namespace, ref.name));
      });
      return { queues, collections };
    } catch {
      // ChangeFeedGapError (the feed keeps recent commits only, or a commit too large for one
      // read): recount everything, which is always right.
      return undefined;
    }
  }

  async #eachKeyAfter(lsn: bigint, range: { readonly gte: Buffer; readonly lt: Buffer }, visit: (key: Buffer) => void): Promise<void> {
    let after = lsn;
    for (;;) {
      const batch = await this.storage.changesAfter(after, range);
      for (const commit of batch.commits) for (const key of commit.keys) visit(key);
      if (!batch.more || batch.lsn === after) return;
      after = batch.lsn;
    }
  }
}

/** The map in key order, so the exposition lists queues and collections in a stable order. */
function sortedByKey<V>(map: Map<string, V>): Map<string, V> {
  return new Map([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
