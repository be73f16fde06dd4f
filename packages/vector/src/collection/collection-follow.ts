import { CommitFollower, decodeKey, type CommitChange, type Storage } from '@sochdb/core';
import { CollectionKeys } from './collection-keys.js';
import type { CollectionState } from './collection-state.js';
import { storedVector, type AppliedChunk, type AppliedWrite, type StoredDoc } from './documents.js';
import { hashDoc, normalizeLikeHnswlib } from '../hnsw/doc-vector.js';
import { CHUNK_DOCS } from '../text/postings-chunk.js';
import { decodeHeader } from './segment-header.js';

/** Own commits remembered for the feed to skip; beyond this the feed re-reads them (still right, only slower). */
const OWN_COMMITS_KEPT = 4096;

/**
 * Keeps an open collection's in-memory state (graph, BM25, filter columns) in step with every commit to
 * its documents, whoever made it: another process of a concurrent-mode database, another
 * Collection object on the same storage, raw key-value writes. Before a search or write answers,
 * `catchUp()` reads the storage's commit feed for the collection's keys, re-reads the documents
 * it names at one snapshot and applies them (new versions, replacements, deletes). This process's
 * own writes are applied at commit (`ownCommit`) and skipped by the feed.
 */
export class CollectionFollower {
  #state: CollectionState;
  readonly #follower: CommitFollower;
  /** Per commit LSN, the documents this process already applied from it. */
  readonly #own = new Map<bigint, Set<string>>();

  constructor(
    private readonly storage: Storage,
    private readonly keys: CollectionKeys,
    state: CollectionState,
    startLsn: bigint,
    private readonly reload: () => Promise<CollectionState>,
  ) {
    this.#state = state;
    // The namespace's range: the collection's documents and its config (a collection dropped and
    // created again elsewhere, with other settings, makes this one reload).
    this.#follower = new CommitFollower(
      storage,
      CollectionKeys.namespace(keys.namespace),
      { apply: (commits) => this.#apply(commits), reload: () => this.#reload() },
      startLsn,
    );
  }

