import { createRequire } from 'node:module';
import type btreeModule from 'sorted-btree';
import { compareBytes } from '../bytes.js';
import { inRange, type NormalizedRange } from './range.js';

// sorted-btree gives O(log n) ordered maps with O(1) copy-on-write clones, which is what
// MemoryStorage snapshots and transaction write sets need. It is CommonJS with an ES-style
// `exports.default`, which Node's ESM interop and bundlers (vitest) unwrap differently; loading it
// through require gives the same module object everywhere.
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof btreeModule).default;

/** An ordered Buffer → V map in byte order, with cheap clones. */
export class SortedBufferMap<V> {
  readonly #tree: InstanceType<typeof BTree<Buffer, V>>;

  constructor(tree?: InstanceType<typeof BTree<Buffer, V>>) {
    this.#tree = tree ?? new BTree<Buffer, V>(undefined, compareBytes);
  }

  get size(): number {
    return this.#tree.size;
  }

  get(key: Buffer): V | undefined {
    return this.#tree.get(key);
  }

  has(key: Buffer): boolean {
    return this.#tree.has(key);
  }

  set(key: Buffer, value: V): void {
    this.#tree.set(key, value, true);
  }

  delete(key: Buffer): boolean {
    return this.#tree.delete(key);
  }

  clear(): void {
    this.#tree.clear();
  }

  /** An O(1) copy-on-write clone: later writes to either copy do not affect the other. */
  clone(): SortedBufferMap<V> {
    return new SortedBufferMap(this.#tree.clone());
  }

  /** Entries inside the range, in key order or reverse, honouring every bound. */
  *range(range: NormalizedRange): Generator<[Buffer, V]> {
    if (range.reverse) {
      const high = range.lt ?? range.lte;
      for (const entry of this.#tree.entriesReversed(high)) {
        if (range.lt !== undefined && compareBytes(entry[0], range.lt) >= 0) continue;
        if (!inRange(entry[0], range)) {
          if (lowerExceeded(entry[0], range)) return;
          continue;
        }
        yield entry;
      }
    } else {
      const low = range.gt ?? range.gte;
      for (const entry of this.#tree.entries(low)) {
        if (range.gt !== undefined && compareBytes(entry[0], range.gt) <= 0) continue;
        if (!inRange(entry[0], range)) return;
        yield entry;
      }
    }
  }

  entries(): IterableIterator<[Buffer, V]> {
    return this.#tree.entries();
  }
}

function lowerExceeded(key: Buffer, range: NormalizedRange): boolean {
  if (range.gt !== undefined) return compareBytes(key, range.gt) <= 0;
  if (range.gte !== undefined) return compareBytes(key, range.gte) < 0;
  return false;
}
