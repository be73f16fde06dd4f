import { pathGetter, type JsonValue, type Metadata } from './filter.js';

/** Fields with a column at most; the least recently used one is dropped for a new one. */
const MAX_COLUMNS = 8;
/** Strings at most this long are shared between documents in a column (a language, a tag), not one copy each. */
const SHARED_STRING = 64;

/** A field's values by graph label. */
export type LabelColumn = readonly (JsonValue | undefined)[];

/** Calls `visit` with every stored document's graph label (undefined: not in the graph) and metadata. */
export type MetadataScan = (visit: (label: number | undefined, metadata: Metadata) => void) => Promise<void>;

interface Column {
  readonly get: (metadata: Metadata) => JsonValue | undefined;
  readonly values: (JsonValue | undefined)[];
  /** While the column is being filled from storage: labels `set` since, which the scan must not overwrite. */
  touched: Set<number> | undefined;
  /** Settles when the column is filled. */
  ready: Promise<void>;
}

/**
 * Metadata values by graph label, one column per filtered field, for filters that run once per
 * node visited by a graph walk. Reading a value from a column is one array load; reading it from
 * the document took two more dependent loads (its entry, then its metadata object), which miss
 * the cache on a large collection: a 10% filter on 100k documents ran at ~62% of raw hnswlib's
 * QPS that way.
 *
 * Metadata is not kept in memory otherwise (issue 25: ~150 B a document, most of a million-document
 * collection's heap), so a column is filled from the stored records the first time a filter names
 * its field (one pass over them for every field a filter lacks), kept up to date by `set` from then
 * on, and dropped when `MAX_COLUMNS` newer fields need one. Writes applied while a column fills win
 * over the (possibly older) records the pass reads for the same labels.
 */
export class LabelColumns {
  readonly #columns = new Map<string, Column>();

  /**
   * The columns of `fields` (as a filter names them: a dotted path reaches into nested objects),
   * those missing filled by one `scan` over the stored documents.
   */
  async columns(fields: readonly string[], scan: MetadataScan): Promise<ReadonlyMap<string, LabelColumn>> {
    const missing: [string, Column][] = [];
    for (const field of fields) {
      let column = this.#columns.get(field);
      if (column) {
        // Most recently used last, so the first is the one to drop.
        this.#columns.delete(field);
      } else {
        column = { get: pathGetter(field), values: [], touched: new Set(), ready: Promise.resolve() };
        missing.push([field, column]);
      }
      this.#columns.set(field, column);
    }
    if (missing.length > 0) {
      const filled = fill(
        missing.map(([, column]) => column),
        scan,
      );
      for (const [, column] of missing) column.ready = filled;
      filled.catch(() => {
        // A failed pass leaves nothing half filled: the next filter on these fields reads again.
        for (const [field, column] of missing) if (this.#columns.get(field) === column) this.#columns.delete(field);
      });
    }
    // Dropped only now, so a filter naming more than MAX_COLUMNS fields still gets all of its own.
    for (const field of this.#columns.keys()) {
      if (this.#columns.size <= Math.max(MAX_COLUMNS, fields.length)) break;
      this.#columns.delete(field);
    }
    // Taken before waiting: a filter running meanwhile may drop one of them (this one keeps it).
    const wanted = fields.map((field) => [field, this.#columns.get(field)!] as const);
    await Promise.all(wanted.map(([, column]) => column.ready));
    return new Map(wanted.map(([field, column]) => [field, column.values]));
  }

  /** A label now holds a document with this metadata (read only when some column needs it), or none. */
  set(label: number, metadata: (() => Metadata) | undefined): void {
    if (this.#columns.size === 0) return;
    const m = metadata?.();
    for (const { get, values, touched } of this.#columns.values()) {
      touched?.add(label);
      values[label] = m === undefined ? undefined : get(m);
    }
  }

  /** Drops every column (the state is being freed). */
  clear(): void {
    this.#columns.clear();
  }
}

async function fill(columns: readonly Column[], scan: MetadataScan): Promise<void> {
  const shared = new Map<string, string>();
  await scan((label, metadata) => {
    if (label === undefined) return;
    for (const { get, values, touched } of columns) {
      if (touched!.has(label)) continue;
      let value = get(metadata);
      if (typeof value === 'string' && value.length <= SHARED_STRING) {
        const known = shared.get(value);
        if (known === undefined) shared.set(value, value);
        else value = known;
      }
      values[label] = value;
    }
  });
  for (const column of columns) column.touched = undefined;
}
