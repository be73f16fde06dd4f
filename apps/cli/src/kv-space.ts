// The KV keyspace an export or import works on: the database's own (db.put / db.get), or a
// namespace's (ns.put / ns.get) with `--namespace`. Both as a KvStore on the database's storage,
// so an import can write through its transaction (`{ txn }`) with the same object.
import { KvStore, ROOT_KV_PREFIX, type Database } from '@sochdb/sdk';

/** The KvStore of the root keyspace, or of `namespace`'s (which must exist: NamespaceNotFoundError). */
export async function kvSpace(db: Database, namespace: string | undefined): Promise<KvStore> {
  if (namespace === undefined) return new KvStore(db.storage, { prefix: ROOT_KV_PREFIX });
  // Checks that it exists (and its name): a typo must not read an empty keyspace.
  await db.namespace(namespace);
  return KvStore.namespaced(db.storage, namespace);
}
