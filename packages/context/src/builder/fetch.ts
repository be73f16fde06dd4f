import { ValidationError, type Transaction } from '@sochdb/core';
import type { ToonRecord, ToonValue } from '@sochdb/toon';
import type { Collection, SearchRequest } from '@sochdb/vector';
import type { ContextSources } from './sources.js';
import type { GraphSource, SearchSource, SectionSource, TemporalSource } from './types.js';
import { cellOf, recordOf, storedValueOf } from './values.js';

/** A section's data as fetched: lines of text, or rows (with their columns when the source names them). */
export type SectionData =
  | { readonly kind: 'lines'; readonly lines: readonly string[] }
  | { readonly kind: 'rows'; readonly rows: readonly ToonRecord[]; readonly fields?: readonly string[] };

/** Reads one section's data through `txn`, the context's snapshot. */
export async function fetchSection(name: string, source: SectionSource, sources: ContextSources, txn: Transaction): Promise<SectionData> {
  if ('text' in source) return { kind: 'lines', lines: source.text === '' ? [] : source.text.split('\n') };
  if ('rows' in source) return { kind: 'rows', rows: source.rows.map(recordOf) };
  if ('get' in source) {
    const value = await need(sources.kv, name, 'kv', 'a KvStore').get(source.get, { txn });
    return { kind: 'rows', rows: value === null ? [] : [entryRow(source.get, value)] };
  }
  if ('prefix' in source) {
    const kv = need(sources.kv, name, 'kv', 'a KvStore');
    const limit = source.last ?? source.limit;
    const rows: ToonRecord[] = [];
    for await (const [key, value] of kv.scanPrefix(source.prefix, { txn, reverse: source.last !== undefined, ...(limit === undefined ? {} : { limit }) })) {
      rows.push(entryRow(cellOf(key), value));
    }
    if (source.last !== undefined) rows.reverse();
    return { kind: 'rows', rows };
  }
  if ('sql' in source) {
    const sql = need(sources.sql, name, 'sql', 'an SqlEngine');
    // The read-only snapshot would refuse a write anyway, with a transaction error; this says why.
    if (!sql.prepare(source.sql, { txn }).reader) {
      throw new ValidationError(`section "${name}": its SQL must be a query that returns rows, not a statement that writes`, {
        field: `${name}.sql`,
        remediation: 'Sections read one snapshot and never write; run writes before building the context.',
      });
    }
    const result = await sql.execute(source.sql, source.params, { txn });
    return { kind: 'rows', fields: result.columns, rows: result.rows.map(recordOf) };
  }
  if ('table' in source) return lastRowsOf(name, source, sources, txn);
  if ('search' in source) return searchRows(name, source.search, sources, txn);
  if ('graph' in source) return neighbourhood(name, source.graph, sources, txn);
  return temporalEdges(name, source.temporal, sources, txn);
}

/**
 * A KV entry as a row: a JSON object value spreads into columns (`{ key, name, plan }`: one header
 * for many entries is what makes TOON small), anything else is `{ key, value }`.
 */
function entryRow(key: ToonValue, bytes: Uint8Array): ToonRecord {
  const value = storedValueOf(bytes);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, 'key')) return { key, ...(value as ToonRecord) };
  return { key, value };
}

