import { CommitFollower, decodeKey, type CommitChange, type Storage } from '@sochdb/core';
import { textAnalysisOf } from './collection-config.js';
import { CollectionKeys } from './collection-keys.js';
import type { CollectionState } from './collection-state.js';
import { contentOf, storedVector, type PreparedDoc, type StoredDoc } from './documents.js';
import { prepareChunks } from '../prepare/text-grouping.js';
import { decodeHeader } from './segment-header.js';

/** Own commits remembered for the feed to skip; beyond this the feed re-reads them (still right, only slower). */
const OWN_COMMITS_KEPT = 4096;

/**
 * Keeps an open collection's in-memory state (graph, BM25, metadata) in step with every commit to
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
        snapshot.getMany(ids.flatMap((id) => [this.keys.doc(id), this.keys.vector(id), this.keys.text(id)])),
        snapshot.getMany(segments.map((segment) => this.keys.segmentHeader(segment))),
      ]);
      lsn = snapshot.lsn;
    } finally {
      await snapshot.close();
    }
    const state = this.#state;
    await this.#applyDocs(state, ids, values, lsn);
    // After the documents, so each segment's numbers are matched with the versions they index.
    if (this.#state !== state) return;
    segments.forEach((segment, i) => {
      const header = headers[i];
      if (header === undefined) state.keywords.forget(segment);
      else state.keywords.load(segment, decodeHeader(header, this.keys));
    });
  }

  async #applyDocs(state: CollectionState, ids: readonly string[], values: readonly (Buffer | undefined)[], lsn: bigint): Promise<void> {
    const bySegment = new Map<string, PreparedDoc[]>();
    ids.forEach((id, i) => {
      const record = values[3 * i];
      const bytes = values[3 * i + 1];
      if (!record || !bytes) return state.applyDelete(id, lsn);
      const stored = JSON.parse(record.toString('utf8')) as StoredDoc;
      const current = state.docs.get(id);
      if (current && (current.lsn > lsn || current.segment === stored.segment)) return;
      const vector = storedVector(bytes);
      const vectorBytes = Buffer.from(vector.buffer);
      const doc: PreparedDoc = {
        id,
        vector,
        vectorBytes,
        metadata: stored.metadata,
        metadataJson: JSON.stringify(stored.metadata),
        content: contentOf(stored, values[3 * i + 2]),
      };
      const group = bySegment.get(stored.segment);
      if (group) group.push(doc);
      else bySegment.set(stored.segment, [doc]);
    });
    for (const [segment, docs] of bySegment) {
      // The same tokenizing and hashing as the writer's, so postings and digest come out as stored.
      const chunks = await prepareChunks({
        ids: docs.map((d) => d.id),
        contents: docs.map((d) => d.content),
        metadataJsons: docs.map((d) => d.metadataJson),
        vectors: { rows: docs.map((d) => d.vector), dimension: docs[0]!.vector.length, normalize: state.info.metric === 'cosine' },
        segment,
        text: textAnalysisOf(state.info),
      });
      // A reload may have replaced the state meanwhile; it then holds these documents already.
      if (this.#state === state) state.applyInserts({ docs, chunks, segment }, lsn);
    }
  }
}
