import { compareBytes } from '../bytes.js';
import { AbstractEntryIterator } from './iterator.js';
import type { Entry, EntryIterator } from './types.js';

/**
 * A transaction's view of a range: its snapshot's entries overlaid with its own buffered writes
 * (`undefined` value = deleted), in key order (or reverse), with the range limit applied after
 * merging so deletes do not eat into it.
 */
export class MergeIterator extends AbstractEntryIterator {
  #base: Entry[] = [];
  #baseEnded = false;
  #overlayPos = 0;
  #remaining: number;

  constructor(
    private readonly baseIterator: EntryIterator,
    private readonly overlay: readonly (readonly [Buffer, Buffer | undefined])[],
    private readonly reverse: boolean,
    limit: number,
  ) {
    super();
    this.#remaining = limit < 0 ? Infinity : limit;
  }

  protected async _nextv(size: number): Promise<Entry[]> {
    const out: Entry[] = [];
    while (out.length < size && this.#remaining > 0) {
      if (this.#base.length === 0 && !this.#baseEnded) {
        // At most `remaining` entries are returned and each overlay entry left can shadow one
        // base entry, so a limited read (a queue's `limit: 1` head read) never fetches more.
        const want = Math.min(Math.max(size, 64), this.#remaining + this.overlay.length - this.#overlayPos);
        this.#base = (await this.baseIterator.nextv(want)).reverse();
        if (this.#base.length === 0) this.#baseEnded = true;
      }
      const base = this.#base[this.#base.length - 1];
      const over = this.overlay[this.#overlayPos];
      if (base === undefined && over === undefined) break;
      // < 0: the snapshot's entry comes next; > 0: the overlay's. An exhausted side always loses,
      // whichever the direction, so only a real comparison is flipped for reverse order.
      const order = base === undefined ? 1 : over === undefined ? -1 : (this.reverse ? -1 : 1) * compareBytes(base[0], over[0]);
      if (order < 0) {
        out.push(this.#base.pop()!);
        this.#remaining--;
        continue;
      }
      if (order === 0) this.#base.pop(); // the transaction's own write shadows the snapshot
      this.#overlayPos++;
      if (over![1] !== undefined) {
        out.push([over![0], over![1]]);
        this.#remaining--;
      }
    }
    return out;
  }

  protected _close(): Promise<void> {
    return this.baseIterator.close();
  }
}
