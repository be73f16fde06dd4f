import { DatabaseError, type KeyValueStore, type Storage, type Transaction } from '@sochdb/core';
import type { KeySpace } from './keys.js';
import { nameKey, type IndexDef, type TableDef } from './schema.js';

/**
 * The schema: table definitions persisted in Storage and cached in memory. A DDL statement
 * writes through the statement's transaction and records its change in a per-transaction
 * overlay; the shared cache only takes the change in `afterCommit`, so an aborted transaction
 * leaves the cache as it was. `version` changes with every committed DDL, which invalidates
 * compiled statements.
 */
export class Catalog {
  #tables = new Map<string, TableDef>();
  #version = 0;
  readonly #overlays = new WeakMap<Transaction, Map<string, TableDef | null>>();

  constructor(private readonly keys: KeySpace) {}

  get version(): number {
    return this.#version;
  }

  async load(storage: Storage): Promise<void> {
    const tables = new Map<string, TableDef>();
    for await (const [, value] of storage.iterator(this.keys.tables())) {
      let def: TableDef;
      try {
        def = JSON.parse(value.toString('utf8')) as TableDef;
      } catch (error) {
        throw new DatabaseError('corrupt SQL catalog entry', { cause: error });
      }
      tables.set(nameKey(def.name), def);
    }
    this.#tables = tables;
  }

  /** True when `txn` has uncommitted DDL, whose statements must not use the shared plan cache. */
  hasPendingChanges(txn: Transaction): boolean {
    return (this.#overlays.get(txn)?.size ?? 0) > 0;
  }

  table(name: string, txn: Transaction | undefined): TableDef | undefined {
    const key = nameKey(name);
    const overlay = txn && this.#overlays.get(txn);
    if (overlay?.has(key)) return overlay.get(key) ?? undefined;
    return this.#tables.get(key);
  }

  allTables(txn: Transaction | undefined): TableDef[] {
    const merged = new Map(this.#tables);
    const overlay = txn && this.#overlays.get(txn);
    if (overlay) for (const [k, v] of overlay) (v === null ? merged.delete(k) : merged.set(k, v));
    return [...merged.values()];
  }

  findIndex(name: string, txn: Transaction | undefined): { table: TableDef; index: IndexDef } | undefined {
    const key = nameKey(name);
    for (const table of this.allTables(txn)) {
      const index = table.indexes.find((i) => nameKey(i.name) === key);
      if (index) return { table, index };
    }
    return undefined;
  }

  /** Writes (or, with `null`, deletes) a definition inside `txn`. */
  async save(name: string, def: TableDef | null, kv: KeyValueStore, txn: Transaction): Promise<void> {
    const key = nameKey(name);
    if (def === null) await kv.del(this.keys.table(key));
    else await kv.put(this.keys.table(key), JSON.stringify(def));
    let overlay = this.#overlays.get(txn);
    if (!overlay) {
      const fresh = new Map<string, TableDef | null>();
      this.#overlays.set(txn, fresh);
      overlay = fresh;
      txn.afterCommit(() => {
        for (const [k, v] of fresh) (v === null ? this.#tables.delete(k) : this.#tables.set(k, v));
        this.#version++;
      });
    }
    overlay.set(key, def);
  }
}
