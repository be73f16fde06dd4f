import {
  asTransaction,
  LocalTransaction,
  QueryError,
  SochDBError,
  ValidationError,
  type KeyValueReader,
  type Storage,
  type Transaction,
  type TransactionLike,
} from '@sochdb/core';
import { RowCache } from '../exec/row-cache.js';
import type { Params, Runtime } from '../expr/scope.js';
import { parseSql, type Statement } from '../parse/index.js';
import type { CompileContext } from '../plan/plan-types.js';
import { CACHEABLE_SQL_LENGTH, DEFAULT_LIMITS, type ExecuteOptions, type SqlEngineOptions, type SqlLimits } from './options.js';
import { Catalog } from '../schema/catalog.js';
import { KeySpace } from '../schema/keys.js';
import { compile } from '../statements/compile.js';
import type { SelectExecutable } from '../statements/select.js';
import { EMPTY_RESULT, type Executable, type StatementResult } from '../statements/statement.js';
import { runPragma } from './pragma.js';
import { EngineEnv } from './engine-env.js';
import { rollsBackTransaction } from '../write/row-triggers.js';
import { toOutput, toSafeOutput, type OutputValue, type SqlValue } from '../values/values.js';
import { asSqlError } from './sql-error.js';
import type { SqlTriggers } from '../write/triggers.js';
import { StatementWrites } from '../write/writes.js';
import { bindParams, type SqlParams } from './params.js';
import { SqlResult, type SqlRow } from './result.js';
import { SqlSession } from './session.js';
import { TxnState } from './txn-state.js';
import { PreparedStatement, type PreparedPlan, type RowStream } from './prepared.js';

export type { SqlEngineOptions, SqlLimits, ExecuteOptions } from './options.js';
export type { SqlParams } from './params.js';

interface CompiledEntry {
  readonly version: number;
  readonly executables: (Executable | undefined)[];
}

const EXPLAIN_COLUMNS = ['id', 'parent', 'notused', 'detail'];
const DML: ReadonlySet<Statement['kind']> = new Set(['insert', 'update', 'delete']);
/** Statements prepare() compiles up front; others (DDL, transaction control, PRAGMA) are checked when run. */
const PLANNED_AT_PREPARE: ReadonlySet<Statement['kind']> = new Set(['select', 'insert', 'update', 'delete']);
const NO_SUBQUERIES = new Map<number, unknown>();

/** Streamed rows converted for callers, with `end` run however the iteration stops (the end, a break, an error). */
async function* outputRows(
  rows: AsyncIterable<SqlValue[][]>,
  out: (value: SqlValue) => OutputValue,
  end: () => Promise<void>,
): AsyncGenerator<OutputValue[][]> {
  try {
    for await (const batch of rows) yield batch.map((r) => r.map(out));
  } catch (error) {
    throw asSqlError(error);
  } finally {
    await end();
  }
}

/**
 * A SQLite-compatible SQL engine over a SochDB Storage. Tables, rows and indexes are keys of
 * the Storage (see keys.ts), so SQL writes can share a transaction with any other SochDB data.
 *
 * @example
 * ```ts
 * const sql = new SqlEngine(storage); // any core Storage: LevelStorage, MemoryStorage…
 * await sql.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
 * await sql.execute('INSERT INTO users (name) VALUES (?), (?)', ['Ada', 'Alan']);
 * const { rows } = await sql.execute('SELECT id, name FROM users WHERE name = :name', { name: 'Ada' }); // [{ id: 1, name: 'Ada' }]
 * ```
 */
export class SqlEngine {
  readonly #storage: Storage;
  readonly #keys: KeySpace;
  readonly #catalog: Catalog;
  readonly #triggers: SqlTriggers | undefined;
  readonly #cacheSize: number;
  #cacheHits = 0;
  #cacheMisses = 0;
  readonly #retries: number;
  readonly #rowCache: RowCache | undefined;
  readonly #parsed = new Map<string, Statement[]>();
  readonly #compiled = new Map<string, CompiledEntry>();
  #ready: Promise<void> | undefined;
  /** Set once the catalog has loaded, so a statement skips even an await of the settled promise. */
  #loaded = false;
  /** Per-transaction rowids and written keys (see TxnState). */
  readonly #txnStates = new WeakMap<Transaction, TxnState>();
  /** BEGIN … COMMIT and savepoints written in SQL. */
  readonly #session: SqlSession;
  readonly #limits: Required<SqlLimits>;
  /** changes(), total_changes(), last_insert_rowid(): SQLite keeps them per connection, this engine per engine. */
  readonly #counters = { changes: 0, totalChanges: 0, lastInsertRowid: 0n };
  /** Per-engine settings and how statements (and trigger programs) compile. */
  readonly #env: EngineEnv;
  /** A reload of the shared catalog in progress (statements that find it stale share it). */
  #reloading: Promise<void> | undefined;
  /** The Storage LSN, and the shared catalog's version, at the last check outside a transaction. */
  #verifiedLsn: bigint | undefined;
  #verifiedAt = -1;

