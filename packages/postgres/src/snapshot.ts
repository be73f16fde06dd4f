import { DatabaseError, normalizeRange, type BytesLike, type EntryIterator, type Range, type StorageSnapshot } from '@sochdb/core';
import { normalizeKey } from '@sochdb/core/internal';
import { PageIterator, type Row } from './page-iterator.js';
import type { Session } from './session.js';
import type { Statements } from './statements.js';

/**
 * A consistent view: a REPEATABLE READ, READ ONLY transaction on a connection of its own, begun
 * together with reading the LSN row, so `lsn` is exactly the last commit the view holds
 * (`exact`: commits take the LSN row's lock and are visible only once they hold it all).
 *
 * `snapshot()` is synchronous by contract, so BEGIN is sent at once and every read waits for
 * it; `lsn` reads 0 until then (`ready` resolves once it is known).
 */
export class PgSnapshot implements StorageSnapshot {
  readonly exact = true;
  #lsn = 0n;
  #open = true;
  /** The session, once BEGIN has been answered. */
  readonly ready: Promise<Session>;
  /** Set when a commit has taken the connection over (the snapshot's transaction is over). */
  #handedOver = false;
  #onClose: (() => void) | undefined;

  /** What `firstQuery` read, in the same round trip as BEGIN. */
  readonly firstRows: Promise<readonly Row[]>;

  /** `firstQuery`: a statement (no parameters) to run in the snapshot in the same round trip. */
  constructor(
    session: Promise<Session>,
    private readonly sql: Statements,
    private readonly pageSize: number,
    private readonly assertStorageOpen: () => void,
    /** Counts the bytes of values read (the storage's `bytesRead`). */
    private readonly countRead: (bytes: number) => void,
    firstQuery?: string,
  ) {
    let first: readonly Row[] = [];
    this.ready = session.then(async (s) => {
      try {
        const results = await s.script('begin a snapshot', firstQuery === undefined ? sql.beginSnapshot : `${sql.beginSnapshot}; ${firstQuery}`);
        this.#lsn = BigInt((results[1]![0] as { value: string }).value);
        first = (results[2] ?? []) as Row[];
        return s;
      } catch (error) {
        await s.release();
        throw error;
      }
    });
    this.ready.catch(() => undefined);
    this.firstRows = this.ready.then(() => first);
    this.firstRows.catch(() => undefined); // its reader sees the failure; unread, it is no crash
  }

  get lsn(): bigint {
    return this.#lsn;
  }

  async get(key: BytesLike): Promise<Buffer | undefined> {
    const k = normalizeKey(key);
    const s = await this.#session();
    const rows = await s.query<{ value: Buffer }>('get', this.sql.get, [k]);
    const value = rows[0]?.value;
    if (value !== undefined) this.countRead(value.byteLength);
    return value;
  }

  async getMany(keys: readonly BytesLike[]): Promise<(Buffer | undefined)[]> {
    const ks = keys.map((k, i) => normalizeKey(k, `keys[${i}]`));
    if (ks.length === 0) return [];
    const s = await this.#session();
    const rows = await s.query<{ key: Buffer; value: Buffer }>('getMany', this.sql.getMany, [ks]);
    const found = new Map(rows.map((r) => [r.key.toString('latin1'), r.value]));
    for (const r of rows) this.countRead(r.value.byteLength);
    return ks.map((k) => found.get(k.toString('latin1')));
  }

  iterator(range: Range = {}): EntryIterator {
    this.#check();
    const source = {
      read: async (text: string, values: readonly unknown[]) => {
        const rows = await (await this.#session()).query<Row>('scan', text, values);
        for (const r of rows) this.countRead(r.value.byteLength);
        return rows;
      },
      finish: async () => undefined,
    };
    return new PageIterator(normalizeRange(range), source, this.sql, this.pageSize);
  }

  /** For a commit: the session, which the commit ends this snapshot's transaction on. */
  async takeOver(): Promise<Session> {
    const s = await this.#session();
    this.#handedOver = true;
    return s;
  }

  /** Runs `listener` once the snapshot is closed. */
  onClose(listener: () => void): void {
    this.#onClose = listener;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#onClose?.();
    const s = await this.ready.catch(() => undefined);
    await s?.release(!this.#handedOver);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #check(): void {
    this.assertStorageOpen();
    if (!this.#open) throw new DatabaseError('snapshot is closed', { remediation: 'Take a new snapshot.' });
  }

  async #session(): Promise<Session> {
    this.#check();
    return this.ready;
  }
}
