import type { KeyValueReader } from '@sochdb/core';
import type { KeySpace } from '../schema/keys.js';
import type { RowCache } from './row-cache.js';

/**
 * Where a query reads from: a transaction, a snapshot, or Storage itself. Its own module because
 * plans (a recursive CTE's RowSource) and the executor both name it, and the executor imports
 * the plans.
 */
export interface ReadContext {
  readonly reader: KeyValueReader;
  readonly keys: KeySpace;
  /** Whole-table rows shared between queries (see RowCache), when the engine keeps them. */
  readonly cache?: RowCache | undefined;
}
