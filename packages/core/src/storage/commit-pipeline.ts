import type { SyncMode } from '../config.js';
import { DatabaseError, SochDBError } from '../errors.js';
import { encodeMeta, META_KEY, type Meta } from './meta.js';
import type { NormalizedOp } from './ops.js';

/** What the pipeline needs from a backend. */
export interface CommitBackend {
  /**
   * Writes `ops` and then `last` atomically. `last` (the metadata record) may still be being
   * computed: a backend can prepare `ops` meanwhile, and must write nothing if it rejects.
   */
  write(ops: readonly NormalizedOp[], last: Promise<NormalizedOp>, sync: boolean): Promise<void>;
  /** Whether a key exists right now; used to keep the key count exact. */
  exists(keys: readonly Buffer[]): Promise<boolean[]> | boolean[];
  /** Whether any key in [gte, lte] exists right now. */
  anyInRange(gte: Buffer, lte: Buffer): Promise<boolean> | boolean;
}

export interface PendingCommit {
  readonly ops: readonly NormalizedOp[];
  readonly lsn: bigint;
  /** Force an fsync for this write whatever the sync mode (checkpoint). */
  readonly forceSync: boolean;
  /** What the submitter knows of `ops`, to count keys with fewer reads. */
  readonly shape: WriteShape;
  readonly resolve: (lsn: bigint) => void;
  readonly reject: (error: unknown) => void;
}

export interface AppliedGroup {
  /** The group's commits in LSN order (a checkpoint's empty marker included). */
  readonly group: readonly PendingCommit[];
  readonly commits: number;
  readonly bytes: number;
  readonly synced: boolean;
}

/**
 * Orders and writes every commit. LSNs are assigned synchronously at submit, commits are written
 * strictly one group at a time in LSN order, and each group is one atomic backend batch that also
 * rewrites the metadata key (LSN, key count), so a crash can never leave a commit half-applied or
 * the metadata out of step with the data.
 *
 * Group commit: in `normal` and `off` modes, commits submitted while a write is in flight wait
 * and then go to the backend together, sharing one write (and in `normal`, one fsync). In `full`
 * mode each commit is written and fsynced on its own.
 */
export class CommitPipeline {
  #assigned: bigint;
  #applied: bigint;
  /** Exact while counted; undefined once a commit went uncounted (`trackKeyCount: false`). */
  #keysCount: number | undefined;
  #queue: PendingCommit[] = [];
  #inFlight: readonly PendingCommit[] = [];
  #writing: Promise<void> | undefined;
  /** Callers of `settled` still waiting; each written (or failed) group wakes those it covers. */
  #settledWaiters: { readonly lsn: bigint; readonly wake: () => void }[] = [];
  /**
   * Whether a key exists, for keys of recent small writes. Exact because every write to the
   * backend goes through this pipeline: an entry changes only when a write of that key lands.
   */
  readonly #known = new Map<string, boolean>();

  constructor(
    private readonly backend: CommitBackend,
    private readonly syncMode: SyncMode,
    private readonly trackKeyCount: boolean,
    /** With `trackKeyCount`, `keysCount` must be exact (the storage counts at open if it is not). */
    initial: Meta,
    private readonly onApplied: (group: AppliedGroup) => void,
  ) {
    this.#assigned = initial.lsn;
    this.#applied = initial.lsn;
    this.#keysCount = initial.keysCount;
  }

  /** LSN of the last commit whose write has completed. */
  get appliedLsn(): bigint {
    return this.#applied;
  }

  /** The exact key count, or undefined when commits are not counted (see `trackKeyCount`). */
  get keysCount(): number | undefined {
    return this.#keysCount;
  }

  /**
   * Whether a group is being written right now: LevelDB may already hold it while `appliedLsn`
   * does not count it yet, so a snapshot taken now is not exact.
   */
  get writeInFlight(): boolean {
    return this.#inFlight.length > 0;
  }

  /** Commits submitted but not yet written, in LSN order. */
  *pending(): Iterable<PendingCommit> {
    yield* this.#inFlight;
    yield* this.#queue;
  }

