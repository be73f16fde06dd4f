import type { Storage } from '@sochdb/core';
import type { GraphStore } from '@sochdb/graph';
import type { KvStore } from '@sochdb/kv';
import type { SqlEngine } from '@sochdb/sql';
import type { TemporalGraph } from '@sochdb/temporal';
import type { Collection } from '@sochdb/vector';

/**
 * What a context reads its sections from. The SDK's `db.context()` fills it from the database;
 * used alone, give what your sections need (a section whose source is missing fails with a
 * ValidationError saying which).
 */
export interface ContextSources {
  /** Every section reads through one read-only transaction of this storage: one snapshot. */
  readonly storage: Storage;
  /** The store `get` and `prefix` sections read (e.g. `KvStore.namespaced(storage, 'app')`). */
  readonly kv?: KvStore;
  /** The engine `sql` and `table` sections run on. */
  readonly sql?: SqlEngine;
  /** Opens a collection by name, for `search` sections that name one. */
  readonly collection?: (name: string) => Promise<Collection>;
  /** For `graph` sections. */
  readonly graph?: GraphStore;
  /** For `temporal` sections. */
  readonly temporal?: TemporalGraph;
  /** The graph namespace of `graph` and `temporal` sections that name none. */
  readonly namespace?: string;
}
