import { DatabaseError, bytesEqual, encodeKey, keyRange, type KeyValueReader, type KeyValueStore, type Transaction } from '@sochdb/core';
import type { KeySpace } from './keys.js';
import { upgradeTableDef } from './legacy-catalog.js';
import { parseSql } from '../parse/index.js';
import { nameKey, type IndexDef, type TableDef, type ViewDef } from './schema.js';

/** A view as stored: its CREATE VIEW text (as sqlite_master keeps it), parsed on load. */
interface StoredView {
  readonly name: string;
  readonly sql: string;
}

type Kind = 'table' | 'view';

function viewFromSql(stored: StoredView): ViewDef {
  const [statement] = parseSql(stored.sql);
  if (statement?.kind !== 'createView') throw new DatabaseError(`corrupt SQL catalog entry for view ${stored.name}`);
  return { name: statement.name, query: statement.query, columns: statement.columns, sql: stored.sql };
}

/**
 * The schema: table and view definitions persisted in Storage and cached in memory. A DDL
 * statement writes through the statement's transaction and records its change in a
 * per-transaction overlay; the shared cache only takes the change in `afterCommit`, so an
 * aborted transaction leaves the cache as it was. `version` changes with every committed DDL,
 * which invalidates compiled statements. TEMP views live only in this engine (no key).
 */
export class Catalog {
  #tables = new Map<string, TableDef>();
  #views = new Map<string, ViewDef>();
  readonly #tempViews = new Map<string, ViewDef>();
  #version = 0;
  /** The schema version key's value the definitions were loaded at (undefined: never written). */
  #stored: Buffer | undefined;
  readonly #overlays = new WeakMap<Transaction, Map<string, TableDef | ViewDef | null>>();
  /** The schema version a transaction's DDL wrote (applied to #stored when it commits). */
  readonly #written = new WeakMap<Transaction, Buffer>();

  constructor(private readonly keys: KeySpace) {}

  get version(): number {
    return this.#version;
  }

