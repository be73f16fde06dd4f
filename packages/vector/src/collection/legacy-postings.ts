import { decodeKey, type KeyValueStore, type Storage, type WriteOp } from '@sochdb/core';
import { selectDocs, type GroupedPostings } from '../text/grouped-postings.js';
import { encodeBuckets } from '../text/posting-block.js';
import { decodeChunk } from '../text/postings-chunk.js';
import type { CollectionKeys } from './collection-keys.js';
import type { StoredDoc } from './documents.js';
import { chunkSegmentId, segmentOps } from './postings.js';
import { damaged } from './segment-header.js';

/**
 * Converts postings stored by earlier versions under `['p', segment, …]` — a write's postings in
 * chunks (`['p', segment, chunk]`, postings-chunk.ts) or, earlier still, one JSON value per term
 * (`['p', segment, term]`: `[id, tf, …]`) — into term-keyed segments (postings.ts), keeping only
 * live postings. Runs at open, before anything reads postings: one transaction per chunk (per
 * segment for the per-term format), so a crash part-way leaves the rest for the next open, and
 * two processes converting at once conflict and one retries (finding nothing left to do).
 */
export async function convertLegacyPostings(storage: Storage, keys: CollectionKeys): Promise<void> {
  for (;;) {
    const next = await firstKey(storage, keys);
    if (next === undefined) return;
    const parts = decodeKey(next);
    const segment = parts[parts.length - 2] as string;
    const last = parts[parts.length - 1]!;
    await storage.transaction((txn) => (typeof last === 'number' ? convertChunk(txn, keys, segment, last) : convertPerTerm(txn, keys, segment)), {
      retries: 5,
    });
  }
}

async function firstKey(storage: Storage, keys: CollectionKeys): Promise<Buffer | undefined> {
  for await (const [key] of storage.iterator({ ...keys.range('p'), limit: 1 })) return key;
  return undefined;
}

/** Document numbers of a converted chunk stay its own (d), so its stored segment is `segment.chunk`. */
async function convertChunk(txn: KeyValueStore, keys: CollectionKeys, segment: string, chunk: number): Promise<void> {
  const key = keys.legacyChunk(segment, chunk);
  const value = await txn.get(key);
  if (value === undefined) return; // converted by another process meanwhile
  let decoded;
  try {
    decoded = decodeChunk(value);
  } catch (error) {
    throw damaged(keys, `a postings chunk is unreadable: ${(error as Error).message}`);
  }
  const live = await liveIn(txn, keys, decoded.ids, segment);
  const { group, kept } = selectDocs(decoded.postings, (d) => live[d]!);
  const ids = kept.map((d) => decoded.ids[d]!);
  await txn.batch([{ type: 'del', key }, ...segmentOps(keys, chunkSegmentId(segment, chunk), { ids, origins: [segment] }, encodeBuckets(group))]);
}

async function convertPerTerm(txn: KeyValueStore, keys: CollectionKeys, segment: string): Promise<void> {
  const ops: WriteOp[] = [];
  const perDoc = new Map<string, Map<string, number>>();
  for await (const [key, value] of txn.iterator(keys.legacySegment(segment))) {
    const parts = decodeKey(key);
    const term = parts[parts.length - 1];
    ops.push({ type: 'del', key });
    if (typeof term !== 'string') continue; // a chunk among per-term values: never written so; dropped with them
    let list: unknown;
    try {
      list = JSON.parse(value.toString('utf8'));
    } catch {
      throw damaged(keys, 'a per-term postings value is not JSON');
    }
    if (!Array.isArray(list)) throw damaged(keys, 'a per-term postings value is not a list');
    const pairs = list as unknown[];
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const id = pairs[i];
      const tf = pairs[i + 1];
      if (typeof id !== 'string' || !Number.isInteger(tf) || (tf as number) < 1) throw damaged(keys, 'a per-term postings value holds a bad posting');
      let terms = perDoc.get(id);
      if (!terms) perDoc.set(id, (terms = new Map<string, number>()));
      terms.set(term, tf as number);
    }
  }
  const ids = [...perDoc.keys()];
  const live = await liveIn(txn, keys, ids, segment);
  const kept = ids.filter((_, i) => live[i]);
  // Numbered in chunks as a write's documents are, so no stored segment grows past a write's.
  for (let c = 0; c * CHUNK_OF_LEGACY < kept.length; c++) {
    const part = kept.slice(c * CHUNK_OF_LEGACY, (c + 1) * CHUNK_OF_LEGACY);
    ops.push(...segmentOps(keys, chunkSegmentId(segment, c), { ids: part, origins: [segment] }, encodeBuckets(termMajor(part.map((id) => perDoc.get(id)!)))));
  }
  await txn.batch(ops);
}

const CHUNK_OF_LEGACY = 2048;

/** Per id: whether its record names `segment` (its postings there are live). */
async function liveIn(txn: KeyValueStore, keys: CollectionKeys, ids: readonly string[], segment: string): Promise<boolean[]> {
  const records = await txn.getMany(ids.map((id) => keys.doc(id)));
  return records.map((record) => record !== undefined && (JSON.parse(record.toString('utf8')) as StoredDoc).segment === segment);
}

/** Term-major postings of documents given as term → tf maps (document d is `docs[d]`). */
function termMajor(docs: readonly ReadonlyMap<string, number>[]): Pick<GroupedPostings, 'terms' | 'termStart' | 'docs' | 'tfs'> {
  const byTerm = new Map<string, number[]>();
  docs.forEach((terms, d) => {
    for (const [term, tf] of terms) {
      const list = byTerm.get(term);
      if (list) list.push(d, tf);
      else byTerm.set(term, [d, tf]);
    }
  });
  const terms = [...byTerm.keys()];
  const termStart = new Int32Array(terms.length + 1);
  terms.forEach((term, t) => (termStart[t + 1] = termStart[t]! + byTerm.get(term)!.length / 2));
  const out = { docs: new Int32Array(termStart[terms.length]!), tfs: new Int32Array(termStart[terms.length]!) };
  terms.forEach((term, t) => {
    const list = byTerm.get(term)!;
    for (let i = 0; i < list.length; i += 2) {
      out.docs[termStart[t]! + i / 2] = list[i]!;
      out.tfs[termStart[t]! + i / 2] = list[i + 1]!;
    }
  });
  return { terms, termStart, ...out };
}
