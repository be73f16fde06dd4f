import type { KeyValueReader, Storage } from '@sochdb/core';
import type { CollectionInfo } from './collection-config.js';
import type { CollectionKeys } from './collection-keys.js';
import { recordSummary } from './documents.js';
import { entryBatches } from './entry-batches.js';
import { readDocsTable, unchangedSince, type DocsTable } from './saved-docs.js';
import { digestOf, type SavedGraph } from './saved-graph.js';
import type { GraphMeta } from './saved-meta.js';

// What an open knows of every document before it tracks them: read from the records, or taken
// from the documents' table saved with the graph when nothing changed since (saved-docs.ts).

/** What an open reads of every record: ids, write segments and BM25 lengths in key order, and digest hashes. */
export interface LoadedRecords {
  readonly ids: readonly string[];
  readonly origins: readonly string[];
  readonly lengths: readonly number[];
  /** Every record's digest hash, unless one lacks it (written before records carried them). */
  readonly known?: readonly bigint[] | undefined;
}

/** Reads every record's summary (not its text or metadata: see `recordSummary`). */
export async function scanRecords(store: KeyValueReader, keys: CollectionKeys): Promise<LoadedRecords> {
  // Arrays: maps keyed by a million ids were a third of this loop.
  const ids: string[] = [];
  const origins: string[] = [];
  const lengths: number[] = [];
  let known: bigint[] | undefined = [];
  // One string per write segment, not one per document that names it (40 MB at a million).
  const segments = new Map<string, string>();
  for await (const batch of entryBatches(store, keys.range('m'))) {
    for (const [k, v] of batch) {
      const id = keys.idOf(k);
      const { segment, length, hash } = recordSummary(v);
      let shared = segments.get(segment);
      if (shared === undefined) segments.set(segment, (shared = segment));
      ids.push(id);
      origins.push(shared);
      lengths.push(length);
      if (known === undefined) continue;
      if (hash === undefined) known = undefined;
      else known.push(hash);
    }
  }
  return { ids, origins, lengths, known };
}

/**
 * The saved documents' table and the graph saved with it, when `feed` proves no commit touched the
 * documents since the save (see saved-docs.ts) and both agree with the saved meta: its digest and
 * count, the collection's settings. Otherwise undefined, and the open reads every record.
 */
export async function savedTable(
  store: KeyValueReader,
  feed: Storage,
  keys: CollectionKeys,
  info: CollectionInfo,
  latest: bigint,
  saved: Promise<SavedGraph | undefined>,
): Promise<{ readonly rows: DocsTable; readonly graph: SavedGraph; readonly digest: bigint } | undefined> {
  const raw = await store.get(keys.graphMeta());
  const meta = raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as GraphMeta);
  if (meta?.docs === undefined || meta.hashChunks === undefined) return undefined;
  if (!(await unchangedSince(feed, keys, BigInt(meta.docs.appliedLsn), latest))) return undefined;
  const restored = await saved;
  if (restored === undefined || restored.missing.length > 0 || !sameSave(restored.meta, meta)) return undefined;
  const { graph } = restored;
  if (graph.metric !== info.metric || graph.m !== info.m || graph.efConstruction !== info.efConstruction) return undefined;
  const hashes = await restored.hashes?.();
  const rows = hashes && (await readDocsTable(store, keys, meta.docs, graph, hashes));
  if (rows === undefined || rows.ids.length !== meta.count) return undefined;
  const digest = digestOf(rows.hashes);
  return digest.toString() === meta.digest ? { rows, graph: restored, digest } : undefined;
}

/** Whether two reads of a graph's meta are of the same save. */
function sameSave(a: GraphMeta, b: GraphMeta): boolean {
  return a.digest === b.digest && a.count === b.count && a.chunks === b.chunks && a.docs?.appliedLsn === b.docs?.appliedLsn && a.file?.name === b.file?.name;
}
