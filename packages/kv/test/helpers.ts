import { storageFactories, type StorageFactory } from '@sochdb/core/testing';
import type { Entry, EntryIterator, KeyValueStore, Range, Storage } from '@sochdb/core';
import { afterEach, beforeEach } from 'vitest';

/** Opens a fresh Storage of each backend around every test of the suite `body` defines. */
export function eachBackend(body: (ctx: { storage(): Storage; backend: StorageFactory['name'] }) => void): [string, () => void][] {
  return storageFactories.map((make) => {
    const name = make().name;
    return [
      name,
      () => {
        let factory: StorageFactory;
        let storage: Storage;
        beforeEach(async () => {
          factory = make();
          storage = await factory.open();
        });
        afterEach(async () => {
          await storage.close();
          await factory.cleanup();
        });
        body({ storage: () => storage, backend: name });
      },
    ];
  });
}

/** Text form of scan results, for readable assertions. */
export function text(entries: readonly Entry[]): string[] {
  return entries.map(([k, v]) => `${k.toString()}: ${v.toString()}`);
}

/** Wraps a real store and counts the cursors it opens and closes. */
export function countingCursors(store: KeyValueStore): { store: KeyValueStore; opened: () => number; closed: () => number } {
  let opened = 0;
  let closed = 0;
  const wrapped: KeyValueStore = {
    get: (k) => store.get(k),
    getMany: (ks) => store.getMany(ks),
    put: (k, v) => store.put(k, v),
    del: (k) => store.del(k),
    batch: (ops) => store.batch(ops),
    iterator(range?: Range): EntryIterator {
      const it = store.iterator(range);
      opened++;
      const close = it.close.bind(it);
      it.close = async () => {
        closed++;
        await close();
      };
      return it;
    },
  };
  return { store: wrapped, opened: () => opened, closed: () => closed };
}