  async #reload(): Promise<void> {
    this.#own.clear();
    const old = this.#state;
    this.#state = await this.reload();
    old.release();
  }

  get state(): CollectionState {
    return this.#state;
  }

  /** The LSN through which the state holds every commit (it may hold this process's later ones too). */
  get lsn(): bigint {
    return this.#follower.lsn;
  }

  /** Resolves once every commit made before the call is in the state. */
  async catchUp(): Promise<void> {
    await this.#follower.catchUp();
    this.#state.forgetDeletes(this.#follower.lsn);
  }

  /** Frees the state (the collection is closing): see CollectionState.release. */
  release(): void {
    this.#own.clear();
    this.#state.release();
  }

  /** This process applied `ids` from its commit at `lsn`: the feed need not read them again. */
  ownCommit(lsn: bigint, ids: readonly string[]): void {
    if (this.#own.size >= OWN_COMMITS_KEPT) this.#own.clear();
    const known = this.#own.get(lsn);
    if (known) for (const id of ids) known.add(id);
    else this.#own.set(lsn, new Set(ids));
  }

  async #apply(commits: readonly CommitChange[]): Promise<void> {
    const ids = new Set<string>();
    const segments = new Set<string>();
    const { name } = this.keys;
    for (const { lsn, keys } of commits) {
      const own = this.#own.get(lsn);
      this.#own.delete(lsn);
      for (const key of keys) {
        // ['vec', ns, 'd', name, kind, id]: vectors and records name a document; postings and
        // the saved graph are derived from them. ['vec', ns, 'c', name]: the settings, which
        // this process's own writes change only by fixing the dimension (already applied).
        const parts = decodeKey(key);
        if (parts[3] !== name) continue;
        if (parts[2] === 'c') {
          if (own) continue;
          return this.#reload();
        }
        const kind = parts[4];
        const id = parts[5];
        if ((kind === 'v' || kind === 'm' || kind === 't') && typeof id === 'string' && !own?.has(id)) ids.add(id);
        // A postings segment another process wrote or merged away: its header is read again, so
        // this process knows every segment (and can merge them) as if it had just opened.
        else if (kind === 's' && typeof id === 'string' && !own) segments.add(id);
      }
    }
    if (ids.size > 0 || segments.size > 0) await this.#refresh([...ids], [...segments]);
  }

  /**
   * Re-reads documents and postings segment headers at one snapshot and applies what is there
   * now (or that they are gone).
   */
  async #refresh(ids: readonly string[], segments: readonly string[]): Promise<void> {
    const snapshot = this.storage.snapshot();
    let values: (Buffer | undefined)[];
    let headers: (Buffer | undefined)[];
    let lsn: bigint;
    try {
      [values, headers] = await Promise.all([
        // Not the text: the records carry what the state keeps of it (lengths; postings are stored).
        snapshot.getMany(ids.flatMap((id) => [this.keys.doc(id), this.keys.vector(id)])),
        snapshot.getMany(segments.map((segment) => this.keys.segmentHeader(segment))),
      ]);
      lsn = snapshot.lsn;
    } finally {
      await snapshot.close();
    }
    const state = this.#state;
    this.#applyDocs(state, ids, values, lsn);
    // After the documents, so each segment's numbers are matched with the versions they index.
    segments.forEach((segment, i) => {
      const header = headers[i];
      if (header === undefined) state.keywords.forget(segment);
      else state.keywords.load(segment, decodeHeader(header, this.keys));
    });
  }

  #applyDocs(state: CollectionState, ids: readonly string[], values: readonly (Buffer | undefined)[], lsn: bigint): void {
    const bySegment = new Map<string, FollowedDoc[]>();
    ids.forEach((id, i) => {
      const record = values[2 * i];
      const bytes = values[2 * i + 1];
      if (!record || !bytes) return state.applyDelete(id, lsn);
      const stored = JSON.parse(record.toString('utf8')) as StoredDoc;
      const current = state.docs.get(id);
      if (current && (current.lsn > lsn || current.segment === stored.segment)) return;
      const doc: FollowedDoc = {
        id,
        vector: storedVector(bytes),
        metadataJson: JSON.stringify(stored.metadata),
        // The writer's hash and length, as an open takes them (records written before hashes
        // were stored get theirs computed, as the open's check computes them).
        hash: stored.hash === undefined ? hashDoc(id, bytes) : BigInt(`0x${stored.hash}`),
        length: stored.length ?? 0,
      };
      const group = bySegment.get(stored.segment);
      if (group) group.push(doc);
      else bySegment.set(stored.segment, [doc]);
    });
    const cosine = state.info.metric === 'cosine';
    for (const [segment, docs] of bySegment) state.applyInserts(appliedWrite(docs, segment, cosine), lsn);
  }
}

/** A document another writer committed, as its records give it. */
interface FollowedDoc {
  readonly id: string;
  readonly vector: Float32Array;
  readonly metadataJson: string;
  readonly hash: bigint;
  readonly length: number;
}

/** Documents read back from storage, chunked as the state applies a write (see `AppliedWrite`). */
function appliedWrite(docs: readonly FollowedDoc[], segment: string, cosine: boolean): AppliedWrite {
  const chunks: AppliedChunk[] = [];
  for (let from = 0; from < docs.length; from += CHUNK_DOCS) {
    const chunk = docs.slice(from, from + CHUNK_DOCS);
    const dimension = chunk[0]!.vector.length;
    let unitVectors: Float32Array | undefined;
    if (cosine) {
      unitVectors = new Float32Array(chunk.length * dimension);
      chunk.forEach((doc, d) => {
        unitVectors!.set(doc.vector, d * dimension);
        normalizeLikeHnswlib(unitVectors!, d * dimension, (d + 1) * dimension);
      });
    }
    chunks.push({
      hashes: BigUint64Array.from(chunk, (doc) => doc.hash),
      postings: { lengths: Int32Array.from(chunk, (doc) => doc.length) },
      unitVectors,
    });
  }
  return { docs, chunks, segment };
}
