import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
} from 'kysely';
import { SochDBDriver, type SochDBDialectConfig } from './driver.js';

/**
 * Kysely on SochDB's SQL engine. The engine speaks SQLite's dialect, so SQL generation, the
 * adapter (RETURNING, no transactional-DDL claims, no migration lock) and introspection
 * (sqlite_master + pragma_table_info) are Kysely's SQLite ones; only the driver is SochDB's.
 *
 * @example
 * ```ts
 * const database = await Database.open('./data'); // @sochdb/sdk
 * const db = new Kysely<Schema>({ dialect: new SochDBDialect({ database }) });
 * const ada = await db.insertInto('person').values({ name: 'Ada' }).returning('id').executeTakeFirstOrThrow();
 * await db.destroy(); // `database` stays open: it is yours
 * ```
 */
export class SochDBDialect implements Dialect {
  readonly #config: SochDBDialectConfig;

  constructor(config: SochDBDialectConfig) {
    this.#config = Object.freeze({ ...config });
  }

  /** A SochDBDriver over the configured database; Kysely calls this once per Kysely instance. */
  createDriver(): Driver {
    return new SochDBDriver(this.#config);
  }

  /** Kysely's SQLite compiler: the engine parses SQLite's dialect (double-quoted identifiers, `?` parameters). */
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  /** Kysely's SQLite adapter: RETURNING supported, DDL not claimed transactional, no migration lock. */
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // Kysely's Dialect interface types this parameter as Kysely<any>.
  /** Kysely's SQLite introspector, which reads the engine's `sqlite_master` and `pragma_table_info`. */
  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
