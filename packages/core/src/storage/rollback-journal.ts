// A rollback journal, as SQLite's: while one is active, every commit first records durably what
// it overwrites (its undo records), and only then is written. Ending the journal discards the
// records (the commits stay); a failure — or a process that dies before the end — undoes every
// journaled commit, newest first, at once or at the next open.
//
// Why: a transaction holds its writes in memory until it commits, and LevelDB writes a batch
// atomically only from memory, so "all or nothing" for an import larger than memory cannot be
// one transaction. Under a journal it commits in pieces of constant size and still lands whole
// or not at all (`sochdb import` without --batch uses it).
import type { NormalizedOp } from './ops.js';

/** What one key held before a journaled commit overwrote it (undefined: it did not exist). */
export interface UndoRecord {
  /** The key the commit wrote. */
  readonly key: Buffer;
  /** Its value before that commit; undefined when it did not exist. */
  readonly prior: Buffer | undefined;
}

/**
 * Where a backend keeps a journal's undo records. LevelDB keeps them in a folder beside its
 * files (level-journal.ts), the memory backend in memory.
 */
export interface JournalStore {
  /** Appends records; resolves once they are durable (they must be before the data they undo is written). */
  append(records: readonly UndoRecord[]): Promise<void>;
  /** Every record, newest first, a batch at a time. */
  newestFirst(): AsyncIterable<readonly UndoRecord[]>;
  /** Deletes the journal, so that nothing is undone at the next open: the atomic end of its work. */
  discard(): Promise<void>;
  /** Lets go of the journal without deleting it (the storage is closing): the next open undoes its work. */
  release(): Promise<void>;
}

/** The journal of one storage while it is active (see AbstractStorage.withRollbackJournal). */
export class RollbackJournal {
  #recording = true;

  constructor(
    private readonly store: JournalStore,
    /** Reads keys' current values: called between writes, so it sees exactly what the next write overwrites. */
    private readonly read: (keys: readonly Buffer[]) => Promise<(Buffer | undefined)[]>,
  ) {}

  /** Records what `ops` overwrite; the caller writes them once this resolves. */
  async beforeWrite(ops: readonly NormalizedOp[]): Promise<void> {
    if (!this.#recording || ops.length === 0) return;
    // A group of commits may write a key twice: what it overwrites is the value before the group.
    const seen = new Set<string>();
    const keys: Buffer[] = [];
    for (const { key } of ops) {
      const id = key.toString('latin1');
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push(key);
    }
    const priors = await this.read(keys);
    await this.store.append(keys.map((key, i) => ({ key, prior: priors[i] })));
  }

  /**
   * Undoes every journaled write through `commit` (ordinary commits, so caches that follow
   * commits follow these too), then deletes the journal. Newest first, and within a batch the
   * older record last, so a key written by several commits ends as it was before the first.
   * Repeating a rollback that was cut short gives the same state, so a crash during it is undone
   * at the next open as well.
   */
  async rollback(commit: (ops: readonly NormalizedOp[]) => Promise<unknown>): Promise<void> {
    this.#recording = false;
    for await (const records of this.store.newestFirst()) {
      await commit(records.map(({ key, prior }) => ({ key, value: prior })));
    }
    await this.store.discard();
  }

  /** Ends the journal: its commits stay. */
  commit(): Promise<void> {
    this.#recording = false;
    return this.store.discard();
  }

  /** The storage is closing with the journal active: keep it for the next open to undo. */
  release(): Promise<void> {
    this.#recording = false;
    return this.store.release();
  }
}

/** A journal in memory, for the memory backend (whose data does not outlive the process either). */
export class MemoryJournalStore implements JournalStore {
  #batches: (readonly UndoRecord[])[] = [];

  /** Keeps copies of `records` (the caller's buffers may be reused after the write). */
  async append(records: readonly UndoRecord[]): Promise<void> {
    // Copies: the caller's buffers may be reused after the write.
    this.#batches.push(records.map(({ key, prior }) => ({ key: Buffer.from(key), prior: prior && Buffer.from(prior) })));
  }

  /** The records, newest first, one appended batch at a time. */
  async *newestFirst(): AsyncIterable<readonly UndoRecord[]> {
    for (let i = this.#batches.length - 1; i >= 0; i--) yield [...this.#batches[i]!].reverse();
  }

  /** Forgets every record. */
  async discard(): Promise<void> {
    this.#batches = [];
  }

  /** Forgets every record: nothing of a memory storage outlives its close. */
  async release(): Promise<void> {
    this.#batches = [];
  }
}
