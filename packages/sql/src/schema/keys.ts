import { encodeKey, keyRange, type KeyPart } from '@sochdb/core';
import type { SqlValue } from '../values/values.js';
import type { IndexDef } from './schema.js';

/**
 * Every key of the SQL engine lives under `['sql', namespace, …]` (core's tuple codec, so key
 * order is value order within a type):
 *   ['sql', ns, 'schema']                      → schema version (decimal text), bumped by every DDL
 *   ['sql', ns, 'table', name]                 → table definition (JSON)
 *   ['sql', ns, 'view', name]                  → view ({ name, sql }: its CREATE VIEW text)
 *   ['sql', ns, 'seq', table]                  → AUTOINCREMENT: largest rowid ever used (decimal text)
 *   ['sql', ns, 'trigger', name]               → trigger ({ name, sql, createdAt }: its CREATE TRIGGER text)
 *   ['sql', ns, 'user_version']                → PRAGMA user_version (decimal text)
 *   ['sql', ns, 'r', table, ...primaryKey]     → row (row-codec)
 *   ['sql', ns, 'x', table, index, ...values, ...primaryKey] → primary key tuple
 * A UNIQUE index entry whose values hold no NULL leaves the primary key out of its key, so a
 * uniqueness check is one point read.
 */
export class KeySpace {
  /** Encoded `['sql', ns, 'r', table]` per table: a row key is this prefix then the encoded primary key. */
  readonly #rowPrefixes = new Map<string, Buffer>();

  constructor(readonly namespace: string) {}

  table(name: string): Buffer {
    return encodeKey(['sql', this.namespace, 'table', name]);
  }

  /** The schema version (SQLite's schema cookie): a counter every committed DDL increments. */
  schemaVersion(): Buffer {
    return encodeKey(['sql', this.namespace, 'schema']);
  }

  /** PRAGMA user_version (decimal text; absent: 0). */
  userVersion(): Buffer {
    return encodeKey(['sql', this.namespace, 'user_version']);
  }

  /** AUTOINCREMENT's largest rowid ever used for a table (SQLite's sqlite_sequence row). */
  sequence(table: string): Buffer {
    return encodeKey(['sql', this.namespace, 'seq', table]);
  }

  tables(): { gte: Buffer; lt: Uint8Array | undefined } {
    return keyRange(['sql', this.namespace, 'table']);
  }

  /**
   * Equal to `encodeKey(['sql', ns, 'r', table, ...pk])`: core's tuple codec encodes a tuple as
   * its parts' encodings one after another (its keyRange relies on the same property, and a test
   * here checks it), so the constant prefix is encoded once per table instead of once per row.
   */
  row(table: string, pk: readonly KeyPart[]): Buffer {
    let prefix = this.#rowPrefixes.get(table);
    if (prefix === undefined) {
      prefix = encodeKey(this.rowPrefix(table));
      this.#rowPrefixes.set(table, prefix);
    }
    const tail = encodeKey(pk);
    const key = Buffer.allocUnsafe(prefix.byteLength + tail.byteLength);
    key.set(prefix, 0);
    key.set(tail, prefix.byteLength);
    return key;
  }

  rowPrefix(table: string, pk: readonly KeyPart[] = []): readonly KeyPart[] {
    return ['sql', this.namespace, 'r', table, ...pk];
  }

  indexPrefix(table: string, index: string, values: readonly KeyPart[] = []): readonly KeyPart[] {
    return ['sql', this.namespace, 'x', table, index, ...values];
  }
}

/**
 * A value as a key part. INTEGER and REAL both become doubles so that 2 and 2.5 sort together
 * (integers beyond 2^53 stay bigint, which sorts after every double: a documented limit).
 */
export function keyPart(v: SqlValue): KeyPart {
  if (typeof v === 'bigint') return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  return v;
}

/**
 * What follows an index's prefix in the key of a row's entry: the indexed values, then the primary
 * key, which a UNIQUE index leaves out when no indexed value is NULL (its key is then unique by
 * itself, and a uniqueness check is one point read). Also how cached rows are put in index order.
 */
export function indexEntryParts(index: IndexDef, values: readonly SqlValue[], pk: readonly KeyPart[]): { parts: KeyPart[]; unique: boolean } {
  const parts = index.columns.map((c) => keyPart(values[c]!));
  const unique = index.unique && parts.every((v) => v !== null);
  if (!unique) for (const p of pk) parts.push(p);
  return { parts, unique };
}
