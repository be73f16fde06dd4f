import { LocalTransaction, type Transaction } from '@sochdb/core';
import type { Catalog } from '../schema/catalog.js';

/**
 * What an engine remembers about one transaction across its statements: the next rowid per table.
 * One object per transaction, so a statement creates no closures of its own.
 *
 * The rowids assume every write of the transaction came through this engine. Writes that did not
 * (key-value writes, another engine) are noticed by the transaction's key count moving between
 * statements: then the known rowids are dropped (re-read from the transaction).
 */
export class TxnState {
  /** Next rowid per table (see table-writer). */
  readonly rowids = new Map<string, bigint>();
  /** The transaction's key count after this engine's last flush. */
  #expected = 0;
  /** The shared catalog's version when this transaction's snapshot was found to match it. */
  verifiedAt = -1;
  /** A catalog read from this transaction's snapshot, when that predates the shared one. */
  catalog: Catalog | undefined;
  /** Whether the transaction already depends on the schema version (see SqlEngine.#runIn). */
  dependsOnSchema = false;

  constructor(private readonly txn: Transaction) {}

  /** Called before each statement: notices writes made since the last one by anything else. */
  beforeStatement(): void {
    const { txn } = this;
    if (!(txn instanceof LocalTransaction) || txn.writeCount === this.#expected) return;
    this.rowids.clear();
    this.#expected = txn.writeCount;
  }

  /**
   * A point read answered synchronously (the transaction's own writes, then its snapshot), or
   * `null` when the transaction has no synchronous reads (a remote one).
   */
  readonly syncRead = (key: Buffer): Buffer | undefined | null => {
    const read = this.txn.getSync;
    return read ? read(key) : null;
  };

  /** Told after a statement's writes reached the transaction. */
  readonly onFlush = (): void => {
    if (this.txn instanceof LocalTransaction) this.#expected = this.txn.writeCount;
  };
}
