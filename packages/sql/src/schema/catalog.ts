import { DatabaseError, bytesEqual, encodeKey, keyRange, type KeyValueReader, type KeyValueStore, type Transaction } from '@sochdb/core';
import type { KeySpace } from './keys.js';
import { upgradeTableDef } from './legacy-catalog.js';
import { parseSql } from '../parse/index.js';
import { nameKey, type IndexDef, type TableDef, type ViewDef } from './schema.js';
import { triggerFromStatement, type TriggerDef } from './trigger-def.js';

/** A view or trigger as stored: its CREATE text (as sqlite_master keeps it), parsed on load. */
interface StoredSql {
  readonly name: string;
  readonly sql: string;
  readonly createdAt?: number;
}

type Kind = 'table' | 'view' | 'trigger';
type Def = TableDef | ViewDef | TriggerDef;

function viewFromSql(stored: StoredSql): ViewDef {
  const [statement] = parseSql(stored.sql);
  if (statement?.kind !== 'createView') throw new DatabaseError(`corrupt SQL catalog entry for view ${stored.name}`);
  return { name: statement.name, query: statement.query, columns: statement.columns, sql: stored.sql, createdAt: stored.createdAt ?? 0 };
}

function triggerFromSql(stored: StoredSql): TriggerDef {
  const [statement] = parseSql(stored.sql);
  if (statement?.kind !== 'createTrigger') throw new DatabaseError(`corrupt SQL catalog entry for trigger ${stored.name}`);
  return triggerFromStatement(statement, stored.sql, false, stored.createdAt ?? 0);
}

/** Stamps a new definition (and, in a table, each new index) with the schema version that created it. */
function stamp<T extends Def>(def: T, at: number): T {
  let out = def.createdAt === undefined ? { ...def, createdAt: at } : def;
  if ('indexes' in out && out.indexes.some((i) => i.createdAt === undefined)) {
    out = { ...out, indexes: out.indexes.map((i) => (i.createdAt === undefined ? { ...i, createdAt: at } : i)) };
  }
  return out;
}

/**
 * The schema: table and view definitions persisted in Storage and cached in memory. A DDL
 * statement writes through the statement's transaction and records its change in a
 * per-transaction overlay; the shared cache only takes the change in `afterCommit`, so an
 * aborted transaction leaves the cache as it was. `version` changes with every committed DDL,
 * which invalidates compiled statements. TEMP views and triggers live only in this engine (no key).
 */
