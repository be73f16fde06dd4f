import type { SochDBServices } from '@sochdb/grpc-client';
import { KvStore, ROOT_KV_PREFIX, validateNamespaceName, type Database } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';
import { withSyncPointReads } from '../sync-reads.js';

/**
 * KvService: namespace '' is the database's root KV (the keys of db.put/get), any other name
 * that namespace's KV (KvStore.namespaced, as ns.put/get), which — as in the original — needs no
 * createNamespace first.
 */
export function kvService(db: Database): ServiceImpl<SochDBServices['KvService']['service']> {
  const store = withSyncPointReads(db.storage);
  const root = new KvStore(store, { prefix: ROOT_KV_PREFIX });
  const stores = new Map<string, KvStore>();
  const kv = (namespace: string): KvStore => {
    if (namespace === '') return root;
    let kvStore = stores.get(namespace);
    if (kvStore === undefined) {
      kvStore = KvStore.namespaced(store, validateNamespaceName(namespace));
      // Bounded so a client cycling through names cannot grow the map without limit.
      if (stores.size >= 1024) stores.clear();
      stores.set(namespace, kvStore);
    }
    return kvStore;
  };
  return {
    async Put({ namespace, key, value }) {
      await kv(namespace).put(key, value);
      return {};
    },
    async Get({ namespace, key }) {
      const value = await kv(namespace).get(key);
      return value === null ? { found: false } : { found: true, value };
    },
    async Delete({ namespace, key }) {
      await kv(namespace).delete(key);
      return {};
    },
    async *Scan({ namespace, prefix, limit, reverse }) {
      for await (const [key, value] of kv(namespace).scanPrefix(prefix, { reverse, ...(limit === 0 ? {} : { limit }) })) yield { key, value };
    },
  };
}
