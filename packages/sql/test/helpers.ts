import { createRequire } from 'node:module';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import type { Storage } from '@sochdb/core';
import { SqlEngine, type SqlEngineOptions } from '@sochdb/sql';

/** The slice of better-sqlite3 the tests use (it ships no types in this repo). */
export interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown[] | undefined;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  raw(on?: boolean): SqliteStatement;
  columns(): { name: string }[];
}
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string): unknown;
  close(): void;
}

const require = createRequire(import.meta.url);
export const BetterSqlite = require('better-sqlite3') as new (file: string) => SqliteDatabase;

/**
 * A SqlEngine over fresh persistent storage (a LevelDB folder, or what `persistentFactory` was
 * switched to); `reopen()` closes and reopens the same data.
 */
export async function openEngine(options: SqlEngineOptions = {}): Promise<{
  storage: Storage;
  sql: SqlEngine;
  reopen(): Promise<{ storage: Storage; sql: SqlEngine }>;
  close(): Promise<void>;
}> {
  const factory: StorageFactory = persistentFactory();
  let storage = await factory.open();
  const handle = {
    storage,
    sql: new SqlEngine(storage, options),
    async reopen() {
      await storage.close();
      storage = await factory.open();
      handle.storage = storage;
      handle.sql = new SqlEngine(storage, options);
      return { storage, sql: handle.sql };
    },
    async close() {
      await storage.close();
      await factory.cleanup();
    },
  };
  return handle;
}