export class Catalog {
  #tables = new Map<string, TableDef>();
  #views = new Map<string, ViewDef>();
  #triggers = new Map<string, TriggerDef>();
  readonly #tempViews = new Map<string, ViewDef>();
  readonly #tempTriggers = new Map<string, TriggerDef>();
  /** Creation order of TEMP objects (they have no schema version of their own). */
  #tempCount = 0;
  #version = 0;
  /** The schema version key's value the definitions were loaded at (undefined: never written). */
  #stored: Buffer | undefined;
  readonly #overlays = new WeakMap<Transaction, Map<string, Def | null>>();
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
        // Definitions stored before creation order was kept sort first, by name.
        def = stamp(upgradeTableDef(JSON.parse(value.toString('utf8')) as TableDef), 0);
      } catch (error) {
        throw new DatabaseError('corrupt SQL catalog entry', { cause: error });
      }
      tables.set(nameKey(def.name), def);
    }
    const views = await this.#loadSql(reader, 'view', viewFromSql);
    const triggers = await this.#loadSql(reader, 'trigger', triggerFromSql);
    this.#tables = tables;
    this.#views = views;
    this.#triggers = triggers;
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

  async #loadSql<T extends ViewDef | TriggerDef>(reader: KeyValueReader, kind: 'view' | 'trigger', parse: (stored: StoredSql) => T): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for await (const [, value] of reader.iterator(keyRange(this.#prefix(kind)))) {
      let def: T;
      try {
        def = parse(JSON.parse(value.toString('utf8')) as StoredSql);
      } catch (error) {
        throw new DatabaseError('corrupt SQL catalog entry', { cause: error });
      }
      out.set(nameKey(def.name), def);
    }
    return out;
  }

  #prefix(kind: 'view' | 'trigger'): readonly ['sql', string, 'view' | 'trigger'] {
    return ['sql', this.keys.namespace, kind];
  }

  /** True when `txn` has uncommitted DDL, whose statements must not use the shared plan cache. */
  hasPendingChanges(txn: Transaction): boolean {
    return (this.#overlays.get(txn)?.size ?? 0) > 0;
  }

  #lookup<T extends Def>(kind: Kind, name: string, txn: Transaction | undefined, shared: Map<string, T>): T | undefined {
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

  trigger(name: string, txn: Transaction | undefined): TriggerDef | undefined {
    return this.#tempTriggers.get(nameKey(name)) ?? this.#lookup('trigger', name, txn, this.#triggers);
  }

  allTriggers(txn: Transaction | undefined): TriggerDef[] {
    return [...this.#tempTriggers.values(), ...this.#all('trigger', this.#triggers, txn)];
  }

  /** Whether any trigger exists (most schemas have none: writes then skip every trigger lookup). */
  hasTriggers(txn: Transaction | undefined): boolean {
    if (this.#triggers.size > 0 || this.#tempTriggers.size > 0) return true;
    const overlay = txn && this.#overlays.get(txn);
    if (!overlay) return false;
    for (const [k, v] of overlay) if (v !== null && k.startsWith('trigger:')) return true;
    return false;
  }

  /** The triggers on a table or view (for a statement that writes it), in the order they fire. */
  triggersOn(table: string, txn: Transaction | undefined): readonly TriggerDef[] {
    const key = nameKey(table);
    const pending = txn !== undefined && this.hasPendingChanges(txn);
    if (this.#triggers.size === 0 && this.#tempTriggers.size === 0 && !pending) return [];
    // Asked for each table a statement writes (also by every statement of a trigger program):
    // kept per schema version, unless the transaction has schema changes of its own.
    if (!pending && this.#triggersAt !== this.#version) {
      this.#triggersByTable.clear();
      this.#triggersAt = this.#version;
    }
    const known = pending ? undefined : this.#triggersByTable.get(key);
    if (known) return known;
    const found = this.allTriggers(txn)
      .filter((t) => nameKey(t.table) === key)
      // SQLite fires the newest first, TEMP ones before the others.
      .sort((a, b) => Number(b.temp) - Number(a.temp) || (b.createdAt ?? 0) - (a.createdAt ?? 0));
    if (!pending) this.#triggersByTable.set(key, found);
    return found;
  }

  readonly #triggersByTable = new Map<string, readonly TriggerDef[]>();
  #triggersAt = -1;

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
  async save(name: string, input: TableDef | null, kv: KeyValueStore, txn: Transaction): Promise<void> {
    const key = nameKey(name);
    const at = await this.#bumpVersion(kv, txn);
    const def = input && stamp(input, at);
    if (def === null) await kv.del(this.keys.table(key));
    else await kv.put(this.keys.table(key), JSON.stringify(def));
    this.#record(txn, `table:${key}`, def, (v) => (v === null ? this.#tables.delete(key) : this.#tables.set(key, v as TableDef)));
  }

  /** Writes (or, with `null`, deletes) a view inside `txn`; a TEMP view is kept by this engine only. */
  async saveView(name: string, def: ViewDef | null, kv: KeyValueStore, txn: Transaction, temp: boolean): Promise<void> {
    await this.#saveSql('view', name, def, kv, txn, temp, this.#tempViews, () => this.#views);
  }

  /** Writes (or, with `null`, deletes) a trigger inside `txn`; a TEMP trigger is kept by this engine only. */
  async saveTrigger(name: string, def: TriggerDef | null, kv: KeyValueStore, txn: Transaction, temp: boolean): Promise<void> {
    await this.#saveSql('trigger', name, def, kv, txn, temp, this.#tempTriggers, () => this.#triggers);
  }

  isTempTrigger(name: string): boolean {
    return this.#tempTriggers.has(nameKey(name));
  }

  async #saveSql<T extends ViewDef | TriggerDef>(
    kind: 'view' | 'trigger',
    name: string,
    input: T | null,
    kv: KeyValueStore,
    txn: Transaction,
    temp: boolean,
    temps: Map<string, T>,
    shared: () => Map<string, T>,
  ): Promise<void> {
    const key = nameKey(name);
    if (temp || (input === null && temps.has(key))) {
      const def = input && stamp(input, ++this.#tempCount);
      txn.afterCommit(() => {
        if (def === null) temps.delete(key);
        else temps.set(key, def);
        this.#version++;
      });
      return;
    }
    const storageKey = encodeKey([...this.#prefix(kind), key]);
    const at = await this.#bumpVersion(kv, txn);
    const def = input && stamp(input, at);
    if (def === null) await kv.del(storageKey);
    else await kv.put(storageKey, JSON.stringify({ name: def.name, sql: def.sql, createdAt: def.createdAt } satisfies StoredSql));
    this.#record(txn, `${kind}:${key}`, def, (v) => (v === null ? shared().delete(key) : shared().set(key, v as T)));
  }

  /**
   * Every DDL writes the next schema version in its transaction: two DDLs racing conflict on it,
   * and every other engine, in this process or another, sees the schema change before its next
   * statement runs (and a write prepared under the old schema conflicts; see SqlEngine).
   */
  async #bumpVersion(kv: KeyValueStore, txn: Transaction): Promise<number> {
    const versionKey = this.keys.schemaVersion();
    const current = await kv.get(versionKey);
    const version = (current === undefined ? 0n : BigInt(current.toString('latin1'))) + 1n;
    const next = Buffer.from(String(version), 'latin1');
    await kv.put(versionKey, next);
    this.#written.set(txn, next);
    return Number(version);
  }

  #record(txn: Transaction, key: string, def: Def | null, apply: (v: Def | null) => void): void {
    let overlay = this.#overlays.get(txn);
    if (!overlay) {
      const fresh = new Map<string, Def | null>();
      const appliers = new Map<string, (v: Def | null) => void>();
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
  mark(txn: Transaction): ReadonlyMap<string, Def | null> {
    return new Map(this.#overlays.get(txn) ?? []);
  }

  /** Takes back the schema changes made after `mark` (ROLLBACK TO a savepoint). */
  restore(txn: Transaction, mark: ReadonlyMap<string, Def | null>): void {
    const overlay = this.#overlays.get(txn);
    if (!overlay) return;
    for (const k of [...overlay.keys()]) if (!mark.has(k)) overlay.delete(k);
    for (const [k, v] of mark) overlay.set(k, v);
  }

  readonly #appliers = new WeakMap<Map<string, Def | null>, Map<string, (v: Def | null) => void>>();
}
