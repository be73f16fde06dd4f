import type { Database, DatabaseTransaction, SqlParams } from '@sochdb/sdk';
import {
  IdentifierNode,
  RawNode,
  SelectQueryNode,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type CompiledQuery,
} from 'kysely';
import { SochDBKyselyError } from './errors.js';

/**
 * Where the dialect gets its database: an open one, or a factory called once on first use.
 *
 * @example
 * ```ts
 * // Opened by the first query, closed by db.destroy().
 * const db = new Kysely<Schema>({ dialect: new SochDBDialect({ database: () => Database.open('./data') }) });
 * ```
 */
export type DatabaseSource = Database | (() => Promise<Database>);

/**
 * What `new SochDBDialect(config)` takes.
 *
 * @example
 * ```ts
 * const dialect = new SochDBDialect({
 *   database,
 *   // Runs once, before the first query: SochDB enforces foreign keys unless told otherwise.
 *   onCreateConnection: async (connection) => {
 *     await connection.executeQuery(CompiledQuery.raw('PRAGMA foreign_keys = OFF'));
 *   },
 * });
 * ```
 */
export interface SochDBDialectConfig {
  /**
   * The SochDB database. An instance stays the caller's: `kysely.destroy()` leaves it open. A
   * factory's database belongs to the dialect, and `kysely.destroy()` closes it.
   */
  readonly database: DatabaseSource;
  /** Called once with the connection after the database is ready (e.g. to run PRAGMAs). */
  readonly onCreateConnection?: (connection: DatabaseConnection) => Promise<void>;
}

/**
 * Kysely's driver over one SochDB `Database`. Like Kysely's own SqliteDriver it hands out a single
 * connection, one holder at a time (a mutex), because a Kysely transaction is "the connection is
 * in a transaction": every statement on it must go into the same SochDB transaction.
 */
export class SochDBDriver implements Driver {
  readonly #config: SochDBDialectConfig;
  readonly #mutex = new ConnectionMutex();
  #db: Database | undefined;
  #connection: SochDBConnection | undefined;

  constructor(config: SochDBDialectConfig) {
    this.#config = Object.freeze({ ...config });
  }

  /**
   * Resolves the database (calling the factory, once) and runs `onCreateConnection`. Kysely calls
   * it before the first query; a rejected factory or hook rejects that query.
   */
  async init(): Promise<void> {
    const source = this.#config.database;
    this.#db = typeof source === 'function' ? await source() : source;
    this.#connection = new SochDBConnection(this.#db);
    if (this.#config.onCreateConnection) await this.#config.onCreateConnection(this.#connection);
  }

  /**
   * Waits until the single connection is free, then hands it out until `releaseConnection`.
   * Throws SochDBKyselyError after `destroy()`.
   */
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (!this.#connection) {
      this.#mutex.unlock();
      throw new SochDBKyselyError('the SochDB dialect is not initialized or was destroyed', { remediation: 'Create a new Kysely instance.' });
    }
    return this.#connection;
  }

  /**
   * Opens a SochDB transaction on the connection. It is always snapshot isolation: Kysely's
   * `isolationLevel` and `accessMode` settings are ignored. Throws SochDBKyselyError if one is
   * already open or the connection is not this dialect's.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    asSochDB(connection).begin();
  }

  /**
   * Commits the connection's transaction. A conflict with a concurrent writer rejects with the
   * engine's TransactionConflictError, and the transaction is over either way (nothing to retry
   * on it). Throws SochDBKyselyError when no transaction is open.
   */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await asSochDB(connection).commit();
  }

  /** Aborts the connection's transaction, discarding its writes; a no-op when none is open (see SochDBConnection.rollback). */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await asSochDB(connection).rollback();
  }

  // Savepoints are SQL statements the engine runs inside the caller's transaction ({ txn }), so
  // Kysely's nested transactions (`trx.savepoint()`) work as on SQLite.
  /** Runs `SAVEPOINT "name"` inside the open transaction (what `trx.savepoint(name)` calls). */
  async savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('savepoint', name), createQueryId()));
  }

  /** Runs `ROLLBACK TO "name"`: undoes the transaction's writes since that savepoint, which stays open. */
  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('rollback to', name), createQueryId()));
  }

  /** Runs `RELEASE "name"`: keeps the writes since the savepoint in the enclosing transaction. */
  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compileQuery(savepointCommand('release', name), createQueryId()));
  }

  /** Frees the connection for the next waiting `acquireConnection` caller. */
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /**
   * Aborts a transaction left open, then closes the database only if the dialect opened it (a
   * factory in `database`); a `Database` instance passed in stays open. Called by `kysely.destroy()`.
   */
  async destroy(): Promise<void> {
    const db = this.#db;
    const owned = typeof this.#config.database === 'function';
    // An unfinished transaction (a Kysely call interrupted by destroy) must not stay open.
    await this.#connection?.rollback();
    this.#connection = undefined;
    this.#db = undefined;
    if (owned && db) await db.close();
  }
}

