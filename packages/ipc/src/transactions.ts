import { performance } from 'node:perf_hooks';
import { ConnectionError, TransactionError, type Transaction } from '@sochdb/core';
import type { LogLevel } from './log.js';

export interface TransactionLimits {
  /** Open transactions one connection may hold; 0 = no limit. */
  readonly maxOpen: number;
  /** A transaction with no request for this long is aborted; 0 = never. */
  readonly idleTimeoutMs: number;
}

interface Held {
  readonly txn: Transaction;
  /** Requests naming it that have arrived and not finished: it is not idle while one is pending. */
  pending: number;
  lastUsed: number;
  timer: NodeJS.Timeout | undefined;
}

// Ids of expired transactions are kept so a late request gets "it expired", not "unknown id";
// bounded, because a client may keep a connection open and let transactions expire forever.
const REMEMBERED_EXPIRED = 1024;

/**
 * The transactions one connection holds. Each holds a storage snapshot and keeps the conflict
 * tracker recording every later write, so none may outlive its connection or its usefulness:
 * `close()` aborts them all, a transaction begun by a request that completes after the close is
 * aborted at once, and one with no request for the idle timeout is aborted (later use of it is a
 * TransactionError saying so).
 */
export class TransactionTable {
  readonly #held = new Map<number, Held>();
  readonly #expired = new Set<number>();
  #closed = false;

  constructor(
    private readonly limits: TransactionLimits,
    private readonly log: (level: LogLevel, message: string) => void,
  ) {}

  get size(): number {
    return this.#held.size;
  }

  /** Begins and registers a transaction, unless the connection is closed or at its limit. */
  begin(id: number, start: () => Transaction): Transaction {
    // Checked when the BEGIN runs, not when it arrived: it may have waited behind writes while
    // its connection closed, and nobody could ever end what it began.
    if (this.#closed) throw new ConnectionError('connection closed before its BEGIN ran');
    const { maxOpen } = this.limits;
    if (maxOpen > 0 && this.#held.size >= maxOpen) {
      throw new TransactionError(`too many open transactions on this connection (limit ${maxOpen})`, {
        remediation: 'Commit or abort transactions before beginning more, or raise the server option maxTransactionsPerConnection (--max-txns-per-connection).',
      });
    }
    const txn = start();
    const held: Held = { txn, pending: 0, lastUsed: performance.now(), timer: undefined };
    this.#held.set(id, held);
    this.#watch(id, held);
    return txn;
  }

  /** The open transaction `id`; a TransactionError if there is none (or it expired). */
  get(id: number): Transaction {
    const held = this.#held.get(id);
    if (held) return held.txn;
    if (this.#expired.has(id)) throw this.#expiredError(id);
    throw new TransactionError(`no open transaction ${id} on this connection`, {
      remediation: 'Begin a transaction first; transactions end with their connection.',
    });
  }

  /** Removes `id` for COMMIT or ABORT (which end it); undefined if it is not open. */
  take(id: number): Transaction | undefined {
    const held = this.#held.get(id);
    if (!held) return undefined;
    this.#held.delete(id);
    clearTimeout(held.timer);
    return held.txn;
  }

  /** Marks a request naming `id` as pending: the transaction is not idle until `release`. */
  hold(id: number): boolean {
    const held = this.#held.get(id);
    if (!held) return false;
    held.pending++;
    return true;
  }

  release(id: number): void {
    const held = this.#held.get(id);
    if (!held) return;
    held.pending--;
    held.lastUsed = performance.now();
  }

  /** Aborts every open transaction; any begun from now on is aborted at once. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const held = [...this.#held.values()];
    this.#held.clear();
    this.#expired.clear();
    for (const h of held) clearTimeout(h.timer);
    await Promise.all(held.map((h) => h.txn.abort().catch(() => undefined)));
  }

  /**
   * One timer per transaction, re-armed only when it fires: requests just stamp `lastUsed`, so
   * the hot path costs no timer operations.
   */
  #watch(id: number, held: Held): void {
    const { idleTimeoutMs } = this.limits;
    if (idleTimeoutMs <= 0) return;
    const check = (): void => {
      const idleFor = performance.now() - held.lastUsed;
      if (held.pending > 0 || idleFor < idleTimeoutMs) {
        held.timer = setTimeout(check, held.pending > 0 ? idleTimeoutMs : idleTimeoutMs - idleFor).unref();
        return;
      }
      this.#held.delete(id);
      this.#expired.add(id);
      if (this.#expired.size > REMEMBERED_EXPIRED) this.#expired.delete(this.#expired.values().next().value!);
      this.log('info', `aborting transaction ${id}: no request for ${idleTimeoutMs} ms`);
      held.txn.abort().catch((error: unknown) => this.log('warn', `aborting idle transaction ${id} failed: ${(error as Error).message}`));
    };
    held.timer = setTimeout(check, idleTimeoutMs).unref();
  }

  #expiredError(id: number): TransactionError {
    return new TransactionError(`transaction ${id} was aborted: no request for ${this.limits.idleTimeoutMs} ms`, {
      remediation: 'Begin a new transaction and keep it busy until it ends, or raise the server option transactionIdleTimeoutMs (--txn-idle-timeout-ms).',
    });
  }
}

/** One request's use of its connection's transactions: those it names are not idle until `release()`. */
export class RequestTransactions {
  // Most requests name no transaction: no array for them.
  #held: number[] | undefined;

  constructor(private readonly table: TransactionTable) {}

  /** The connection's transactions share one session: its table. */
  get session(): object {
    return this.table;
  }

  /** Marks `id` in use from now (the request may still wait behind others of its connection). */
  hold(id: number): void {
    if (this.#held?.includes(id)) return;
    if (this.table.hold(id)) (this.#held ??= []).push(id);
  }

  begin(id: number, start: () => Transaction): Transaction {
    const txn = this.table.begin(id, start);
    this.hold(id);
    return txn;
  }

  get(id: number): Transaction {
    this.hold(id);
    return this.table.get(id);
  }

  /** For COMMIT: the transaction, removed; a TransactionError if it is not open. */
  take(id: number): Transaction {
    const txn = this.table.take(id);
    if (txn) return txn;
    return this.table.get(id); // throws the right error: expired, or unknown
  }

  /** For ABORT: removes and returns it, or undefined (aborting an ended transaction is a no-op). */
  discard(id: number): Transaction | undefined {
    return this.table.take(id);
  }

  release(): void {
    if (!this.#held) return;
    for (const id of this.#held) this.table.release(id);
    this.#held = undefined;
  }
}
