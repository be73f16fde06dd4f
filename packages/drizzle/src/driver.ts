import type { Database, DatabaseTransaction, OutputValue } from '@sochdb/sdk';
import type { DrizzleConfig } from 'drizzle-orm';
import { drizzle as proxyDrizzle, type AsyncBatchRemoteCallback, type RemoteCallback, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import { SochDBDrizzleError } from './errors.js';

/**
 * How Drizzle's sqlite-proxy wants a statement's result: `all`/`values` every row, `get` the first
 * row only (or none), `run` the rows plus `rowsAffected` and `lastInsertRowid`.
 */
export type ProxyMethod = 'run' | 'all' | 'values' | 'get';

/**
 * What the driver hands back to Drizzle: rows as arrays in column order (Drizzle maps them to its
 * fields by position). `run` also carries the engine's counts, read by callers of `db.run()`.
 */
export interface SochDBRemoteResult {
  /** Rows as value arrays in column order; for `get`, one row's values, or `undefined` when no row matched. */
  readonly rows: OutputValue[][];
  /** Rows the statement inserted, updated or deleted; set only for `run`. */
  readonly rowsAffected?: number;
  /** Rowid of the last row inserted, as the engine reports it; set only for `run`, absent when nothing was inserted. */
  readonly lastInsertRowid?: number | bigint;
}

/**
 * A Drizzle database on SochDB; `$client` is the SochDB `Database` it runs on.
 *
 * @example
 * ```ts
 * // One SochDB transaction: commits when the callback returns; a conflicting writer makes it
 * // reject with TransactionConflictError, and nothing of it is written.
 * await db.transaction(async (tx) => {
 *   const [note] = await tx.select().from(notes).where(eq(notes.id, 1));
 *   if (note) await tx.update(notes).set({ title: `${note.title} (done)` }).where(eq(notes.id, 1));
 * });
 * console.log(await db.$client.stats()); // the SochDB Database underneath
 * ```
 */
export type SochDBDrizzleDatabase<TSchema extends Record<string, unknown> = Record<string, never>> = SqliteRemoteDatabase<TSchema> & {
  /** The SochDB database the statements run on; `drizzle()` never closes it, its owner does. */
  readonly $client: Database;
};

/** BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION] — Drizzle's `db.transaction()` sends it as text. */
const BEGIN = /^\s*begin(?:\s+(?:deferred|immediate|exclusive))?(?:\s+transaction)?\s*;?\s*$/i;
const COMMIT = /^\s*(?:commit|end)(?:\s+transaction)?\s*;?\s*$/i;
/** ROLLBACK without TO: ROLLBACK TO SAVEPOINT goes to the engine, inside the open transaction. */
const ROLLBACK = /^\s*rollback(?:\s+transaction)?\s*;?\s*$/i;

/**
 * The state behind one Drizzle database: the SochDB database, and the transaction Drizzle's
 * BEGIN opened, if any. Drizzle's proxy sends BEGIN / COMMIT / ROLLBACK as SQL text through the
 * same callback as everything else; they are taken here and turned into a SochDB
 * DatabaseTransaction (so the transaction is this Drizzle database's, not the engine's shared
 * SQL session), and every statement in between runs in it. SAVEPOINT / RELEASE / ROLLBACK TO go
 * to the engine with `{ txn }`, which nests them in that transaction (Drizzle's nested
 * `tx.transaction()`).
 */
export class SochDBSession {
  #txn: DatabaseTransaction | undefined;
  /** Resolves when the open transaction ends; a second BEGIN waits for it. */
  #ended: Promise<void> = Promise.resolve();
  #end: (() => void) | undefined;

  /**
   * @param database - Every statement outside a Drizzle transaction runs on it directly; the
   *   session never closes it.
   */
  constructor(readonly database: Database) {}

  /** Drizzle's per-statement callback. */
  readonly query = async (sql: string, params: unknown[], method: ProxyMethod): Promise<SochDBRemoteResult> => {
    if (BEGIN.test(sql)) return this.#begin();
    if (COMMIT.test(sql)) return this.#finish('commit');
    if (ROLLBACK.test(sql)) return this.#finish('rollback');
    return this.#run(this.#txn, sql, params, method);
  };

  /**
   * Drizzle's `db.batch([...])`: every statement in one transaction (the open one, or a new one
   * that commits when all succeed and aborts when any fails), as SQLite drivers do a batch.
   */
  readonly batch = async (queries: readonly { sql: string; params: unknown[]; method: ProxyMethod }[]): Promise<SochDBRemoteResult[]> => {
    const run = async (txn: DatabaseTransaction): Promise<SochDBRemoteResult[]> => {
      const results: SochDBRemoteResult[] = [];
      for (const q of queries) results.push(await this.#run(txn, q.sql, q.params, q.method));
      return results;
    };
    return this.#txn ? run(this.#txn) : this.database.transaction(run);
  };

  /** Runs migration statements in one transaction: all of a run of migrations apply, or none. */
  async runMigrations(queries: readonly string[]): Promise<void> {
    const run = async (txn: DatabaseTransaction): Promise<void> => {
      // Drizzle's files split on "--> statement-breakpoint"; the last piece may be blank.
      for (const q of queries) if (q.trim() !== '') await txn.execute(q);
    };
    await (this.#txn ? run(this.#txn) : this.database.transaction(run));
  }

  async #begin(): Promise<SochDBRemoteResult> {
    // Transactions on one Drizzle database take turns: the next BEGIN waits for the open one to end.
    while (this.#txn) await this.#ended;
    this.#txn = this.database.beginTransaction();
    this.#ended = new Promise((resolve) => (this.#end = resolve));
    return { rows: [] };
  }

  async #finish(how: 'commit' | 'rollback'): Promise<SochDBRemoteResult> {
    const txn = this.#txn;
    // Drizzle sends ROLLBACK after a failed COMMIT, whose transaction has already ended (say, with
    // a TransactionConflictError); failing here would hide that error behind this one.
    if (!txn && how === 'rollback') return { rows: [] };
    if (!txn) throw new SochDBDrizzleError(`cannot ${how}: no transaction is open`, { remediation: 'Use db.transaction(), which sends BEGIN first.' });
    this.#txn = undefined;
    const end = this.#end;
    this.#end = undefined;
    try {
      if (how === 'commit') await txn.commit();
      else await txn.abort();
    } finally {
      end?.();
    }
    return { rows: [] };
  }

  async #run(txn: DatabaseTransaction | undefined, sql: string, params: unknown[], method: ProxyMethod): Promise<SochDBRemoteResult> {
    const options = { rowMode: 'array' } as const;
    const result = txn ? await txn.execute(sql, params, options) : await this.database.execute(sql, params, options);
    // With rowMode 'array' the engine's rows are value arrays; DatabaseTransaction.execute's
    // signature does not narrow on rowMode, so say here what it returned.
    const rows = result.rows as unknown as OutputValue[][];
    switch (method) {
      case 'get':
        return rows.length > 0 ? { rows: rows[0] as unknown as OutputValue[][] } : NO_ROW;
      case 'run':
        return { rows, rowsAffected: result.rowsAffected, lastInsertRowid: result.lastInsertRowid };
      case 'all':
      case 'values':
        return { rows };
    }
  }
}

/**
 * Drizzle's proxy contract for `get` is `{ rows: row }` (one row's values, not a list of rows),
 * and `{ rows: undefined }` for no row; its callback type (`rows: any[]`) spells neither, hence
 * the casts where they are built.
 */
const NO_ROW: SochDBRemoteResult = { rows: undefined as unknown as OutputValue[][] };

const sessions = new WeakMap<object, SochDBSession>();

/**
 * A Drizzle database (sqlite-core query builder, relational queries with `schema`, `batch`) on a
 * SochDB `Database`. The database stays the caller's to close.
 *
 * @example
 * ```ts
 * const notes = sqliteTable('notes', { id: integer('id').primaryKey(), title: text('title').notNull() });
 * const database = await Database.open('./data/app');
 * const db = drizzle(database, { schema: { notes } }); // the schema enables db.query.notes.findMany()
 * await db.insert(notes).values({ title: 'buy milk' });
 * const open = await db.select().from(notes).where(eq(notes.title, 'buy milk'));
 * await database.close(); // drizzle() never closes the database
 * ```
 */
export function drizzle<TSchema extends Record<string, unknown> = Record<string, never>>(
  database: Database,
  config: DrizzleConfig<TSchema> = {},
): SochDBDrizzleDatabase<TSchema> {
  const session = new SochDBSession(database);
  // Our callbacks return precisely typed rows; Drizzle's callback types are `any`-typed supertypes.
  const query: RemoteCallback = session.query;
  const batch: AsyncBatchRemoteCallback = session.batch;
  const db = Object.assign(proxyDrizzle<TSchema>(query, batch, config), { $client: database });
  sessions.set(db, session);
  return db;
}

/** The session behind a database made by `drizzle()`; a typed error for any other. */
export function sessionOf(db: object): SochDBSession {
  const session = sessions.get(db);
  if (!session)
    throw new SochDBDrizzleError('this Drizzle database was not created by @sochdb/drizzle', {
      remediation: "Create it with drizzle(database) from '@sochdb/drizzle'.",
    });
  return session;
}