/** The one connection: statements run on the database, or in the open transaction if there is one. */
export class SochDBConnection implements DatabaseConnection {
  readonly #db: Database;
  #txn: DatabaseTransaction | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Starts a SochDB transaction that later statements join. Throws SochDBKyselyError if one is already open. */
  begin(): void {
    if (this.#txn) throw new SochDBKyselyError('a transaction is already open on this connection');
    this.#txn = this.#db.beginTransaction();
  }

  /**
   * Commits the open transaction; rejects with TransactionConflictError on a write conflict. The
   * transaction is closed before the commit runs, so a failed commit cannot be retried and a
   * following `rollback()` is a no-op. Throws SochDBKyselyError when none is open.
   */
  async commit(): Promise<void> {
    const txn = this.#txn;
    if (!txn) throw new SochDBKyselyError('cannot commit: no transaction is open on this connection');
    // The transaction ends here whatever the outcome: a failed commit cannot be retried.
    this.#txn = undefined;
    await txn.commit();
  }

  /**
   * Aborts the open transaction. With none open it does nothing: Kysely rolls back after a failed
   * commit, and a commit that failed (a TransactionConflictError) has already ended the
   * transaction; throwing here would hide that error behind this one.
   */
  async rollback(): Promise<void> {
    const txn = this.#txn;
    this.#txn = undefined;
    await txn?.abort();
  }

  /**
   * Runs one compiled statement, inside the open transaction if there is one. A statement that
   * returns columns (SELECT, RETURNING) resolves to its rows only; any other resolves with
   * `numAffectedRows` and `insertId` (the last inserted rowid) too. SQL errors are the engine's.
   */
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const params = compiledQuery.parameters as SqlParams;
    const result = this.#txn ? await this.#txn.execute(compiledQuery.sql, params) : await this.#db.execute(compiledQuery.sql, params);
    // Kysely row types are the caller's promise about the query's shape; the engine's rows are
    // plain { column: value } objects, which is what Kysely hands back for them.
    const rows = result.rows as unknown as R[];
    // A statement that yields columns is a reader (SELECT, or a write with RETURNING): like Kysely's
    // SqliteDriver, its result is just its rows, and Kysely takes counts from the rows it asked for.
    if (result.columns.length > 0) return { rows };
    return {
      rows,
      numAffectedRows: BigInt(result.rowsAffected),
      insertId: BigInt(result.lastInsertRowid),
    };
  }

  /**
   * Yields a SELECT's rows `chunkSize` at a time. The engine materializes a result before
   * returning it, so this saves no memory over executeQuery; it exists so `.stream()` works.
   *
   * @example
   * ```ts
   * for await (const person of db.selectFrom('person').selectAll().stream(100)) console.log(person.name);
   * ```
   */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) {
      throw new SochDBKyselyError('the SochDB dialect streams only SELECT queries', { remediation: 'Use execute() for other statements.' });
    }
    const { rows } = await this.executeQuery<R>(compiledQuery);
    const size = Math.max(1, Math.floor(chunkSize));
    for (let i = 0; i < rows.length; i += size) yield { rows: rows.slice(i, i + size) };
  }
}

function asSochDB(connection: DatabaseConnection): SochDBConnection {
  if (connection instanceof SochDBConnection) return connection;
  throw new SochDBKyselyError('the connection was not created by the SochDB dialect');
}

/** `savepoint "name"` and friends, built as Kysely's own (unexported) parseSavepointCommand does. */
function savepointCommand(command: 'savepoint' | 'rollback to' | 'release', name: string): RawNode {
  // The name goes in as an identifier so the query compiler quotes and escapes it.
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

/** One holder at a time; later callers wait in turn (Kysely's SqliteDriver's ConnectionMutex). */
class ConnectionMutex {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#promise) await this.#promise;
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}