function need<T>(value: T | undefined, section: string, field: string, what: string): T {
  if (value === undefined) {
    throw new ValidationError(`section "${section}" needs ${what}, and this context has none`, {
      field: `sources.${field}`,
      remediation: `Build the context with db.context() from @sochdb/sdk, or pass sources.${field}.`,
    });
  }
  return value;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

async function lastRowsOf(
  name: string,
  source: { readonly table: string; readonly last?: number; readonly orderBy?: string },
  sources: ContextSources,
  txn: Transaction,
): Promise<SectionData> {
  const sql = need(sources.sql, name, 'sql', 'an SqlEngine');
  let order = source.orderBy === undefined ? [] : [source.orderBy];
  if (order.length === 0) {
    const info = await sql.execute(`PRAGMA table_info(${quoted(source.table)})`, undefined, { txn });
    if (info.rows.length === 0) throw new ValidationError(`section "${name}": no such table: ${source.table}`, { field: 'table' });
    order = info.rows
      .filter((column) => Number(column['pk']) > 0)
      .sort((a, b) => Number(a['pk']) - Number(b['pk']))
      .map((column) => String(column['name']));
    if (order.length === 0) {
      throw new ValidationError(`section "${name}": table ${source.table} has no primary key to order its last rows by`, {
        field: 'orderBy',
        remediation: 'Name the column that orders the rows, e.g. { table, last: 20, orderBy: "created_at" }.',
      });
    }
  }
  const orderBy = order.map((column) => `${quoted(column)} DESC`).join(', ');
  const result = await sql.execute(`SELECT * FROM ${quoted(source.table)} ORDER BY ${orderBy} LIMIT ?`, [source.last ?? 20], { txn });
  return { kind: 'rows', fields: result.columns, rows: result.rows.map(recordOf).reverse() };
}

async function searchRows(name: string, search: SearchSource, sources: ContextSources, txn: Transaction): Promise<SectionData> {
  const collection: Collection =
    typeof search.collection === 'string'
      ? await need(sources.collection, name, 'collection', 'a way to open collections by name')(search.collection)
      : search.collection;
  const request: SearchRequest = {
    k: search.k ?? 10,
    ...(search.vector === undefined ? {} : { vector: search.vector }),
    ...(search.query === undefined ? {} : { textQuery: search.query }),
    ...(search.filter === undefined ? {} : { filter: search.filter }),
    ...(search.alpha === undefined ? {} : { alpha: search.alpha }),
  };
  const hits = await collection.search(request);
  // The ranking is the collection's live state; each hit is read again in the snapshot so that
  // this section agrees with the others: a document written after the snapshot shows as it was
  // then, and one that did not exist then is left out.
  const docs = new Map((await collection.get({ ids: hits.map((hit) => hit.id) }, { txn })).map((doc) => [doc.id, doc]));
  const rows: ToonRecord[] = [];
  for (const hit of hits) {
    const doc = docs.get(hit.id);
    if (doc === undefined) continue;
    const row: Record<string, unknown> = { id: hit.id, score: Math.round(hit.score * 1e4) / 1e4 };
    for (const [field, value] of Object.entries(doc.metadata)) if (!(field in row) && field !== 'content') row[field] = value;
    if (doc.content !== undefined) row['content'] = doc.content;
    rows.push(recordOf(search.fields === undefined ? row : Object.fromEntries(search.fields.map((field) => [field, row[field]]))));
  }
  return { kind: 'rows', rows, ...(search.fields === undefined ? {} : { fields: search.fields }) };
}

function graphNamespace(name: string, namespace: string | undefined, sources: ContextSources): string {
  return need(namespace ?? sources.namespace, name, 'namespace', 'a graph namespace (give one in the section or the context)');
}

async function neighbourhood(name: string, source: GraphSource, sources: ContextSources, txn: Transaction): Promise<SectionData> {
  const nodes = await need(sources.graph, name, 'graph', 'a GraphStore').traverse(
    {
      namespace: graphNamespace(name, source.namespace, sources),
      startNode: source.node,
      maxDepth: source.depth ?? 1,
      ...(source.direction === undefined ? {} : { direction: source.direction }),
      ...(source.edgeTypes === undefined ? {} : { edgeTypes: source.edgeTypes }),
    },
    { txn },
  );
  const rows = nodes.map((node) => ({
    id: node.id,
    type: node.type,
    depth: node.depth,
    via: node.via === null ? null : `${node.via.fromId} -${node.via.edgeType}-> ${node.via.toId}`,
    properties: cellOf(node.properties),
  }));
  return { kind: 'rows', fields: ['id', 'type', 'depth', 'via', 'properties'], rows };
}

async function temporalEdges(name: string, source: TemporalSource, sources: ContextSources, txn: Transaction): Promise<SectionData> {
  const edges = await need(sources.temporal, name, 'temporal', 'a TemporalGraph').query(
    {
      namespace: graphNamespace(name, source.namespace, sources),
      node: source.node,
      mode: 'point_in_time',
      timestamp: source.at ?? Date.now(),
      ...(source.edgeType === undefined ? {} : { edgeType: source.edgeType }),
      ...(source.direction === undefined ? {} : { direction: source.direction }),
    },
    { txn },
  );
  const rows = edges.map((edge) => recordOf({ ...edge }));
  return { kind: 'rows', fields: ['fromId', 'edgeType', 'toId', 'validFrom', 'validUntil', 'properties'], rows };
}
