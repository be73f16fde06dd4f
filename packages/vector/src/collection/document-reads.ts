import { ValidationError, type KeyValueReader } from '@sochdb/core';
import { compileFilter, type Metadata, type MetadataFilter, type MetadataPredicate } from '../metadata/filter.js';
import { isArray, plainArray, requireId, requireInteger } from '../shared/validate.js';
import type { CollectionKeys } from './collection-keys.js';
import { contentOf, storedVector, type StoredDoc } from './documents.js';

/** A stored document, as `Collection.get` returns it. */
export interface CollectionDocument {
  /** The id it was inserted under (given, or generated then). */
  readonly id: string;
  /** As stored (float32). */
  readonly vector: number[];
  /** The inserted metadata, `{}` when it had none. */
  readonly metadata: Metadata;
  /** The text indexed for keyword search; absent when the document has none. */
  readonly content?: string;
}

/**
 * Which documents `Collection.get(query)` returns (Chroma's `get`): all of them, or those of
 * `ids`, narrowed by `filter`, then paged. Without `ids` they come in id order (ids compare by
 * their UTF-8 bytes), so pages are stable; with `ids`, in the order given.
 */
export interface GetQuery {
  /** Only these documents (missing ids are skipped; a repeated id is returned once). */
  readonly ids?: readonly string[];
  /** Only documents whose metadata matches (see `MetadataFilter`). */
  readonly filter?: MetadataFilter;
  /** At most this many documents (default: all). */
  readonly limit?: number;
  /** Skip this many matching documents first (default 0). Each page re-reads the skipped ones: prefer `afterId` for large exports. */
  readonly offset?: number;
  /**
   * Start after this id (a cursor: pass the last id of the previous page). Each page then costs
   * only its own documents, whatever its position. Not with `ids`.
   */
  readonly afterId?: string;
}

/** A `GetQuery` checked, its filter compiled. */
export interface CheckedQuery {
  readonly ids: readonly string[] | undefined;
  readonly matches: MetadataPredicate | undefined;
  readonly limit: number;
  readonly offset: number;
  readonly afterId: string | undefined;
}

export function checkGetQuery(query: GetQuery): CheckedQuery {
  if (query === null || typeof query !== 'object' || isArray(query)) {
    throw new ValidationError('get needs an id or a query object { ids?, filter?, limit?, offset?, afterId? }', { field: 'query' });
  }
  const ids = query.ids === undefined ? undefined : requireIds(query.ids, 'ids');
  if (ids !== undefined && query.afterId !== undefined) {
    throw new ValidationError('get takes ids or afterId, not both', {
      field: 'afterId',
      remediation: 'Page through ids yourself, or drop ids to page by afterId.',
    });
  }
  return {
    ids,
    matches: query.filter === undefined ? undefined : compileFilter(query.filter),
    limit: query.limit === undefined ? Infinity : requireInteger(query.limit, 'limit', 0),
    offset: query.offset === undefined ? 0 : requireInteger(query.offset, 'offset', 0),
    afterId: query.afterId === undefined ? undefined : requireId(query.afterId, 'afterId'),
  };
}

export function requireIds(ids: unknown, field: string): string[] {
  if (!isArray(ids)) throw new ValidationError(`${field} must be an array of ids`, { field });
  // An index loop: a hole is a missing id, which map() would skip.
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) out.push(requireId(ids[i], `${field}[${i}]`));
  return out;
}

/**
 * The documents a query selects, read through `reader`: a snapshot or a transaction, so that
 * each record and its vector come from one version of the document.
 */
export async function readDocuments(reader: KeyValueReader, keys: CollectionKeys, query: CheckedQuery): Promise<CollectionDocument[]> {
  const page: [string, StoredDoc][] = [];
  let skip = query.offset;
  const take = (id: string, record: Buffer): boolean => {
    const stored = JSON.parse(record.toString('utf8')) as StoredDoc;
    if (query.matches && !query.matches(stored.metadata)) return true;
    if (skip > 0) skip--;
    else page.push([id, stored]);
    return page.length < query.limit;
  };
  if (query.limit > 0) {
    if (query.ids) {
      const ids = [...new Set(query.ids)];
      const records = await reader.getMany(ids.map((id) => keys.doc(id)));
      for (let i = 0; i < ids.length; i++) if (records[i] && !take(ids[i]!, records[i]!)) break;
    } else {
      for await (const [key, record] of reader.iterator(keys.docsAfter(query.afterId))) if (!take(keys.idOf(key), record)) break;
    }
  }
  const values = await reader.getMany(page.flatMap(([id]) => [keys.vector(id), keys.text(id)]));
  const out: CollectionDocument[] = [];
  page.forEach(([id, stored], i) => {
    // A record without its vector is half of an interrupted raw write; searches skip it too.
    const bytes = values[2 * i];
    if (bytes) out.push(documentOf(id, stored.metadata, contentOf(stored, values[2 * i + 1]), bytes));
  });
  return out;
}

/** Ids of the documents whose metadata matches, in id order (what `delete({ filter })` removes). */
export async function idsMatching(reader: KeyValueReader, keys: CollectionKeys, matches: MetadataPredicate): Promise<string[]> {
  const ids: string[] = [];
  for await (const [key, record] of reader.iterator(keys.docsAfter(undefined))) {
    if (matches((JSON.parse(record.toString('utf8')) as StoredDoc).metadata)) ids.push(keys.idOf(key));
  }
  return ids;
}

export function documentOf(id: string, metadata: Metadata, content: string | undefined, vectorBytes: Buffer): CollectionDocument {
  return { id, vector: plainArray(storedVector(vectorBytes)), metadata, ...(content === undefined ? {} : { content }) };
}

/** What `Collection.delete` removes besides one id: these ids, or `{ ids?, filter? }` (at least one). */
export type DeleteSelection =
  | readonly string[]
  | {
      /** Only these documents (with `filter`: those of them that match it). */
      readonly ids?: readonly string[];
      /** Documents whose metadata matches (`{}` matches every document). */
      readonly filter?: MetadataFilter;
    };

/** The ids a selection names, read through the delete's transaction (checked now, read later). */
export function selectedIds(selection: DeleteSelection, keys: CollectionKeys): (store: KeyValueReader) => Promise<readonly string[]> {
  if (isArray(selection)) {
    const ids = requireIds(selection, 'ids');
    return async () => ids;
  }
  if (selection === null || typeof selection !== 'object' || (selection.ids === undefined && selection.filter === undefined)) {
    throw new ValidationError('delete needs an id, an array of ids, or { ids?, filter? } with at least one of them', {
      field: 'selection',
      remediation: 'To delete every document, pass { filter: {} }, or drop the collection.',
    });
  }
  const ids = selection.ids === undefined ? undefined : requireIds(selection.ids, 'ids');
  const matches = selection.filter === undefined ? undefined : compileFilter(selection.filter);
  return async (store) => {
    if (!matches) return ids!;
    if (!ids) return idsMatching(store, keys, matches);
    const records = await store.getMany(ids.map((id) => keys.doc(id)));
    return ids.filter((_, i) => records[i] !== undefined && matches((JSON.parse(records[i].toString('utf8')) as StoredDoc).metadata));
  };
}
