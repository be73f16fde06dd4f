// Opening the database a command names. `Database.open` creates a missing folder by default —
// right for an application, wrong for `sochdb stats ./typo`, which would report an empty database
// that it just made. Commands that read (stats, inspect, export, backup) open existing data only;
// import may create the database it fills.
//
// Every command here opens with the SQL row cache off (CLI_SQL_OPTIONS). The cache keeps whole
// tables decoded in memory for repeated queries; a one-shot command reads each table once, and
// an export's keyset pages are exactly the repeated key-range searches that make the engine load
// the whole table into it — up to 250,000 rows by default, hundreds of MB of 1 KB rows — so with
// it on, an export's memory grew with the table (measured with bench/io-memory.ts: see
// "Import and export memory" in the README).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseError, ValidationError, isPostgresUrl } from '@sochdb/core';
import { Database, type DatabaseSqlOptions } from '@sochdb/sdk';

/** The SQL engine settings every command opens with: no row cache (see the file comment). */
export const CLI_SQL_OPTIONS: DatabaseSqlOptions = { rowCacheRows: 0 };

/** How a command opens its database. */
export interface OpenOptions {
  /** Create the folder when it does not exist (import); otherwise a missing folder is a DatabaseError. */
  readonly create?: boolean;
}

/** Opens `location` (a folder, or a postgres:// URL) for one command. */
export async function openDatabase(location: string, options: OpenOptions = {}): Promise<Database> {
  if (location === ':memory:') {
    throw new ValidationError("':memory:' holds nothing between commands", {
      field: 'db',
      remediation: 'Pass the folder of a database (or a postgres:// URL).',
    });
  }
  // A PostgreSQL database exists or not on its server; LevelDB options do not apply to it.
  if (isPostgresUrl(location)) return Database.open(location, { sql: CLI_SQL_OPTIONS });
  const path = resolve(location);
  if (!options.create) {
    if (!existsSync(path)) {
      throw new DatabaseError(`no database at ${path}`, { remediation: 'Check the path: this command works on an existing database and creates none.' });
    }
    if (!statSync(path).isDirectory()) {
      throw new DatabaseError(`${path} is a file, not a database folder`, { remediation: 'Pass the folder that Database.open was given.' });
    }
  }
  return Database.open(path, { createIfMissing: options.create === true, sql: CLI_SQL_OPTIONS });
}

/** Runs `fn` on the opened database and closes it, whatever happens. */
export async function withDatabase<T>(location: string, options: OpenOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(location, options);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
