import { decodeKey, type KeyValueReader, type StorageSnapshot } from '@sochdb/core';
import { analyzerOf, type TextAnalysis } from '../text/analyzer.js';
import { keepBest, type KeywordHit } from '../text/bm25.js';
import { prunedTopK, type WeightedTerm } from '../text/bm25-prune.js';
import { bucketOf, decodeBlock, findInBucket } from '../text/posting-block.js';
import { HEADER, liveCount, NO_POSTINGS, packBlock, storedSource, type LoadedSegment } from './stored-scoring.js';
import type { CollectionKeys } from './collection-keys.js';
import type { ByteCache } from './vector-cache.js';
import { decodeHeader, originAt, readStored, type MergeResult, type SegmentHeader } from './segment-header.js';

/** BM25 parameters of collections (those of `Bm25Index`'s defaults, so both score alike). */
const K1 = 1.2;
const B = 0.75;

/**
 * The part of a collection's BM25 index kept in memory: per document (a slot) its length and the
 * write segment its record names, and per stored segment the slots of its document numbers. The
 * postings themselves stay in storage and a query reads only its own terms' (`search`), so opening
 * a collection reads no postings and its memory does not grow with its text.
 *
 * A posting counts only while its document's record names the write the posting came from (as
 * it always has, see postings.ts): deleting or replacing a document bumps its slot's generation,
 * and its postings in every segment are dead from then on, with nothing rewritten.
 */
export class KeywordIndex {
  readonly #analyze: (text: string) => string[];
  readonly #slotOf = new Map<string, number>();
  #idAt: (string | undefined)[] = [];
  /** Per slot: the write segment its document's record names. */
  #originAt: (string | undefined)[] = [];
  /** Per slot: the loaded segment and document number its postings count in, for live counts. */
  #segmentAt: (LoadedSegment | undefined)[] = [];
  #numberAt = new Int32Array(64);
  readonly #free: number[] = [];
  #lengths = new Float64Array(64);
  #generations = new Uint32Array(64);
  #scores = new Float64Array(64);
  #totalLength = 0;
  readonly #segments = new Map<string, LoadedSegment>();
  /** Write segment → the loaded segments holding its documents' postings. */
  readonly #holders = new Map<string, LoadedSegment[]>();
  #loads = 0;
  /** Hands out `LoadedSegment.version`s. */
  #versions = 0;
  /** Postings of a term in a segment read by queries (immutable once written: see ByteCache). */
  readonly #cache: ByteCache<Int32Array>;

  constructor(text: TextAnalysis, cache: ByteCache<Int32Array>) {
    this.#analyze = analyzerOf(text);
    this.#cache = cache;
  }

  /** Number of documents (BM25's N: documents without text count too). */
  get size(): number {
    return this.#slotOf.size;
  }

