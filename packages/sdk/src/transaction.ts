import type { BytesLike, Transaction as CoreTransaction } from '@sochdb/core';
import type { KvBatchedScanOptions, KvScan, KvScanOptions, KvStore } from '@sochdb/kv';
import type { SqlParams, SqlResult, SqlExecuteOptions } from './sql-types.js';

/** What a Database transaction needs from its database (kept narrow to avoid a cycle). */
export interface TransactionScope {
  readonly kv: KvStore;
  executeSql(sql: string, params: SqlParams | undefined, options: SqlExecuteOptions): Promise<SqlResult>;
}

/**
 * One transaction across everything a Database holds: KV writes, SQL statements (`execute`), and —
 * by passing `{ txn }` to queue, graph and collection methods — queue tasks, graph edges and
 * vectors. All of it commits or aborts together. Snapshot isolation; see @sochdb/core.
 */
export class DatabaseTransaction implements AsyncDisposable {
  readonly #kv: KvStore;

  constructor(
    /** The core transaction; pass this object itself as `{ txn }` to package methods. */
    readonly core: CoreTransaction,
    private readonly scope: TransactionScope,
  ) {
    this.#kv = scope.kv.in(core);
  }

  get id(): number {
    return this.core.id;
  }

  get state(): CoreTransaction['state'] {
    return this.core.state;
  }

  put(key: BytesLike, value: BytesLike): Promise<void> {
    return this.#kv.put(key, value);
  }

  get(key: BytesLike): Promise<Buffer | null> {
    return this.#kv.get(key);
  }

  delete(key: BytesLike): Promise<void> {
    return this.#kv.delete(key);
  }

  putPath(path: string, value: BytesLike): Promise<void> {
    return this.#kv.putPath(path, value);
  }

  getPath(path: string): Promise<Buffer | null> {
    return this.#kv.getPath(path);
  }

  deletePath(path: string): Promise<void> {
    return this.#kv.deletePath(path);
  }

  scan(start: BytesLike, end?: BytesLike, options?: KvScanOptions): KvScan {
    return this.#kv.scan(start, end, options);
  }

  scanPrefix(prefix: BytesLike, options?: KvScanOptions): KvScan {
    return this.#kv.scanPrefix(prefix, options);
  }

  scanBatched(start: BytesLike, end?: BytesLike, options?: KvBatchedScanOptions): KvScan {
    return this.#kv.scanBatched(start, end, options);
  }

  /** Runs SQL inside this transaction: it commits or aborts with everything else. */
  execute(sql: string, params?: SqlParams, options: Omit<SqlExecuteOptions, 'txn'> = {}): Promise<SqlResult> {
    return this.scope.executeSql(sql, params, { ...options, txn: this.core });
  }

  /** Commits atomically; resolves with the commit LSN. Throws TransactionConflictError on conflict. */
  commit(): Promise<bigint> {
    return this.core.commit();
  }

  abort(): Promise<void> {
    return this.core.abort();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.core[Symbol.asyncDispose]();
  }
}
