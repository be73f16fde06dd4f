import { AbstractEntryIterator, type Entry, type NormalizedRange } from '@sochdb/core';
import { keyBounds } from './bounds.js';
import type { Statements } from './statements.js';

export interface Row {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** Rows of an iterator's first page, read with its snapshot's BEGIN (see firstPageLimit). */
const FIRST_PAGE = 64;

/** Where an iterator's pages come from: a snapshot's connection, or the storage itself. */
export interface PageSource {
  /**
   * `first`: the scan's first page. `last`: no page will follow it even if it comes back full
   * (the range's limit is reached).
   */
  read(text: string, values: readonly unknown[], first: boolean, last: boolean): Promise<readonly Row[]>;
  /** Called once no more pages will be read (exhausted or closed). */
  finish(): Promise<void>;
}

/**
 * Reads a range in pages with keyset pagination (each page starts after the last key of the
 * one before), so a page costs the same wherever it falls in the table, unlike OFFSET.
 */
export class PageIterator extends AbstractEntryIterator {
  #range: NormalizedRange;
  #left: number;
  #buffered: Entry[] = [];
  #done = false;
  #first = true;

  /** `prefetched`: the first page, already asked for (`limit` rows from the range's start). */
  #prefetched: { readonly limit: number; readonly rows: Promise<readonly Row[]> } | undefined;

  constructor(
    range: NormalizedRange,
    private readonly source: PageSource,
    private readonly sql: Statements,
    private readonly pageSize: number,
    prefetched?: { readonly limit: number; readonly rows: Promise<readonly Row[]> },
  ) {
    super();
    this.#range = range;
    this.#left = range.limit === -1 ? Infinity : range.limit;
    this.#prefetched = prefetched;
  }

  /**
   * How many rows the first page of a range holds when it is read before anyone asks. With no
   * limit, a few, not a whole page, since many iterators are seeks that read one entry and close
   * (an index lookup, the newest version of an edge). A range with a limit says how many its
   * reader wants (a seek says 1): that many, up to a page, so a scan that fits one costs one
   * round trip. The pages after it are what the reader asks for, up to `pageSize` rows.
   */
  static firstPageLimit(range: NormalizedRange, pageSize: number): number {
    return range.limit === -1 ? Math.min(FIRST_PAGE + 1, pageSize + 1) : Math.min(range.limit, pageSize + 1);
  }

  protected async _nextv(size: number): Promise<Entry[]> {
    // As many rows as asked for, up to a page: a caller reading a few at a time (a seek, a scan
    // that stops early) makes the server read a few, and one growing its batches reads pages.
    if (this.#buffered.length === 0 && !this.#done) await this.#fetch(Math.min(size, this.pageSize));
    return this.#buffered.splice(0, size);
  }

  protected async _close(): Promise<void> {
    this.#buffered = [];
    await this.#finish();
  }

  async #finish(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.source.finish();
  }

  async #fetch(want: number): Promise<void> {
    // One row more than asked for (when the range may hold it): a short page then tells the end,
    // and a range that fits one page costs no second round trip to learn it is empty.
    const prefetched = this.#prefetched;
    this.#prefetched = undefined;
    const n = prefetched?.limit ?? Math.min(want + 1, this.#left);
    if (n <= 0) return this.#finish();
    let rows: readonly Row[];
    if (prefetched !== undefined) rows = await prefetched.rows;
    else {
      const bounds = keyBounds(this.#range, 2);
      rows = await this.source.read(this.sql.page(bounds.sql, this.#range.reverse), [n, ...bounds.values], this.#first, n >= this.#left);
    }
    this.#first = false;
    this.#left -= rows.length;
    if (rows.length > 0) {
      const last = rows[rows.length - 1]!.key;
      this.#range = this.#range.reverse ? { ...this.#range, lt: last, lte: undefined } : { ...this.#range, gt: last, gte: undefined };
    }
    for (const row of rows) this.#buffered.push([row.key, row.value]);
    // The connection (and snapshot) goes back as soon as the last page is in.
    if (rows.length < n || this.#left <= 0) await this.#finish();
  }
}
