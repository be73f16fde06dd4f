import { ValidationError, type Entry } from '@sochdb/core';
import { toToon, type ToonValue } from '@sochdb/toon';
import { compileFilter, type KvFilter, type KvPredicate, type KvRecord } from './filter.js';
import { describeKey, keyField } from './describe-key.js';
import type { KvScan } from './scan.js';

/** What to do with a value under the prefix that is not a JSON object. */
export type InvalidValuePolicy = 'throw' | 'skip';

/** One matching entry: its key and its (projected) record. */
export interface KvQueryRow {
  /** The entry's key, relative to the store (without a namespaced store's prefix). */
  readonly key: Buffer;
  /** The stored object, limited to the `select`ed fields (a field the object lacks is left out). */
  readonly record: KvRecord;
}

interface QueryState {
  readonly fields: readonly string[] | undefined;
  readonly predicates: readonly KvPredicate[];
  readonly limit: number;
  readonly offset: number;
  readonly onInvalid: InvalidValuePolicy;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A query over the JSON objects stored under a key prefix, in key order. Immutable: every method
 * returns a new query, so a base query can be shared and refined.
 *
 * ```ts
 * await kv.query('products/').select(['name', 'price']).where({ price: { $lt: 100 } }).limit(10).toList();
 * ```
 *
 * A value that is not a JSON object (bad UTF-8, bad JSON, or a JSON array/number/string) makes the
 * query throw a `ValidationError` naming the key, unless `.skipInvalid()` was called.
 */
export class KvQuery {
  constructor(
    private readonly source: () => KvScan,
    private readonly state: QueryState = { fields: undefined, predicates: [], limit: Infinity, offset: 0, onInvalid: 'throw' },
  ) {}

  /** Keep only these fields, in this order (all fields when never called). */
  select(fields: readonly string[]): KvQuery {
    // An index loop: every() skips holes, which would become a column named "undefined".
    // Checked through an `unknown` copy: JavaScript callers may pass anything, and narrowing `fields` itself would type it `any[]`.
    const fieldsInput: unknown = fields;
    if (!Array.isArray(fieldsInput) || !Array.from({ length: fields.length }, (_, i) => fields[i] as unknown).every((f) => typeof f === 'string')) {
      throw new ValidationError('select() takes an array of field names', { field: 'fields' });
    }
    if (new Set(fields).size !== fields.length) throw new ValidationError('select() lists a field twice', { field: 'fields' });
    return this.#with({ fields: [...fields] });
  }

  /**
   * Keep records matching a filter (`{ price: { $lt: 100 }, name: 'Mouse' }`, `$and`, `$or`) or a
   * predicate `(record, key) => boolean`. Filters see the whole record, not just selected fields.
   * Several `where` calls must all hold.
   *
   * @example
   * ```ts
   * const rows = await kv
   *   .query('products/')
   *   .where({ $or: [{ price: { $lt: 100 } }, { category: { $in: ['sale', 'outlet'] } }], stock: { $gt: 0 } })
   *   .where((record, key) => !key.toString().endsWith('/draft'))
   *   .toRecords();
   * ```
   */
  where(filter: KvFilter | KvPredicate): KvQuery {
    const predicate: KvPredicate = typeof filter === 'function' ? filter : compileFilter(filter);
    return this.#with({ predicates: [...this.state.predicates, predicate] });
  }

  /** At most `n` rows (after `offset`). */
  limit(n: number): KvQuery {
    return this.#with({ limit: count(n, 'limit') });
  }

  /** Skip the first `n` matching rows. */
  offset(n: number): KvQuery {
    return this.#with({ offset: count(n, 'offset') });
  }

  /** Skip values that are not JSON objects instead of throwing. */
  skipInvalid(): KvQuery {
    return this.#with({ onInvalid: 'skip' });
  }

  /** Streams matching rows; the storage cursor is closed when the loop ends or breaks. */
  async *rows(): AsyncGenerator<KvQueryRow, void, undefined> {
    const { limit, offset, predicates, fields } = this.state;
    if (limit === 0) return;
    let skipped = 0;
    let taken = 0;
    for await (const batch of this.source().batches()) {
      for (const [key, value] of batch) {
        const record = this.#decode(key, value);
        if (record === undefined || !predicates.every((p) => p(record, key))) continue;
        if (skipped < offset) {
          skipped++;
          continue;
        }
        yield { key, record: fields === undefined ? record : project(record, fields) };
        if (++taken >= limit) return;
      }
    }
  }

  /** Matching rows as objects. */
  async toRecords(): Promise<KvRecord[]> {
    const out: KvRecord[] = [];
    for await (const row of this.rows()) out.push(row.record);
    return out;
  }

  /**
   * `[key, value]` pairs where each value is the row as a one-row compact TOON table, e.g.
   * `products/laptop` → `result[1]{name,price}:Laptop,999` (as in the original SochDB guide).
   */
  async toList(): Promise<Entry[]> {
    const out: Entry[] = [];
    for await (const { key, record } of this.rows()) {
      out.push([key, Buffer.from(toToon('result', [record], this.state.fields ?? Object.keys(record)))]);
    }
    return out;
  }

  /** Every matching row in one compact TOON table: `result[2]{name,price}:Laptop,999;Mouse,25`. */
  async toToon(table = 'result'): Promise<string> {
    return toToon(table, await this.toRecords(), this.state.fields);
  }

  #with(change: Partial<QueryState>): KvQuery {
    return new KvQuery(this.source, { ...this.state, ...change });
  }

  #decode(key: Buffer, value: Buffer): KvRecord | undefined {
    let parsed: unknown;
    let problem: string | undefined;
    try {
      parsed = JSON.parse(strictUtf8.decode(value));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problem = `is JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`;
      }
    } catch {
      problem = 'is not valid UTF-8 JSON';
    }
    if (problem === undefined) return parsed as KvRecord;
    if (this.state.onInvalid === 'skip') return undefined;
    throw new ValidationError(`the value at key ${describeKey(key)} ${problem}`, {
      field: keyField(key),
      remediation: 'Store JSON objects under this prefix, narrow the prefix, or call .skipInvalid() to pass over other values.',
    });
  }
}

function project(record: KvRecord, fields: readonly string[]): KvRecord {
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(record, f)).map((f) => [f, record[f] as ToonValue]));
}

function count(n: number, name: string): number {
  if (n !== Infinity && (!Number.isInteger(n) || n < 0)) {
    throw new ValidationError(`${name}() takes a non-negative integer, got ${String(n)}`, { field: name });
  }
  return n;
}
