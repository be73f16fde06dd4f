import type { MigrationConfig } from 'drizzle-orm/migrator';
import { migrate as proxyMigrate } from 'drizzle-orm/sqlite-proxy/migrator';
import { sessionOf, type SochDBDrizzleDatabase } from './driver.js';

/** drizzle-orm's default name for the table of applied migrations. */
const DEFAULT_MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Applies a drizzle-kit migrations folder (`meta/_journal.json` + `NNNN_name.sql`) with
 * drizzle-orm's sqlite-proxy migrator: it records applied migrations in `__drizzle_migrations`
 * (or `migrationsTable`) and runs only those newer than the last one recorded, so running it
 * again is a no-op. The pending statements run in one SochDB transaction.
 *
 * @example
 * ```ts
 * const db = drizzle(await Database.open('./data/app'));
 * // drizzle-kit's output folder (meta/_journal.json and NNNN_name.sql files).
 * await migrate(db, { migrationsFolder: './drizzle' });
 * ```
 */
export async function migrate<TSchema extends Record<string, unknown>>(db: SochDBDrizzleDatabase<TSchema>, config: MigrationConfig): Promise<void> {
  const session = sessionOf(db);
  const table = config.migrationsTable ?? DEFAULT_MIGRATIONS_TABLE;
  // drizzle's migrator creates its table with `id SERIAL PRIMARY KEY` and inserts rows without an
  // id. SQLite lets a non-INTEGER primary key be NULL (a legacy quirk); SochDB's engine enforces
  // NOT NULL there, so that insert fails. Creating the table first with the same columns and an
  // INTEGER PRIMARY KEY (a rowid alias, filled in on insert) turns drizzle's CREATE TABLE IF NOT
  // EXISTS into a no-op and keeps the columns it reads (id, hash, created_at).
  await session.database.execute(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  await proxyMigrate(db, (queries) => session.runMigrations(queries), config);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
