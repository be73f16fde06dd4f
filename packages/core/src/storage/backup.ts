import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { DatabaseError, ValidationError } from '../errors.js';
import type { AbstractEntryIterator } from './iterator.js';
import { decodeMeta, encodeMeta, META_KEY } from './meta.js';

/** `storage.backup(destination, options)`. */
export interface BackupOptions {
  /** Called after each batch of keys is written (every 1,024 keys), with the totals so far. */
  readonly onProgress?: (progress: BackupProgress) => void;
}

/** How far a backup has got. */
export interface BackupProgress {
  /** Keys written so far. */
  readonly keys: number;
  /** Bytes of keys and values written so far. */
  readonly bytes: number;
}

/** What a finished backup holds. */
export interface BackupResult extends BackupProgress {
  /** The commit the backup is a copy of: it holds every commit up to this LSN and none after. */
  readonly lsn: bigint;
  /** The backup's folder (absolute). */
  readonly location: string;
}

/** What a backup copies: one snapshot of a storage, its metadata and its entries (the metadata key excluded). */
export interface BackupSource {
  readonly meta: Buffer | undefined;
  readonly entries: AbstractEntryIterator;
}

const BATCH = 1_024;
const INCOMPLETE = Buffer.from([0xff]);

/**
 * Writes `source` as a new LevelDB database at `destination`, which opens with
 * `LevelStorage.open` as a normal database at the snapshot's LSN. The copy is made in a hidden
 * sibling folder (`.<name>.partial-<pid>-<time>`) and renamed into place only once complete and
 * synced: a process killed during a backup leaves nothing at `destination`, and the hidden folder
 * it leaves refuses to open (its metadata says it is incomplete) until someone deletes it. LevelDB and the storages keep
 * their snapshots' versions while the copy runs, so writes go on meanwhile and are not in it.
 * Written here rather than as a copy of LevelDB's files: a file copy of a live LevelDB is not
 * consistent (compaction rewrites files under it), and a memory storage has no files.
 */
export async function writeBackup(destination: string, source: BackupSource, options: BackupOptions = {}): Promise<BackupResult> {
  const location = requireDestination(destination);
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new ValidationError('onProgress must be a function ({ keys, bytes }) => void', { field: 'onProgress' });
  }
  const { lsn } = decodeMeta(source.meta);
  const parent = dirname(location);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const partial = join(parent, `.${basename(location)}.partial-${process.pid}-${Date.now()}`);
  await mkdir(partial, { mode: 0o700 });
  const db = new ClassicLevel<Buffer, Buffer>(partial, { keyEncoding: 'buffer', valueEncoding: 'buffer', errorIfExists: true });
  let keys = 0;
  let bytes = 0;
  try {
    await db.open();
    // Until the copy is complete, the metadata is one byte no SochDB version accepts: a partial
    // folder left by a killed backup fails to open instead of opening as a smaller database.
    await db.put(META_KEY, INCOMPLETE);
    for (let entries = await source.entries.nextv(BATCH); entries.length > 0; entries = await source.entries.nextv(BATCH)) {
      const batch = db.batch();
      for (const [key, value] of entries) {
        batch.put(key, value);
        bytes += key.byteLength + value.byteLength;
      }
      keys += entries.length;
      await batch.write();
      onProgress?.({ keys, bytes });
    }
    // Last, and synced: the metadata says which commit this is, and that every key is counted.
    await db.put(META_KEY, encodeMeta({ lsn, keysCount: keys }), { sync: true });
    await db.close();
    if (existsSync(location)) throw destinationTaken(location);
    await rename(partial, location);
    await syncFolder(parent);
  } catch (error) {
    await db.close().catch(() => undefined);
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof DatabaseError || error instanceof ValidationError) throw error;
    throw new DatabaseError(`backup to ${location} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      remediation: 'Check that the destination is on a writable disk with room for a copy of the database; nothing was left there.',
    });
  }
  return { lsn, keys, bytes, location };
}

function requireDestination(destination: unknown): string {
  if (typeof destination !== 'string' || destination.length === 0 || destination === ':memory:') {
    throw new ValidationError('a backup needs a folder path to write to', {
      field: 'destination',
      remediation: "Pass a path such as './backups/app-2026-12-06'.",
    });
  }
  if (destination.includes('\0')) throw new ValidationError('the backup path contains a NUL character', { field: 'destination' });
  const location = resolve(destination);
  if (existsSync(location)) throw destinationTaken(location);
  return location;
}

function destinationTaken(location: string): DatabaseError {
  return new DatabaseError(`cannot back up to ${location}: it already exists`, {
    remediation: 'Back up to a new path (a backup never overwrites anything), or remove the old one first.',
  });
}

/** Makes the rename durable: on Linux a rename reaches the disk when its folder is synced. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms and file systems refuse fsync on a folder; the rename itself is done.
  } finally {
    await handle.close();
  }
}
