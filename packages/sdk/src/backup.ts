import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AbstractStorage, DatabaseError, LevelStorage, ValidationError, type BackupOptions, type BackupResult, type Storage } from '@sochdb/core';

/**
 * `db.backup`: a consistent copy of the whole database (every package's data) as of one commit,
 * taken while reads and writes go on. Only the process that holds the data can copy it: an
 * embedded or in-memory database, or the owner of a shared folder through its own handle.
 */
export async function backupStorage(storage: Storage, destination: string, options?: BackupOptions): Promise<BackupResult> {
  if (!(storage instanceof AbstractStorage)) {
    throw new DatabaseError('backup copies a database this process holds: an embedded folder or :memory:', {
      remediation: 'Back up from a process that opened the folder with Database.open (not openConcurrent); for PostgreSQL storage use pg_dump.',
    });
  }
  return storage.backup(destination, options);
}

/**
 * `Database.restore`: makes `destination` a new database holding exactly what the backup at
 * `backupPath` holds. The backup is opened as a database (which checks it: a partial copy left by
 * a killed backup refuses to open) and copied as `backup` copies, so the restore is itself
 * all-or-nothing and never overwrites. The backup folder must not be open elsewhere meanwhile.
 */
export async function restoreBackup(backupPath: string, destination: string): Promise<BackupResult> {
  if (typeof backupPath !== 'string' || backupPath.length === 0) {
    throw new ValidationError('restore needs the path of a backup folder', { field: 'backupPath' });
  }
  if (!existsSync(resolve(backupPath))) {
    throw new DatabaseError(`no backup at ${resolve(backupPath)}`, { remediation: 'Pass the folder that db.backup(destination) wrote.' });
  }
  const backup = await LevelStorage.open(backupPath, { createIfMissing: false });
  try {
    return await backup.backup(destination);
  } finally {
    await backup.close();
  }
}
