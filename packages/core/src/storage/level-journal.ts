// LevelDB's rollback journal (see rollback-journal.ts): a small LevelDB of its own in a folder
// inside the database's folder (LevelDB leaves names it does not know alone), so it is as crash-
// safe as the data, and is deleted with one rename. Records are keyed by a sequence number, so
// they read back newest first with a reverse scan.
import { existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { DatabaseError } from '../errors.js';
import type { JournalStore, UndoRecord } from './rollback-journal.js';

type Db = ClassicLevel<Buffer, Buffer>;

/** The journal's folder inside the database folder; its presence at open means work to undo. */
export const JOURNAL_FOLDER = 'sochdb-rollback-journal';
/** Where a journal goes while it is deleted: found at open, it is finished deleting, not undone. */
const DISCARDED_FOLDER = `${JOURNAL_FOLDER}.discarded`;
const BUFFERS = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
const READ_BATCH = 1_024;

export class LevelJournalStore implements JournalStore {
  #next: bigint;

  private constructor(
    private readonly db: Db,
    private readonly folder: string,
    next: bigint,
  ) {
    this.#next = next;
  }

  /** A new, empty journal for the database in `folder` (one left by a finished journal is cleared first). */
  static async create(folder: string): Promise<LevelJournalStore> {
    await finishDiscard(folder);
    await rm(join(folder, JOURNAL_FOLDER), { recursive: true, force: true });
    const db = new ClassicLevel<Buffer, Buffer>(join(folder, JOURNAL_FOLDER), { ...BUFFERS, createIfMissing: true, errorIfExists: true });
    await db.open();
    // The journal's folder must outlast a power cut from before the first write it guards.
    await syncFolder(folder);
    return new LevelJournalStore(db, folder, 0n);
  }

  /** The journal a process left when it died before the journal ended, if any. */
  static async find(folder: string): Promise<LevelJournalStore | undefined> {
    await finishDiscard(folder);
    const path = join(folder, JOURNAL_FOLDER);
    if (!existsSync(path)) return undefined;
    const db = new ClassicLevel<Buffer, Buffer>(path, { ...BUFFERS, createIfMissing: false });
    try {
      await db.open();
    } catch (error) {
      throw new DatabaseError(`cannot read the rollback journal at ${path}: the work it guards cannot be undone`, {
        cause: error,
        remediation:
          'An import or other journaled work was cut short and its journal is damaged. Restore the database from a backup; deleting that folder instead keeps the half-done work.',
      });
    }
    const last = await db.keys({ reverse: true, limit: 1 }).all();
    return new LevelJournalStore(db, folder, last.length === 0 ? 0n : last[0]!.readBigUInt64BE(0) + 1n);
  }

  async append(records: readonly UndoRecord[]): Promise<void> {
    const batch = this.db.batch();
    for (const record of records) batch.put(sequenceKey(this.#next++), encode(record));
    await batch.write({ sync: true });
  }

  async *newestFirst(): AsyncIterable<readonly UndoRecord[]> {
    const it = this.db.iterator({ reverse: true });
    try {
      for (let entries = await it.nextv(READ_BATCH); entries.length > 0; entries = await it.nextv(READ_BATCH)) {
        yield entries.map(([, value]) => decode(value));
      }
    } finally {
      await it.close();
    }
  }

  async discard(): Promise<void> {
    await this.db.close();
    // The rename is the moment the journaled work is kept for good; deleting the files can then be
    // cut short harmlessly (finishDiscard).
    await rename(join(this.folder, JOURNAL_FOLDER), join(this.folder, DISCARDED_FOLDER));
    await syncFolder(this.folder);
    await finishDiscard(this.folder);
  }

  release(): Promise<void> {
    return this.db.close();
  }
}

async function finishDiscard(folder: string): Promise<void> {
  await rm(join(folder, DISCARDED_FOLDER), { recursive: true, force: true });
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sequenceKey(n: bigint): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(n);
  return key;
}

// A record: u32 key length, the key, then a flag byte (1: a prior value follows, 0: the key was absent).
function encode({ key, prior }: UndoRecord): Buffer {
  const out = Buffer.allocUnsafe(4 + key.byteLength + 1 + (prior?.byteLength ?? 0));
  out.writeUInt32BE(key.byteLength, 0);
  key.copy(out, 4);
  out[4 + key.byteLength] = prior === undefined ? 0 : 1;
  prior?.copy(out, 5 + key.byteLength);
  return out;
}

function decode(value: Buffer): UndoRecord {
  const length = value.readUInt32BE(0);
  const key = value.subarray(4, 4 + length);
  return { key, prior: value[4 + length] === 1 ? value.subarray(5 + length) : undefined };
}