  /**
   * Assigns the next LSN and queues the write. `assign` runs synchronously with the new LSN before
   * anything else can be submitted (the conflict check and bookkeeping go there); if it throws,
   * nothing is queued and no LSN is used.
   */
  submit(ops: readonly NormalizedOp[], assign?: (lsn: bigint) => void, shape: WriteShape = UNKNOWN_SHAPE): Promise<bigint> {
    const lsn = this.#assigned + 1n;
    assign?.(lsn);
    this.#assigned = lsn;
    return this.#enqueue(ops, lsn, false, shape);
  }

  /** Resolves once every earlier commit is written and fsynced; returns the last LSN. */
  checkpoint(): Promise<bigint> {
    return this.#enqueue([], this.#assigned, true, { distinct: true, ascending: 0 });
  }

  /** Resolves once the commit with `lsn` (and so every earlier one) is written or has failed. */
  settled(lsn: bigint): Promise<void> {
    if (lsn <= this.#applied || lsn > this.#assigned) return Promise.resolve();
    return new Promise<void>((wake) => this.#settledWaiters.push({ lsn, wake }));
  }

  /** Resolves once everything submitted so far is written (or failed). */
  async drain(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #enqueue(ops: readonly NormalizedOp[], lsn: bigint, forceSync: boolean, shape: WriteShape): Promise<bigint> {
    return new Promise<bigint>((resolve, reject) => {
      this.#queue.push({ ops, lsn, forceSync, shape, resolve, reject });
      this.#writing ??= this.#writeLoop().finally(() => (this.#writing = undefined));
    });
  }

  async #writeLoop(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.syncMode === 'full' ? this.#queue.splice(0, 1) : this.#queue.splice(0);
      this.#inFlight = group;
      const sync = this.syncMode !== 'off' || group.some((c) => c.forceSync);
      try {
        const ops = group.length === 1 ? group[0]!.ops : group.flatMap((c) => c.ops);
        const shape = group.length === 1 ? group[0]!.shape : UNKNOWN_SHAPE;
        const lsn = group[group.length - 1]!.lsn;
        // The key count's existence reads run (on the thread pool) while the backend prepares
        // the batch, rather than one after the other.
        const counting = this.trackKeyCount ? this.#countAfter(ops, shape) : Promise.resolve(undefined);
        // Uncounted, a commit that writes anything leaves the stored count unknown (a later
        // counted open recounts it) rather than stale.
        const keysCount = (counted: Counted | undefined): number | undefined =>
          counted !== undefined ? counted.count : ops.length === 0 ? this.#keysCount : undefined;
        const meta = counting.then((counted): NormalizedOp => ({ key: META_KEY, value: encodeMeta({ lsn, keysCount: keysCount(counted) }) }));
        await this.backend.write(ops, meta, sync);
        const counted = await counting;
        this.#applied = lsn;
        this.#keysCount = keysCount(counted);
        counted?.learn();
        let bytes = 0;
        for (const op of ops) bytes += op.key.byteLength + (op.value?.byteLength ?? 0);
        this.onApplied({ group, commits: group.filter((c) => !c.forceSync).length, bytes, synced: sync });
        for (const c of group) c.resolve(c.lsn);
      } catch (error) {
        const wrapped =
          error instanceof SochDBError
            ? error
            : new DatabaseError('commit failed: the storage backend refused the write; nothing of it was applied', {
                cause: error,
                remediation: 'Check disk space and permissions; the database stays usable for reads.',
              });
        for (const c of group) c.reject(wrapped);
      } finally {
        this.#inFlight = [];
        this.#wakeSettled(group[group.length - 1]!.lsn);
      }
    }
  }

  #wakeSettled(lsn: bigint): void {
    if (this.#settledWaiters.length === 0) return;
    const waiting = this.#settledWaiters;
    this.#settledWaiters = [];
    for (const waiter of waiting) {
      if (waiter.lsn <= lsn) waiter.wake();
      else this.#settledWaiters.push(waiter);
    }
  }