  constructor(storage: Storage, options: SqlEngineOptions = {}) {
    if (options.namespace !== undefined && (typeof options.namespace !== 'string' || options.namespace === '')) {
      throw new ValidationError('namespace must be a non-empty string', { field: 'namespace' });
    }
    for (const field of ['statementCacheSize', 'retries', 'rowCacheRows'] as const) {
      const v = options[field];
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new ValidationError(`${field} must be a non-negative integer`, { field });
    }
    for (const field of ['sqlLength', 'inListItems', 'recursiveRows'] as const) {
      const v = options.limits?.[field];
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new ValidationError(`limits.${field} must be a positive integer`, { field: `limits.${field}` });
    }
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#storage = storage;
    this.#keys = new KeySpace(options.namespace ?? 'default');
    this.#catalog = new Catalog(this.#keys);
    this.#session = new SqlSession(storage, (txn) => this.#txnStates.get(txn)?.catalog ?? this.#catalog);
    this.#triggers = options.triggers;
    this.#cacheSize = options.statementCacheSize ?? 500;
    this.#retries = options.retries ?? 3;
    const rows = options.rowCacheRows ?? 250_000;
    this.#rowCache = rows > 0 ? new RowCache(storage, rows) : undefined;
    this.#env = new EngineEnv(this.#keys, this.#limits.recursiveRows);
  }

  /**
   * Runs `sql` (one statement, or several separated by `;`) with rows as arrays in column order.
   *
   * @example
   * ```ts
   * const { columns, rows } = await sql.execute('SELECT name, count(*) FROM users GROUP BY name', [], { rowMode: 'array' });
   * // columns: ['name', 'count(*)'], rows: [['Ada', 1], ['Alan', 1]]
   * ```
   */
  execute(sql: string, params: SqlParams | undefined, options: ExecuteOptions & { readonly rowMode: 'array' }): Promise<SqlResult<OutputValue[]>>;
  /**
   * Runs `sql` (one statement, or several separated by `;`); the result holds the rows of the
   * last statement that returns any, and the rows written by all of them.
   *
   * @example
   * ```ts
   * // The UPDATE is part of the caller's transaction: it commits or aborts with the key-value write.
   * await storage.transaction(async (txn) => {
   *   await sql.execute('UPDATE users SET name = ? WHERE id = ?', ['Ada L.', 1], { txn });
   *   await txn.put('audit/users/1', 'renamed');
   * });
   * ```
   */
  execute(sql: string, params?: SqlParams, options?: ExecuteOptions): Promise<SqlResult<SqlRow>>;
  async execute(sql: string, params?: SqlParams, options: ExecuteOptions = {}): Promise<SqlResult<SqlRow> | SqlResult<OutputValue[]>> {
    if (typeof sql !== 'string') throw new ValidationError('sql must be a string', { field: 'sql' });
    return this.#executeParsed(sql, this.#parse(sql), params, options);
  }