  /** The loaded segments, each with its slots current (for maintenance: see postings.ts). */
  get segments(): ReadonlyMap<string, LoadedSegment> {
    for (const segment of this.#segments.values()) if (segment.stale) this.#refresh(segment);
    return this.#segments;
  }

  /** Adds a document version: its record names `origin` and gives its `length` (replacing any earlier version). */
  add(id: string, origin: string, length: number): void {
    this.remove(id);
    this.#place(id, origin, length);
  }

  /**
   * `add` for an open, which tracks each stored document once before any segment is loaded: no
   * earlier version to remove (looking for one cost half a second at a million documents).
   */
  addLoaded(id: string, origin: string, length: number): void {
    this.#place(id, origin, length);
  }

  #place(id: string, origin: string, length: number): void {
    const slot = this.#free.pop() ?? this.#idAt.length;
    if (slot >= this.#lengths.length) this.#grow();
    this.#slotOf.set(id, slot);
    this.#idAt[slot] = id;
    this.#originAt[slot] = origin;
    this.#segmentAt[slot] = undefined;
    this.#lengths[slot] = length;
    this.#totalLength += length;
    // A segment already loaded that holds this write's postings computed its slots without it.
    for (const segment of this.#holders.get(origin) ?? []) segment.stale = true;
  }

  /** A document's length (its tokens), or undefined when it is not indexed. */
  lengthOf(id: string): number | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : this.#lengths[slot];
  }

  /** Removes a document; its postings are dead everywhere from now on. */
  remove(id: string): void {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return;
    const segment = this.#segmentAt[slot];
    if (segment && !segment.stale && segment.slots[this.#numberAt[slot]!] === slot && segment.gens[this.#numberAt[slot]!] === this.#generations[slot]) {
      segment.live--;
      segment.version = ++this.#versions;
    }
    this.#generations[slot]!++;
    this.#totalLength -= this.#lengths[slot]!;
    this.#lengths[slot] = 0;
    this.#idAt[slot] = undefined;
    this.#originAt[slot] = undefined;
    this.#segmentAt[slot] = undefined;
    this.#slotOf.delete(id);
    this.#free.push(slot);
  }

  /** Starts tracking a stored segment (replacing what was known of it). */
  load(id: string, header: SegmentHeader): LoadedSegment {
    this.forget(id);
    const n = header.ids.length;
    const segment: LoadedSegment = {
      id,
      header,
      slots: new Int32Array(n),
      gens: new Uint32Array(n),
      loadedAt: this.#loads++,
      version: 0,
      live: 0,
      stale: true,
    };
    this.#segments.set(id, segment);
    for (const origin of header.origins) {
      const holders = this.#holders.get(origin);
      if (holders) holders.push(segment);
      else this.#holders.set(origin, [segment]);
    }
    // Its slots are computed on first use (a query, or `segments`), not here: an open loads every
    // segment, and a collection only searched by vector never needs them.
    return segment;
  }

  /** Stops tracking a stored segment (merged away, or changed by another process: loaded again when read). */
  forget(id: string): void {
    const segment = this.#segments.get(id);
    if (!segment) return;
    this.#segments.delete(id);
    for (const origin of segment.header.origins) {
      const holders = this.#holders.get(origin)?.filter((s) => s !== segment) ?? [];
      if (holders.length > 0) this.#holders.set(origin, holders);
      else this.#holders.delete(origin);
    }
  }

  /** A merge committed (see postings.ts): its segments are gone, and the one it wrote is tracked. */
  applyMerge(result: MergeResult): void {
    for (const id of result.removed) this.forget(id);
    if (result.added) this.load(result.added.id, result.added.header);
  }

  /**
   * The loaded segment where the current version of document `id` has its postings counted, among
   * segments whose slots are current (read `segments` first to bring them all up to date).
   */
  segmentOf(id: string): string | undefined {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return undefined;
    const segment = this.#segmentAt[slot];
    return segment && this.#segments.get(segment.id) === segment ? segment.id : undefined;
  }

  /** Computes a segment's slots from the documents known now. */
  #refresh(segment: LoadedSegment): void {
    const { header, slots, gens } = segment;
    let live = 0;
    for (let j = 0; j < header.ids.length; j++) {
      const slot = this.#slotOf.get(header.ids[j]!);
      if (slot === undefined || this.#originAt[slot] !== originAt(header, j)) {
        slots[j] = -1;
        continue;
      }
      slots[j] = slot;
      gens[j] = this.#generations[slot]!;
      this.#segmentAt[slot] = segment;
      this.#numberAt[slot] = j;
      live++;
    }
    segment.live = live;
    segment.stale = false;
    segment.version = ++this.#versions;
  }

  /**
   * The k best documents for `query` (by BM25 score descending, ties by id), reading from `reader`
   * (a snapshot, so a merge committed meanwhile is seen whole or not at all) one bucket per query
   * term and segment, through the postings cache. Scores are those of a `Bm25Index` holding the
   * same documents. `allowed` filters by id. A segment gone at the snapshot (another process
   * merged it since this one followed) makes the query read the headers there, take the segments
   * the snapshot has (dropping those it has not), and read again.
   */
  async search(reader: KeyValueReader, keys: CollectionKeys, query: string, k: number, allowed?: (id: string) => boolean): Promise<KeywordHit[]> {
    const occurrences = new Map<string, number>();
    for (const term of this.#analyze(query)) occurrences.set(term, (occurrences.get(term) ?? 0) + 1);
    const terms = [...occurrences.keys()];
    const termBytes = terms.map((term) => Buffer.from(term, 'utf8'));
    // Segments loaded from now on (a write applied while this query awaits storage) are newer
    // than the snapshot: not read, and not dropped for being absent from it.
    const loadedBefore = this.#loads;
    let segments = [...this.#segments.values()];
    const T = terms.length;
    const postings = new Map(terms.map((term) => [term, new Map<LoadedSegment, Int32Array>()]));
    for (let attempt = 0; T > 0; attempt++) {
      const blocks = await this.#blocks(reader, keys, segments, terms, termBytes);
      const gone = (s: number) => blocks.slice(s * T, (s + 1) * T).includes(undefined);
      const vanished = segments.some((_, s) => gone(s));
      if (!vanished || attempt > 0) {
        segments.forEach((segment, s) => {
          if (gone(s)) return;
          if (segment.stale) this.#refresh(segment);
          terms.forEach((term, t) => {
            const block = blocks[s * T + t]!;
            if (block.length > HEADER) postings.get(term)!.set(segment, block);
          });
        });
        break;
      }
      // Reconciled with the snapshot's headers, the second attempt reads exactly its segments.
      const present = new Map<string, Buffer>();
      for await (const [key, value] of reader.iterator(keys.range('s'))) present.set(decodeKey(key).at(-1) as string, value);
      for (const segment of [...this.#segments.values()]) if (segment.loadedAt < loadedBefore && !present.has(segment.id)) this.forget(segment.id);
      for (const [id, header] of present) if (!this.#segments.has(id)) this.load(id, decodeHeader(header, keys));
      segments = [...present.keys()].map((id) => this.#segments.get(id)).filter((segment) => segment !== undefined);
    }
    // Scored now, synchronously: writes applied while the postings were read (this awaited
    // storage) count as they do for every other part of the state.
    const n = this.size;
    const averageLength = n === 0 ? 1 : this.#totalLength / n || 1;
    const weighted: WeightedTerm[] = [];
    occurrences.forEach((count, term) => {
      // df is the number of live postings: exact, with no counter to keep in step.
      let df = 0;
      for (const [segment, block] of postings.get(term)!) df += liveCount(segment, block, this.#generations);
      // The same weights, in the same query order, as Bm25Index: bit-identical scores.
      if (df > 0) weighted.push({ term, weight: Math.log((n - df + 0.5) / (df + 0.5) + 1) * count });
    });
    if (weighted.length === 0) return [];
    const slots = { lengths: this.#lengths, scores: this.#scores, generations: this.#generations, segmentAt: this.#segmentAt, numberAt: this.#numberAt };
    const found = prunedTopK(storedSource(slots, postings, K1, B, averageLength), weighted, k, allowedSlots(allowed, this.#idAt));
    const best: KeywordHit[] = [];
    for (const [slot, score] of found) keepBest(best, { id: this.#idAt[slot]!, score }, k);
    return best;
  }

  /**
   * Each segment's postings of each term (segment-major) as `[docs…, tfs…]` (empty when the
   * segment lacks the term), from the cache or from the term's bucket in `reader`; undefined where
   * the snapshot lacks the segment.
   */
  async #blocks(
    reader: KeyValueReader,
    keys: CollectionKeys,
    segments: readonly LoadedSegment[],
    terms: readonly string[],
    termBytes: readonly Buffer[],
  ): Promise<(Int32Array | undefined)[]> {
    const T = terms.length;
    const names: string[] = [];
    const missing: number[] = [];
    const blocks: (Int32Array | undefined)[] = [];
    for (const segment of segments) {
      for (const term of terms) {
        const name = `${segment.id}\u0000${term}`;
        const cached = this.#cache.peek(name);
        if (cached === undefined) missing.push(blocks.length);
        blocks.push(cached);
        names.push(name);
      }
    }
    if (missing.length === 0) return blocks;
    const wanted = missing.map((i) => {
      const segment = segments[Math.floor(i / T)]!;
      return keys.bucket(segment.id, bucketOf(termBytes[i % T]!, segment.header.buckets));
    });
    // Synchronous point reads where the snapshot has them: a getMany's trip through the thread
    // pool cost more than the rest of a query on 10k documents.
    const { getSync } = reader as StorageSnapshot;
    const buckets = getSync ? wanted.map((key) => getSync(key)) : await reader.getMany(wanted);
    missing.forEach((i, m) => {
      const bucket = buckets[m];
      if (bucket === undefined) return;
      const found = readStored(keys, () => findInBucket(bucket, termBytes[i % T]!));
      const block = found === undefined ? NO_POSTINGS : packBlock(readStored(keys, () => decodeBlock(found)));
      blocks[i] = block;
      this.#cache.set(names[i]!, block);
    });
    return blocks;
  }

  #grow(): void {
    const size = this.#lengths.length * 2;
    this.#lengths = grown(this.#lengths, new Float64Array(size));
    this.#scores = grown(this.#scores, new Float64Array(size));
    this.#generations = grown(this.#generations, new Uint32Array(size));
    this.#numberAt = grown(this.#numberAt, new Int32Array(size));
  }
}

/** A slot filter from an id filter, asking it once per document. */
function allowedSlots(allowed: ((id: string) => boolean) | undefined, idAt: readonly (string | undefined)[]): ((slot: number) => boolean) | undefined {
  if (allowed === undefined) return undefined;
  const seen = new Map<number, boolean>();
  return (slot) => {
    let ok = seen.get(slot);
    if (ok === undefined) seen.set(slot, (ok = allowed(idAt[slot]!)));
    return ok;
  };
}

function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
