// `sochdb backup <db> <dest>` and `sochdb restore <backup> <dest>`: the SDK's consistent online
// backup (a copy as of one commit, written beside the destination and renamed into place) with
// a progress bar, and its summary for people or scripts.
import type { BackupResult } from '@sochdb/core';
import { Database } from '@sochdb/sdk';
import { withDatabase } from './open-database.js';
import { report } from './output.js';
import { progressBar } from './progress.js';

export interface BackupFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** What backup and restore print with --json. */
export interface BackupReport {
  readonly source: string;
  readonly destination: string;
  /** The commit the copy holds (every commit up to it, none after). */
  readonly lsn: bigint;
  readonly keys: number;
  readonly bytes: number;
}

export async function backupCommand(db: string, destination: string, flags: BackupFlags): Promise<void> {
  // Backing up a folder that is not there is a mistake, not an empty backup.
  const result = await withDatabase(db, {}, async (database) => {
    const bar = progressBar('backing up', 'keys', flags);
    // The total is only for the bar; counting keys costs a keys-only scan, so only when drawn.
    if (bar.active) bar.start((await database.stats()).keysCount);
    try {
      return await database.backup(destination, { onProgress: ({ keys }) => bar.update(keys) });
    } finally {
      bar.stop();
    }
  });
  printResult('backed up', db, result, flags);
}

export async function restoreCommand(backup: string, destination: string, flags: BackupFlags): Promise<void> {
  // Restore has no progress callback: it checks the backup and copies it as one step.
  const result = await Database.restore(backup, destination);
  printResult('restored', backup, result, flags);
}

function printResult(verb: string, source: string, result: BackupResult, flags: BackupFlags): void {
  const data: BackupReport = { source, destination: result.location, lsn: result.lsn, keys: result.keys, bytes: result.bytes };
  report(flags.json, data, () => `${verb} ${source} to ${result.location}: LSN ${result.lsn}, ${result.keys} keys, ${result.bytes} bytes`);
}