  /** execute() once `sql` is parsed: a prepared statement runs its own parse through here. */
  async #executeParsed(
    sql: string,
    statements: readonly Statement[],
    params: SqlParams | undefined,
    options: ExecuteOptions,
  ): Promise<SqlResult<SqlRow> | SqlResult<OutputValue[]>> {
    // A core transaction is the common case: skip asTransaction's duck-typing per statement.
    const txn = options.txn instanceof LocalTransaction ? options.txn : asTransaction(options.txn);
    if (!this.#loaded) await this.#load();
    const bound = bindParams(params);
    let last: StatementResult = EMPTY_RESULT;
    let affected = 0;
    let lastRowid: bigint | undefined;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      let result: StatementResult;
      try {
        result = await this.#statement(sql, i, statement, txn, bound);
      } catch (error) {
        // SQLite sets changes() to 0 when an INSERT, UPDATE or DELETE fails (total_changes() keeps its count).
        if (DML.has(statement.kind)) this.#counters.changes = 0;
        // RAISE(ROLLBACK) in a trigger: the transaction BEGIN opened ends (a caller's stays the caller's).
        if (rollsBackTransaction(error) && !txn && this.#session.transaction) await this.#session.run({ kind: 'rollback', savepoint: undefined }, undefined);
        throw asSqlError(error);
      }
      // RAISE(FAIL): the statement kept its earlier rows (committed, outside a transaction), then failed.
      if (result.error !== undefined) throw asSqlError(result.error);
      affected += result.rowsAffected;
      if (DML.has(statement.kind)) {
        this.#counters.changes = result.rowsAffected;
        this.#counters.totalChanges += result.rowsAffected;
      }
      if (result.lastInsertRowid !== undefined) lastRowid = this.#counters.lastInsertRowid = result.lastInsertRowid;
      if (result.columns.length > 0 || i === statements.length - 1) last = result;
    }
    const out = options.safeIntegers ? toSafeOutput : toOutput;
    const rowid = lastRowid === undefined ? 0 : (out(lastRowid) as number | bigint);
    if (options.rowMode === 'array')
      return new SqlResult(
        last.rows.map((r) => r.map(out)),
        last.columns,
        affected,
        rowid,
      );
    const cols = last.columns;
    const rows = last.rows.map((r) => {
      const o: SqlRow = {};
      for (let c = 0; c < cols.length; c++) o[cols[c]!] = out(r[c]!);
      return o;
    });
    return new SqlResult(rows, cols, affected, rowid);
  }

  /**
   * One statement, parsed now (a syntax error, or more than one statement, throws here) and, when
   * the schema is at hand without waiting, compiled now (an unknown table throws here); then run
   * many times with new parameters. better-sqlite3's prepare, with promises: see prepared.ts.
   *
   * @example
   * ```ts
   * const insert = sql.prepare('INSERT INTO users (name) VALUES (?)');
   * for (const name of ['Grace', 'Edsger']) await insert.run(name);
   * const byId = sql.prepare('SELECT name FROM users WHERE id = $id');
   * const user = await byId.get({ id: 1 }); // { name: 'Ada' }, or undefined
   * ```
   */
  prepare(sql: string, options: { readonly txn?: TransactionLike } = {}): PreparedStatement {
    if (typeof sql !== 'string') throw new ValidationError('sql must be a string', { field: 'sql' });
    const statements = this.#parse(sql);
    if (statements.length > 1)
      throw new QueryError('The supplied SQL string contains more than one statement', {
        remediation: 'Prepare each statement on its own, or run the script with execute().',
      });
    const statement = statements[0]!;
    const txn = asTransaction(options.txn);
    return new PreparedStatement(sql, statement, {
      // rowMode 'array' gives array rows (execute()'s overloads say so; the private method returns their union).
      execute: (params, rowOptions) =>
        this.#executeParsed(sql, statements, params, { ...rowOptions, rowMode: 'array', txn: options.txn }) as Promise<SqlResult<OutputValue[]>>,
      plan: () => this.#planNow(sql, statement, txn),
      stream: (params, rowOptions) => this.#stream(sql, statement, params, rowOptions.safeIntegers, txn),
      counters: this.#counters,
    });
  }

  /**
   * A SELECT's rows as they are read (PreparedStatement.iterate), from a read-only transaction
   * that ends with the iteration; undefined for a query that must be computed whole first, or
   * when a transaction (the caller's, or one BEGIN opened) must see it.
   */
  async #stream(
    sql: string,
    statement: Statement,
    params: SqlParams | undefined,
    safeIntegers: boolean,
    callerTxn: Transaction | undefined,
  ): Promise<RowStream | undefined> {
    if (statement.kind !== 'select' || callerTxn !== undefined) return undefined;
    if (!this.#loaded) await this.#load();
    if (this.#session.transaction) return undefined;
    const bound = bindParams(params);
    const txn = this.#storage.beginTransaction({ readOnly: true });
    try {
      const exe = (await this.#withCatalog(txn, (catalog) => this.#executable(sql, 0, statement, txn, catalog))) as SelectExecutable;
      if (exe.stream === undefined) {
        await txn.abort();
        return undefined;
      }
      const rows = exe.stream(
        { reader: txn, keys: this.#keys, cache: this.#rowCache },
        { params: bound, subqueries: NO_SUBQUERIES, connection: this.#counters },
      );
      return { columns: exe.columns ?? [], rows: outputRows(rows, safeIntegers ? toSafeOutput : toOutput, () => txn.abort()) };
    } catch (error) {
      await txn.abort();
      throw asSqlError(error);
    }
  }

  /** Compiles a prepared statement now when nothing needs awaiting (catalog loaded, schema check synchronous). */
  #planNow(sql: string, statement: Statement, callerTxn: Transaction | undefined): PreparedPlan | undefined {
    const target = statement.kind === 'explain' ? statement.statement : statement;
    if (!this.#loaded || !PLANNED_AT_PREPARE.has(target.kind)) return undefined;
    const txn = callerTxn ?? this.#session.transaction;
    try {
      const plan = this.#withCatalog(txn, (catalog) => ({
        executable: this.#executable(sql, 0, target, txn, catalog),
        context: this.#env.compileContext(catalog, txn),
      }));
      if (!(plan instanceof Promise)) return plan;
      // Planned later, by the first run (which reports any error): nothing is lost here.
      plan.catch(() => undefined);
      return undefined;
    } catch (error) {
      throw asSqlError(error);
    }
  }

  /** One statement; synchronous (no promise) for a point read outside a transaction. */
  #statement(sql: string, index: number, statement: Statement, callerTxn: Transaction | undefined, bound: Params): StatementResult | Promise<StatementResult> {
    switch (statement.kind) {
      case 'explain':
        return this.#withCatalog(callerTxn ?? this.#session.transaction, (catalog) => {
          const exe = this.#executable(sql, index, statement.statement, callerTxn ?? this.#session.transaction, catalog);
          return {
            rows: exe.explain().map((detail, id) => [BigInt(id), 0n, 0n, detail]),
            columns: EXPLAIN_COLUMNS,
            rowsAffected: 0,
            lastInsertRowid: undefined,
          };
        });
      case 'begin':
      case 'commit':
      case 'rollback':
      case 'savepoint':
      case 'release':
        return this.#session.run(statement, callerTxn).then(() => EMPTY_RESULT);
      case 'analyze':
        // Statistics only steer SQLite's planner; this engine keeps none, so there is nothing to do.
        return EMPTY_RESULT;
      case 'vacuum':
        if (statement.into)
          throw new QueryError('VACUUM INTO is not supported', { remediation: 'Copy the database folder while it is closed, or use the backup tools.' });
        // LevelDB compacts on its own; VACUUM has nothing to reclaim.
        return EMPTY_RESULT;
      case 'pragma': {
        const txn = callerTxn ?? this.#session.transaction;
        return this.#withCatalog(txn, (catalog) => runPragma(statement, { catalog, txn, env: this.#env, storage: this.#storage, keys: this.#keys }));
      }
    }
    const txn = callerTxn ?? this.#session.transaction;
    return this.#withCatalog(txn, (catalog) => {
      const exe = this.#executable(sql, index, statement, txn, catalog);
      // Only subqueries write into `subqueries`: a statement without any shares one empty map.
      const rt: Runtime = { params: bound, subqueries: exe.subqueries.length > 0 ? new Map<number, unknown>() : NO_SUBQUERIES, connection: this.#counters };
      if (txn) return this.#runIn(txn, exe, rt, catalog);
      return this.#run(exe, rt, (c) => this.#executable(sql, index, statement, undefined, c));
    });
  }

  /**
   * Runs `then` with the schema this statement must see. Every statement first compares the
   * schema version it can see (in its transaction's snapshot, or in Storage) with the catalog's:
   * DDL committed by another engine or process forces a reload, so no statement plans against a
   * schema that has changed (a row written without an index it did not know of would leave the
   * index wrong). A transaction whose snapshot is older than the shared catalog gets a catalog
   * of its own, read from its snapshot. Synchronous when nothing changed and reads are.
   */
  #withCatalog<T>(txn: Transaction | undefined, then: (catalog: Catalog) => T | Promise<T>): T | Promise<T> {
    const state = txn && this.#state(txn);
    if (state?.catalog) return then(state.catalog);
    const shared = this.#catalog;
    if (txn && shared.hasPendingChanges(txn)) return then(shared);
    if (state && state.verifiedAt === shared.version) return then(shared);
    // Outside a transaction, on a Storage whose LSN counts every commit (a local one): nothing
    // has been committed since the last check, so the schema cannot have moved.
    const local = !txn && this.#storage.supports.getSync;
    const lsn = local ? this.#storage.lsn : undefined;
    if (local && lsn === this.#verifiedLsn && this.#verifiedAt === shared.version) return then(shared);
    const key = this.#keys.schemaVersion();
    const reader: KeyValueReader & { getSync?: ((k: Buffer) => Buffer | undefined) | undefined } = txn ?? this.#storage;
    const getSync = txn ? txn.getSync : this.#storage.supports.getSync ? (k: Buffer) => this.#storage.getSync(k) : undefined;
    const decide = (seen: Buffer | undefined): T | Promise<T> => {
      if (shared.isAt(seen)) {
        if (state) state.verifiedAt = shared.version;
        if (lsn !== undefined) {
          this.#verifiedLsn = lsn;
          this.#verifiedAt = shared.version;
        }
        return then(shared);
      }
      return (async () => {
        if (!txn || Catalog.compareVersions(seen, await this.#storageVersion()) >= 0) {
          // What this statement sees is the newest schema: the shared catalog catches up.
          await (this.#reloading ??= shared.load(this.#storage).finally(() => (this.#reloading = undefined)));
          if (!txn || shared.isAt(seen)) {
            if (state) state.verifiedAt = shared.version;
            return then(shared);
          }
        }
        // The transaction's snapshot predates the shared catalog: it plans with its own.
        const own = new Catalog(this.#keys);
        await own.load(txn);
        state!.catalog = own;
        return then(own);
      })();
    };
    if (getSync) return decide(getSync(key));
    return reader.get(key).then(decide);
  }

  async #storageVersion(): Promise<Buffer | undefined> {
    return this.#storage.get(this.#keys.schemaVersion());
  }

  #state(txn: Transaction): TxnState {
    let state = this.#txnStates.get(txn);
    if (!state) {
      state = new TxnState(txn);
      this.#txnStates.set(txn, state);
    }
    return state;
  }

  async #load(): Promise<void> {
    await (this.#ready ??= this.#catalog.load(this.#storage));
    this.#loaded = true;
  }

  /**
   * The plan chosen for each statement of `sql`, one line per step (same as `EXPLAIN …`).
   *
   * @example
   * ```ts
   * await sql.explain('SELECT * FROM orders WHERE amount > 50'); // ['SEARCH orders USING INDEX orders_amount (amount>?)']
   * ```
   */
  async explain(sql: string, options: { readonly txn?: TransactionLike } = {}): Promise<string[]> {
    await (this.#ready ??= this.#catalog.load(this.#storage));
    const txn = asTransaction(options.txn) ?? this.#session.transaction;
    const catalog = await this.#withCatalog(txn, (c) => c);
    return this.#parse(sql).flatMap((s, i) => this.#executable(sql, i, s.kind === 'explain' ? s.statement : s, txn, catalog).explain());
  }

  /** Names of the tables, as created. */
  async tables(options: { readonly txn?: TransactionLike } = {}): Promise<string[]> {
    await (this.#ready ??= this.#catalog.load(this.#storage));
    const txn = asTransaction(options.txn);
    const catalog = await this.#withCatalog(txn, (c) => c);
    return catalog
      .allTables(txn)
      .map((t) => t.name)
      .sort();
  }

  /**
   * A statement outside any transaction; synchronous (no promise to await) for a point read. A
   * write runs in a transaction of its own that re-checks the schema in its snapshot (and
   * recompiles if it moved) and depends on the schema version, so DDL committed meanwhile makes
   * it conflict and retry instead of writing under the old schema.
   */
  #run(exe: Executable, rt: Runtime, recompile: (catalog: Catalog) => Executable): StatementResult | Promise<StatementResult> {
    if (exe.kind === 'read') {
      const point = (exe as SelectExecutable).pointRead;
      if (point && this.#storage.supports.getSync) {
        const key = point.key(rt);
        return point.finish(key === undefined ? undefined : this.#storage.getSync(key), rt);
      }
      return this.#runReadOnly(exe, rt);
    }
    return this.#storage.transaction(
      async (t) =>
        this.#withCatalog(t, (catalog) => this.#runIn(t, recompile(catalog), { params: rt.params, subqueries: new Map(), connection: rt.connection }, catalog)),
      { retries: this.#retries },
    );
  }

  async #runReadOnly(exe: Executable, rt: Runtime): Promise<StatementResult> {
    const t = this.#storage.beginTransaction({ readOnly: true });
    try {
      return await this.#runIn(t, exe, rt, this.#catalog);
    } finally {
      await t.abort();
    }
  }

  #runIn(txn: Transaction, exe: Executable, rt: Runtime, catalog: Catalog): Promise<StatementResult> {
    const state = this.#state(txn);
    state.beforeStatement();
    // A write relies on the schema it was planned with: DDL committed after this transaction's
    // snapshot makes the commit conflict (where the Storage supports it; see core's dependOn).
    if (exe.kind !== 'read' && !state.dependsOnSchema) {
      txn.dependOn?.(this.#keys.schemaVersion());
      state.dependsOnSchema = true;
    }
    const writes = new StatementWrites(txn, txn.getSync ? state.syncRead : undefined, state.onFlush);
    return exe.run({
      keys: this.#keys,
      catalog,
      txn,
      writes,
      base: txn,
      triggers: this.#triggers,
      rt,
      rowids: state.rowids,
      committed: this.#storage,
      rowCache: this.#rowCache,
      env: this.#env,
    });
  }

  /** Row-cache counters: a hit serves a whole-table scan or a search from memory (see SqlEngineOptions.rowCacheRows). */
  rowCacheStats(): {
    /** Table scans and searches (by index or key range) served from the cache since the engine was created. */
    readonly hits: number;
    /** Scans and searches that could have used the cache but had no usable entry, and read storage. */
    readonly misses: number;
    /** Tables held now. */
    readonly tables: number;
    /** Rows held now, over all tables (bounded by `rowCacheRows`). */
    readonly rows: number;
  } {
    return this.#rowCache?.stats() ?? { hits: 0, misses: 0, tables: 0, rows: 0 };
  }

  /** Parsed-statement cache counters: a hit skips parsing entirely. */
  cacheStats(): {
    /** Calls whose SQL text was already parsed, since the engine was created. */
    readonly hits: number;
    /** Calls that parsed their SQL text. */
    readonly misses: number;
    /** Distinct SQL texts held now; at `statementCacheSize` (default 500) the first parsed is dropped. */
    readonly size: number;
  } {
    return { hits: this.#cacheHits, misses: this.#cacheMisses, size: this.#parsed.size };
  }

  #parse(sql: string): Statement[] {
    let statements = this.#parsed.get(sql);
    if (statements) this.#cacheHits++;
    else this.#cacheMisses++;
    if (!statements) {
      if (sql.length > this.#limits.sqlLength) {
        throw new QueryError(`SQL text too long: ${sql.length} characters (the limit is ${this.#limits.sqlLength})`, {
          remediation: 'Bind large values as parameters (?), split the work into several statements, or raise limits.sqlLength.',
        });
      }
      try {
        statements = parseSql(sql, { maxInListItems: this.#limits.inListItems });
      } catch (error) {
        if (error instanceof SochDBError) throw error;
        throw new QueryError(`could not parse SQL: ${(error as Error).message}`, { cause: error });
      }
      if (statements.length === 0) throw new QueryError('no SQL statement given', { remediation: 'Pass at least one statement, e.g. SELECT 1.' });
      if (sql.length > CACHEABLE_SQL_LENGTH) return statements;
      if (this.#parsed.size >= this.#cacheSize) this.#parsed.delete(this.#parsed.keys().next().value!);
      this.#parsed.set(sql, statements);
    }
    return statements;
  }

  #executable(sql: string, index: number, statement: Statement, txn: Transaction | undefined, catalog: Catalog): Executable {
    // Only statements planned on the shared catalog, with no uncommitted DDL, are shared.
    const shared = catalog === this.#catalog && (!txn || !catalog.hasPendingChanges(txn));
    const version = catalog.version;
    let entry = shared ? this.#compiled.get(sql) : undefined;
    const cached = entry && entry.version === version ? entry.executables[index] : undefined;
    if (cached) return cached;
    const ctx: CompileContext = this.#env.compileContext(catalog, txn);
    const exe = compile(statement, ctx);
    if (shared && exe.kind !== 'ddl' && sql.length <= CACHEABLE_SQL_LENGTH) {
      if (!entry || entry.version !== version) {
        if (this.#compiled.size >= this.#cacheSize) this.#compiled.delete(this.#compiled.keys().next().value!);
        entry = { version, executables: [] };
        this.#compiled.set(sql, entry);
      }
      entry.executables[index] = exe;
    }
    return exe;
  }
}
