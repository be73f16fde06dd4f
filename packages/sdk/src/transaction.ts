import type { Transaction as CoreTransaction } from '@sochdb/core';
import type { KvStore } from '@sochdb/kv';
import type { PreparedStatement } from '@sochdb/sql';
import { KeyValueMethods } from './kv-methods.js';
import type { SqlParams, SqlResult, SqlExecuteOptions } from './sql-types.js';

/** What a Database transaction needs from its database (kept narrow to avoid a cycle). */
export interface TransactionScope {
  readonly kv: KvStore;
  executeSql(sql: string, params: SqlParams | undefined, options: SqlExecuteOptions): Promise<SqlResult>;
  prepare(sql: string, txn: CoreTransaction): PreparedStatement;
}

/**
 * One transaction across everything a Database holds: KV writes, SQL statements (`execute`), and —
 * by passing `{ txn }` to queue, graph and collection methods — queue tasks, graph edges and
 * vectors. All of it commits or aborts together. Snapshot isolation; see @sochdb/core.
 */
export class DatabaseTransaction extends KeyValueMethods implements AsyncDisposable {
  readonly #kv: KvStore;

  constructor(
    /** The core transaction; pass this object itself as `{ txn }` to package methods. */
    readonly core: CoreTransaction,
    private readonly scope: TransactionScope,
  ) {
    super();
    this.#kv = scope.kv.in(core);
  }

  /** The database's keyspace inside this transaction: the KV methods read and write through it. */
  protected override kvStore(): KvStore {
    return this.#kv;
  }

  /** The core transaction's id: unique among this storage's transactions since it opened, for errors and logs; not persisted. */
  get id(): number {
    return this.core.id;
  }

  /** `'active'` until it ends; `'committing'` during `commit()`; then `'committed'` or `'aborted'` (a failed commit ends aborted). */
  get state(): CoreTransaction['state'] {
    return this.core.state;
  }

  /** Runs SQL inside this transaction: it commits or aborts with everything else. */
  execute(sql: string, params?: SqlParams, options: Omit<SqlExecuteOptions, 'txn'> = {}): Promise<SqlResult> {
    return this.scope.executeSql(sql, params, { ...options, txn: this.core });
  }

  /**
   * A prepared statement bound to this transaction (see Database.prepare): every run reads and
   * writes inside it, so its writes commit or abort with everything else.
   */
  prepare(sql: string): PreparedStatement {
    return this.scope.prepare(sql, this.core);
  }

  /** Commits atomically; resolves with the commit LSN. Throws TransactionConflictError on conflict. */
  commit(): Promise<bigint> {
    return this.core.commit();
  }

  /** Discards every write (KV, SQL, and those of methods given `{ txn }`); idempotent. */
  abort(): Promise<void> {
    return this.core.abort();
  }

  /** `await using txn = db.beginTransaction()` aborts it on the way out unless it committed. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.core[Symbol.asyncDispose]();
  }
}
