import type { PoolClient } from 'pg';
import { errorCode, toSochDBError } from './errors.js';
import { prepared } from './prepared.js';

/**
 * One pooled connection lent to a snapshot, transaction or iterator, with its error mapping. A
 * connection that failed is destroyed on release, never handed to the next user.
 */
export class Session {
  #broken: unknown;
  #released = false;

  /**
   * A checked-out connection the server drops (a restart: FATAL 57P01) emits 'error' with nobody
   * asking; unheard, that event would crash the process. The next query fails with a
   * ConnectionError and the connection is not reused.
   */
  readonly #onError = (error: unknown): void => {
    this.#broken = error ?? new Error('connection failed');
  };

  constructor(
    private readonly client: PoolClient,
    private readonly server: string,
    private readonly onRelease: () => void = () => undefined,
  ) {
    client.on('error', this.#onError);
  }

  async query<R extends object>(what: string, text: string, values?: readonly unknown[], inDoubt = false): Promise<R[]> {
    try {
      const result = await (values === undefined || values.length === 0 ? this.client.query<R>(text) : this.client.query<R>(prepared(text, values)));
      return result.rows;
    } catch (error) {
      this.#noteFailure(error);
      throw toSochDBError(error, { what, server: this.server, inDoubt });
    }
  }

  /** Several statements in one round trip (no parameters); the rows of each, in order. */
  async script(what: string, text: string): Promise<object[][]> {
    try {
      const results = (await this.client.query(text)) as unknown as { rows: object[] }[] | { rows: object[] };
      return Array.isArray(results) ? results.map((r) => r.rows) : [results.rows];
    } catch (error) {
      this.#noteFailure(error);
      throw toSochDBError(error, { what, server: this.server });
    }
  }

  /**
   * Returns the connection to the pool, first rolling back the transaction it may be in (pass
   * `inTransaction: false` after a COMMIT or ROLLBACK to save that round trip). Idempotent.
   */
  async release(inTransaction = true): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#broken === undefined && inTransaction) {
      try {
        await this.client.query('ROLLBACK');
      } catch (error) {
        this.#broken = error;
      }
    }
    this.client.off('error', this.#onError);
    this.client.release(this.#broken === undefined ? undefined : (this.#broken as Error));
    this.onRelease();
  }

  /** A SQL error leaves the connection usable (after ROLLBACK); a lost one must be dropped. */
  #noteFailure(error: unknown): void {
    const code = errorCode(error) ?? '';
    if (!/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P')) this.#broken = error ?? new Error('connection failed');
  }
}