  /**
   * The key count after `ops`, reading each distinct key's existence once. `learn` (called once
   * the write has landed) remembers small writes' keys, so keys written again and again
   * (counters, sessions, queue heads) are counted without a read.
   */
  async #countAfter(ops: readonly NormalizedOp[], shape: WriteShape): Promise<Counted> {
    if (ops.length === 0) return { count: this.#keysCount!, learn: noop };
    if (ops.length <= SMALL_WRITE) return this.#countSmall(ops);
    // Large writes are not remembered key by key (that would cost more than it saves).
    this.#known.clear();
    if (shape.distinct) {
      let count = this.#keysCount!;
      let from = 0;
      const run = shape.ascending;
      if (run >= RUN_SEEK_MIN && !(await this.backend.anyInRange(ops[0]!.key, ops[run - 1]!.key))) {
        // Nothing stored between the run's first and last key: none of its keys exists, which one
        // seek proves instead of a read per key (a bulk load of new ascending keys).
        for (let i = 0; i < run; i++) if (ops[i]!.value !== undefined) count++;
        from = run;
      }
      if (from < ops.length) {
        const rest = from === 0 ? ops : ops.slice(from);
        const existed = await this.backend.exists(rest.map((op) => op.key));
        for (let i = 0; i < rest.length; i++) if ((rest[i]!.value !== undefined) !== existed[i]) count += existed[i] ? -1 : 1;
      }
      return { count, learn: noop };
    }
    // Each distinct key once, with whether it exists after the last op on it.
    const index = new Map<string, number>();
    const distinct: Buffer[] = [];
    const after: boolean[] = [];
    for (const op of ops) {
      const id = op.key.toString('latin1');
      const at = index.get(id);
      if (at === undefined) {
        index.set(id, distinct.length);
        distinct.push(op.key);
        after.push(op.value !== undefined);
      } else after[at] = op.value !== undefined;
    }
    const existed = await this.backend.exists(distinct);
    let count = this.#keysCount!;
    for (let i = 0; i < distinct.length; i++) if (after[i] !== existed[i]) count += after[i] ? 1 : -1;
    return { count, learn: noop };
  }

  async #countSmall(ops: readonly NormalizedOp[]): Promise<Counted> {
    const ids: string[] = [];
    const after: boolean[] = [];
    const existed: (boolean | undefined)[] = [];
    const unknownKeys: Buffer[] = [];
    const unknownAt: number[] = [];
    for (const op of ops) {
      const id = op.key.toString('latin1');
      const at = ids.indexOf(id);
      if (at >= 0) {
        after[at] = op.value !== undefined;
        continue;
      }
      const known = this.#known.get(id);
      if (known === undefined) {
        unknownAt.push(ids.length);
        unknownKeys.push(op.key);
      }
      ids.push(id);
      after.push(op.value !== undefined);
      existed.push(known);
    }
    if (unknownKeys.length > 0) {
      const found = await this.backend.exists(unknownKeys);
      for (let i = 0; i < unknownAt.length; i++) existed[unknownAt[i]!] = found[i];
    }
    let count = this.#keysCount!;
    for (let i = 0; i < ids.length; i++) if (after[i] !== existed[i]) count += after[i] ? 1 : -1;
    const learn = (): void => {
      if (this.#known.size + ids.length > KNOWN_LIMIT) this.#known.clear();
      for (let i = 0; i < ids.length; i++) this.#known.set(ids[i]!, after[i]!);
    };
    return { count, learn };
  }
}

interface Counted {
  readonly count: number;
  /** Records the written keys' existence once the write has landed. */
  readonly learn: () => void;
}

/** What a commit's submitter knows about its ops, to count keys with fewer reads. */
export interface WriteShape {
  /** Each key appears once. */
  readonly distinct: boolean;
  /** How many leading ops have strictly ascending keys. */
  readonly ascending: number;
}

const UNKNOWN_SHAPE: WriteShape = { distinct: false, ascending: 0 };
/** An ascending run this long is checked with one range seek before reading key by key. */
const RUN_SEEK_MIN = 64;
/** Writes up to this many keys are counted key by key against `#known`. */
const SMALL_WRITE = 32;
/** Bound on remembered keys (~100 bytes each). */
const KNOWN_LIMIT = 65_536;
const noop = (): void => undefined;
