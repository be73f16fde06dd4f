import type { KeyValueStore, Storage } from '@sochdb/core';

/**
 * The Storage, with point reads done by `getSync` when the backend has it (LevelDB does).
 *
 * Why: an async LevelDB get is a libuv thread-pool round trip (~35 µs here) — a quarter of a
 * whole gRPC round trip on loopback — while a synchronous read of a cached block takes under a
 * microsecond. The cost is that a read that misses LevelDB's block cache and the OS page cache
 * blocks the event loop for that one disk read (core's `exists` makes the same trade for small
 * batches). Writes, multi-key reads and scans stay asynchronous.
 */
export function withSyncPointReads(storage: Storage): KeyValueStore {
  if (!storage.supports.getSync) return storage;
  return {
    get: async (key) => storage.getSync(key),
    getMany: (keys) => storage.getMany(keys),
    iterator: (range) => storage.iterator(range),
    put: (key, value) => storage.put(key, value),
    del: (key) => storage.del(key),
    batch: (ops) => storage.batch(ops),
  };
}
