import { ValidationError } from './errors.js';
import type { DatabaseConfigInput } from './config.js';
import { LevelStorage } from './storage/level-storage.js';
import { MemoryStorage } from './storage/memory-storage.js';
import type { Storage } from './storage/types.js';
import { findStorageOpener, packageOfScheme, urlScheme } from './storage-openers.js';

/** Whether `location` names a PostgreSQL-wire database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(location: unknown): location is string {
  return typeof location === 'string' && /^postgres(ql)?:\/\//i.test(location);
}

/** A location that is a URL (`postgres://…`) rather than a folder. */
export type StorageUrl = `${string}://${string}`;

/**
 * Opens storage by location: a server's URL (`postgres://…`, with the options of the package
 * that serves it, e.g. @sochdb/postgres, which is loaded when installed), in-memory storage for
 * `':memory:'`, or else LevelDB in a folder.
 *
 * @example
 * ```ts
 * const local = await openStorage('./data/app', { syncMode: 'normal' });
 * const scratch = await openStorage(':memory:');
 * // Needs @sochdb/postgres installed; the options are PostgresStorage's.
 * const shared = await openStorage('postgres://app:secret@db.internal:5432/app?schema=tenant_a', { poolSize: 20 });
 * ```
 */
export async function openStorage(url: StorageUrl, options?: Readonly<Record<string, unknown>>): Promise<Storage>;
export async function openStorage(location: string, config?: DatabaseConfigInput): Promise<Storage>;
export async function openStorage(location: string, config?: unknown): Promise<Storage> {
  const scheme = typeof location === 'string' ? urlScheme(location) : undefined;
  if (scheme !== undefined) return openUrl(location, scheme, config);
  return location === ':memory:' ? MemoryStorage.open(config as DatabaseConfigInput) : LevelStorage.open(location, config as DatabaseConfigInput);
}

async function openUrl(url: string, scheme: string, options: unknown): Promise<Storage> {
  const opener = await findStorageOpener(scheme);
  if (opener !== undefined) return opener(url, options);
  const shown = url.replace(/\/\/[^@/]*@/, '//…@');
  const name = packageOfScheme(scheme);
  throw new ValidationError(
    name === undefined
      ? `'${shown}' is a URL of a scheme no SochDB storage serves ('${scheme}:'): openStorage opens postgres:// URLs, LevelDB folders and ':memory:'`
      : `'${shown}' needs ${name}, which is not installed (or not importable from here)`,
    {
      field: 'location',
      remediation:
        name === undefined ? "Give a folder path, ':memory:' or a postgres:// URL." : `npm install ${name} (or import it before calling openStorage).`,
    },
  );
}
