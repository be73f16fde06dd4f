import { DatabaseConfigSchema, parseConfig, type DatabaseConfigInput } from '../config.js';
import { AbstractStorage } from './abstract-storage.js';
import { AbstractEntryIterator } from './iterator.js';
import { META_KEY } from './meta.js';
import type { NormalizedOp } from './ops.js';
import { MemoryJournalStore, type JournalStore } from './rollback-journal.js';
import { normalizeRange, type NormalizedRange } from './range.js';
import { SortedBufferMap } from './sorted-map.js';
import type { Entry } from './types.js';

type Snapshot = { readonly map: SortedBufferMap<Buffer>; close(): Promise<void> };

/**
 * Ordered in-memory Storage with the same semantics as LevelStorage (it passes the same
 * conformance suite): snapshots, transactions, LSNs and stats. Nothing survives `close()`.
 * Snapshots and iterators are O(1) copy-on-write clones of a B+ tree.
 */
export class MemoryStorage extends AbstractStorage<Snapshot> {
  readonly supports = {
    /** Synchronous point reads are available. */
    getSync: true,
    /** Snapshots are true point-in-time views. */
    snapshots: true,
  } as const;
  #map = new SortedBufferMap<Buffer>();

  private constructor(config: ReturnType<typeof parseMemoryConfig>) {
    super(':memory:', config);
  }

  /**
   * A new, empty in-memory storage (its `location` is `':memory:'`). `config` is validated like
   * LevelStorage's; `syncMode` and the LevelDB sizes have no effect here.
   */
  static async open(config?: DatabaseConfigInput): Promise<MemoryStorage> {
    return new MemoryStorage(parseMemoryConfig(config)).openStorage();
  }

  protected async _open(): Promise<void> {}

  protected async _close(): Promise<void> {
    this.#map = new SortedBufferMap<Buffer>();
  }

  protected override async _createJournal(): Promise<JournalStore> {
    return new MemoryJournalStore();
  }

  protected async _get(key: Buffer, snapshot?: Snapshot): Promise<Buffer | undefined> {
    return this._getSyncAt(key, snapshot);
  }

  protected override _getSync(key: Buffer, snapshot?: Snapshot): Buffer | undefined {
    return this._getSyncAt(key, snapshot);
  }

  private _getSyncAt(key: Buffer, snapshot?: Snapshot): Buffer | undefined {
    const value = (snapshot?.map ?? this.#map).get(key);
    // Hand out copies: a caller mutating a returned Buffer must not change stored data.
    return value === undefined ? undefined : Buffer.from(value);
  }

  protected async _getMany(keys: readonly Buffer[], snapshot?: Snapshot): Promise<(Buffer | undefined)[]> {
    return keys.map((key) => this._getSyncAt(key, snapshot));
  }

  protected _anyInRange(gte: Buffer, lte: Buffer): boolean {
    return !this.#map.range(normalizeRange({ gte, lte })).next().done;
  }

  protected _exists(keys: readonly Buffer[]): boolean[] {
    return keys.map((key) => this.#map.has(key));
  }

  protected async _write(ops: readonly NormalizedOp[], last: Promise<NormalizedOp>): Promise<void> {
    const meta = await last;
    for (const op of [...ops, meta]) {
      if (op.value === undefined) this.#map.delete(op.key);
      else this.#map.set(Buffer.from(op.key), Buffer.from(op.value));
    }
  }

  protected _iterator(range: NormalizedRange, snapshot?: Snapshot): AbstractEntryIterator {
    // Like LevelDB, an iterator reads from the state at its creation.
    return new MemoryIterator((snapshot?.map ?? this.#map.clone()).range(range), range.limit);
  }

  protected override async _countKeys(snapshot?: Snapshot): Promise<number> {
    const map = snapshot?.map ?? this.#map;
    return map.size - (map.has(META_KEY) ? 1 : 0);
  }

  protected _snapshot(): Snapshot {
    return { map: this.#map.clone(), close: async () => undefined };
  }
}

class MemoryIterator extends AbstractEntryIterator {
  #remaining: number;
  constructor(
    private readonly source: Generator<[Buffer, Buffer]>,
    limit: number,
  ) {
    super();
    this.#remaining = limit < 0 ? Infinity : limit;
  }
  protected async _nextv(size: number): Promise<Entry[]> {
    const out: Entry[] = [];
    while (out.length < size && this.#remaining > 0) {
      const next = this.source.next();
      if (next.done) break;
      out.push([Buffer.from(next.value[0]), Buffer.from(next.value[1])]);
      this.#remaining--;
    }
    return out;
  }
  protected async _close(): Promise<void> {
    this.source.return(undefined);
  }
}

function parseMemoryConfig(config: DatabaseConfigInput | undefined) {
  return parseConfig(DatabaseConfigSchema, config, 'database config');
}
