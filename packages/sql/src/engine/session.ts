import { QueryError, type Storage, type Transaction, type TransactionSavepoint } from '@sochdb/core';
import type { Catalog } from '../schema/catalog.js';
import type { BeginStatement, CommitStatement, ReleaseStatement, RollbackStatement, SavepointStatement } from '../parse/index.js';

export type TransactionStatement = BeginStatement | CommitStatement | RollbackStatement | SavepointStatement | ReleaseStatement;

interface Savepoint {
  readonly name: string;
  readonly mark: TransactionSavepoint;
  readonly schema: ReturnType<Catalog['mark']>;
  /** This SAVEPOINT began the transaction (no BEGIN before it): releasing it commits. */
  readonly began: boolean;
}

/**
 * BEGIN / COMMIT / ROLLBACK / SAVEPOINT / RELEASE in SQL text, as on one SQLite connection: the
 * engine holds the open transaction, and every statement run without `{ txn }` runs in it until
 * COMMIT or ROLLBACK. Inside a caller's transaction (`{ txn }`) BEGIN, COMMIT and ROLLBACK are
 * errors (the caller owns that transaction), while SAVEPOINT, RELEASE and ROLLBACK TO nest in it.
 */
export class SqlSession {
  /** The transaction BEGIN (or a first SAVEPOINT) opened. */
  #own: Transaction | undefined;
  readonly #savepoints = new WeakMap<Transaction, Savepoint[]>();

  constructor(
    private readonly storage: Storage,
    /** The catalog a transaction's statements plan with (its schema marks go there). */
    private readonly catalogOf: (txn: Transaction) => Catalog,
  ) {}

  /** The open transaction statements without `{ txn }` run in, if any. */
  get transaction(): Transaction | undefined {
    const t = this.#own;
    if (t && t.state !== 'active') this.#own = undefined;
    return this.#own;
  }

  async run(stmt: TransactionStatement, callerTxn: Transaction | undefined): Promise<void> {
    const own = this.transaction;
    switch (stmt.kind) {
      case 'begin':
        if (callerTxn)
          throw new QueryError('cannot start a transaction within a transaction', {
            remediation: 'This statement already runs in your transaction ({ txn }); use SAVEPOINT to nest.',
          });
        if (own)
          throw new QueryError('cannot start a transaction within a transaction', {
            remediation: 'COMMIT or ROLLBACK the open transaction first, or use SAVEPOINT to nest.',
          });
        this.#own = this.storage.beginTransaction();
        return;
      case 'commit':
        if (callerTxn)
          throw new QueryError('cannot commit - the transaction belongs to the caller', {
            remediation: 'Commit it with txn.commit() (or let db.transaction() do it).',
          });
        if (!own) throw new QueryError('cannot commit - no transaction is active', { remediation: 'Start one with BEGIN first.' });
        this.#own = undefined;
        await own.commit();
        return;
      case 'rollback': {
        if (stmt.savepoint !== undefined) return this.#rollbackTo(stmt.savepoint, callerTxn ?? own);
        if (callerTxn)
          throw new QueryError('cannot rollback - the transaction belongs to the caller', {
            remediation: 'Throw from the db.transaction() callback, or call txn.abort().',
          });
        if (!own) throw new QueryError('cannot rollback - no transaction is active', { remediation: 'Start one with BEGIN first.' });
        this.#own = undefined;
        await own.abort();
        return;
      }
      case 'savepoint': {
        let txn = callerTxn ?? own;
        const began = txn === undefined;
        if (!txn) txn = this.#own = this.storage.beginTransaction();
        if (!txn.savepoint) throw new QueryError('SAVEPOINT is not available over this storage (its transactions cannot be partly undone)');
        let stack = this.#savepoints.get(txn);
        if (!stack) this.#savepoints.set(txn, (stack = []));
        stack.push({ name: stmt.name, mark: txn.savepoint(), schema: this.catalogOf(txn).mark(txn), began });
        return;
      }
      case 'release': {
        const txn = callerTxn ?? own;
        const stack = txn && this.#savepoints.get(txn);
        const at = this.#find(stack, stmt.name);
        const released = stack!.splice(at);
        if (released[0]!.began && txn === own) {
          this.#own = undefined;
          await own!.commit();
        }
        return;
      }
    }
  }

  #find(stack: Savepoint[] | undefined, name: string): number {
    const key = name.toLowerCase();
    for (let i = (stack?.length ?? 0) - 1; i >= 0; i--) if (stack![i]!.name.toLowerCase() === key) return i;
    throw new QueryError(`no such savepoint: ${name}`, { remediation: 'Create it with SAVEPOINT first.' });
  }

  #rollbackTo(name: string, txn: Transaction | undefined): void {
    const stack = txn && this.#savepoints.get(txn);
    const at = this.#find(stack, name);
    const sp = stack![at]!;
    // The savepoint itself stays (SQLite's rule); the ones opened after it are gone.
    stack!.splice(at + 1);
    txn!.rollbackTo!(sp.mark);
    this.catalogOf(txn!).restore(txn!, sp.schema);
  }
}
