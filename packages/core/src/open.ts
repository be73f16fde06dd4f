import { ValidationError } from './errors.js';
import type { DatabaseConfigInput } from './config.js';
import { LevelStorage } from './storage/level-storage.js';
import { MemoryStorage } from './storage/memory-storage.js';
import type { Storage } from './storage/types.js';

/** Whether `location` names a PostgreSQL-wire database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: unknown): location is string {
  return typeof location === 'string' && /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens LevelDB storage in a folder, or in-memory storage for `':memory:'`. A URL (`postgres://…`)
 * is refused rather than taken for a folder name: server-backed storage lives in its own package.
 */
export async function openStorage(location: string, config?: DatabaseConfigInput): Promise<Storage> {
  if (typeof location === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new ValidationError(`'${location.replace(/\/\/[^@/]*@/, '//…@')}' is a URL, not a folder: openStorage opens LevelDB folders and ':memory:'`, {
      field: 'location',
      remediation: "For PostgreSQL use Database.open('postgres://…') from @sochdb/sdk, or PostgresStorage.open from @sochdb/postgres.",
    });
  }
  return location === ':memory:' ? MemoryStorage.open(config) : LevelStorage.open(location, config);
}