  /**
   * Reads every definition through `reader` (Storage, or a transaction for its snapshot). The
   * version is read first: should a DDL commit during the scan, the definitions are at least as
   * new as the version, so the next check sees a difference and loads again.
   */
  async load(reader: KeyValueReader): Promise<void> {
    const stored = await reader.get(this.keys.schemaVersion());
    const tables = new Map<string, TableDef>();
    for await (const [, value] of reader.iterator(this.keys.tables())) {
      let def: TableDef;
      try {
        def = upgradeTableDef(JSON.parse(value.toString('utf8')) as TableDef);
      } catch (error) {
        throw new DatabaseError('corrupt SQL catalog entry', { cause: error });
      }
      tables.set(nameKey(def.name), def);
    }
    const views = new Map<string, ViewDef>();
    for await (const [, value] of reader.iterator(keyRange(this.#viewPrefix()))) {
      let def: ViewDef;
      try {
        def = viewFromSql(JSON.parse(value.toString('utf8')) as StoredView);
      } catch (error) {
        throw new DatabaseError('corrupt SQL catalog entry', { cause: error });
      }
      views.set(nameKey(def.name), def);
    }
    this.#tables = tables;
    this.#views = views;
    this.#stored = stored;
    this.#version++;
  }

  /** Whether a schema version value read from storage is the one these definitions are at. */
  isAt(stored: Buffer | undefined): boolean {
    return stored === undefined || this.#stored === undefined ? stored === this.#stored : bytesEqual(stored, this.#stored);
  }

  /** Orders two version values (absent = 0): which of a transaction and this catalog is newer. */
  static compareVersions(a: Buffer | undefined, b: Buffer | undefined): number {
    const n = (v: Buffer | undefined) => (v === undefined ? 0n : BigInt(v.toString('latin1')));
    const x = n(a);
    const y = n(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  #viewPrefix(): readonly ['sql', string, 'view'] {
    return ['sql', this.keys.namespace, 'view'];
  }

  /** True when `txn` has uncommitted DDL, whose statements must not use the shared plan cache. */
  hasPendingChanges(txn: Transaction): boolean {
    return (this.#overlays.get(txn)?.size ?? 0) > 0;
  }

  #lookup<T extends TableDef | ViewDef>(kind: Kind, name: string, txn: Transaction | undefined, shared: Map<string, T>): T | undefined {
    const key = nameKey(name);
    const overlay = txn && this.#overlays.get(txn);
    const k = `${kind}:${key}`;
    if (overlay?.has(k)) return (overlay.get(k) as T | null) ?? undefined;
    return shared.get(key);
  }

  table(name: string, txn: Transaction | undefined): TableDef | undefined {
    return this.#lookup('table', name, txn, this.#tables);
  }

  view(name: string, txn: Transaction | undefined): ViewDef | undefined {
    return this.#tempViews.get(nameKey(name)) ?? this.#lookup('view', name, txn, this.#views);
  }

  isTempView(name: string): boolean {
    return this.#tempViews.has(nameKey(name));
  }

  #all<T>(kind: Kind, shared: Map<string, T>, txn: Transaction | undefined): T[] {
    const merged = new Map(shared);
    const overlay = txn && this.#overlays.get(txn);
    if (overlay) {
      for (const [k, v] of overlay) {
        if (!k.startsWith(`${kind}:`)) continue;
        const key = k.slice(kind.length + 1);
        if (v === null) merged.delete(key);
        else merged.set(key, v as T);
      }
    }
    return [...merged.values()];
  }

  allTables(txn: Transaction | undefined): TableDef[] {
    return this.#all('table', this.#tables, txn);
  }

  allViews(txn: Transaction | undefined): ViewDef[] {
    return [...this.#tempViews.values(), ...this.#all('view', this.#views, txn)];
  }

  findIndex(name: string, txn: Transaction | undefined): { table: TableDef; index: IndexDef } | undefined {
    const key = nameKey(name);
    for (const table of this.allTables(txn)) {
      const index = table.indexes.find((i) => nameKey(i.name) === key);
      if (index) return { table, index };
    }
    return undefined;
  }

  /** Writes (or, with `null`, deletes) a table definition inside `txn`. */
  async save(name: string, def: TableDef | null, kv: KeyValueStore, txn: Transaction): Promise<void> {
    const key = nameKey(name);
    if (def === null) await kv.del(this.keys.table(key));
    else await kv.put(this.keys.table(key), JSON.stringify(def));
    await this.#bumpVersion(kv, txn);
    this.#record(txn, `table:${key}`, def, (v) => (v === null ? this.#tables.delete(key) : this.#tables.set(key, v as TableDef)));
  }

  /** Writes (or, with `null`, deletes) a view inside `txn`; a TEMP view is kept by this engine only. */
  async saveView(name: string, def: ViewDef | null, kv: KeyValueStore, txn: Transaction, temp: boolean): Promise<void> {
    const key = nameKey(name);
    if (temp || (def === null && this.#tempViews.has(key))) {
      txn.afterCommit(() => {
        if (def === null) this.#tempViews.delete(key);
        else this.#tempViews.set(key, def);
        this.#version++;
      });
      return;
    }
    const storageKey = encodeKey([...this.#viewPrefix(), key]);
    if (def === null) await kv.del(storageKey);
    else await kv.put(storageKey, JSON.stringify({ name: def.name, sql: def.sql } satisfies StoredView));
    await this.#bumpVersion(kv, txn);
    this.#record(txn, `view:${key}`, def, (v) => (v === null ? this.#views.delete(key) : this.#views.set(key, v as ViewDef)));
  }

  /**
   * Every DDL writes the next schema version in its transaction: two DDLs racing conflict on it,
   * and every other engine, in this process or another, sees the schema change before its next
   * statement runs (and a write prepared under the old schema conflicts; see SqlEngine).
   */
  async #bumpVersion(kv: KeyValueStore, txn: Transaction): Promise<void> {
    const versionKey = this.keys.schemaVersion();
    const current = await kv.get(versionKey);
    const next = Buffer.from(String((current === undefined ? 0n : BigInt(current.toString('latin1'))) + 1n), 'latin1');
    await kv.put(versionKey, next);
    this.#written.set(txn, next);
  }

  #record(txn: Transaction, key: string, def: TableDef | ViewDef | null, apply: (v: TableDef | ViewDef | null) => void): void {
    let overlay = this.#overlays.get(txn);
    if (!overlay) {
      const fresh = new Map<string, TableDef | ViewDef | null>();
      const appliers = new Map<string, (v: TableDef | ViewDef | null) => void>();
      this.#overlays.set(txn, fresh);
      this.#appliers.set(fresh, appliers);
      overlay = fresh;
      txn.afterCommit(() => {
        for (const [k, v] of fresh) appliers.get(k)!(v);
        this.#stored = this.#written.get(txn) ?? this.#stored;
        this.#version++;
      });
    }
    overlay.set(key, def);
    this.#appliers.get(overlay)!.set(key, apply);
  }

  /** The transaction's uncommitted schema changes so far (for a SAVEPOINT). */
  mark(txn: Transaction): ReadonlyMap<string, TableDef | ViewDef | null> {
    return new Map(this.#overlays.get(txn) ?? []);
  }

  /** Takes back the schema changes made after `mark` (ROLLBACK TO a savepoint). */
  restore(txn: Transaction, mark: ReadonlyMap<string, TableDef | ViewDef | null>): void {
    const overlay = this.#overlays.get(txn);
    if (!overlay) return;
    for (const k of [...overlay.keys()]) if (!mark.has(k)) overlay.delete(k);
    for (const [k, v] of mark) overlay.set(k, v);
  }

  readonly #appliers = new WeakMap<Map<string, TableDef | ViewDef | null>, Map<string, (v: TableDef | ViewDef | null) => void>>();
}
