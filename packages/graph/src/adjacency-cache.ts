import { CommitFollower, decodeKey, keyRange, type CommitChange, type Storage, type StorageSnapshot } from '@sochdb/core';

/** One stored adjacency entry of a node: the edge type, the node at the other end, the properties' JSON. */
export interface RawEdge {
  readonly edgeType: string;
  readonly otherId: string;
  readonly json: string;
}

type Kind = 'n' | 'o' | 'i';

interface Entry {
  readonly ns: string;
  readonly kind: Kind;
  readonly id: string;
  /** The snapshot LSN it was read at: it holds every commit up to there. */
  readonly lsn: bigint;
  /** A node record's JSON (undefined: no such node), or one side's adjacency in key order. */
  readonly value: string | undefined | readonly RawEdge[];
  readonly weight: number;
  /** Used since it was stored or last passed over by eviction (a second chance: CLOCK). */
  used: boolean;
}

/** A read's view of the cache: entries valid at the read's snapshot, and where to store misses. */
export interface CacheLease {
  readonly cache: AdjacencyCache;
  /** The snapshot's LSN; every commit through it has been applied to the cache. */
  readonly lsn: bigint;
}

/**
 * Node records and adjacency lists of every namespace, kept across calls and bounded (an approximate LRU
 * weighed by entries: a node record or an adjacency list counts 1 plus its edges), kept correct by
 * following the commit feed of the graph's keys, whoever commits: the entries of every node a
 * commit touched are dropped (and read again on the next miss); a gap in the feed clears it all.
 *
 * Correctness rests on two LSN rules. An entry read at snapshot LSN `s` is stored only when every
 * commit already applied (dropped) is at most `s`: a later commit that touches it is applied after
 * it is stored, and drops it. A read at snapshot LSN `r` uses an entry only when its `s ≤ r` and
 * every commit through `r` has been applied: the entry then equals what the snapshot holds.
 */
export class AdjacencyCache {
  /** Per namespace, per kind, per node id (nested, so a lookup builds no string). */
  readonly #index = new Map<string, Record<Kind, Map<string, Entry>>>();
  /** Every entry, oldest first (CLOCK order). */
  readonly #entries = new Set<Entry>();
  #weight = 0;
  /** The newest commit applied to the cache (entries it touched dropped), or the LSN of the last reload. */
  #horizon = 0n;
  #follower: CommitFollower | undefined;
  #starting: Promise<CommitFollower> | undefined;

  constructor(
    private readonly storage: Storage,
    readonly capacity: number,
  ) {}

  /**
   * Opens the snapshot a read outside a transaction runs on and, when the cache can serve that
   * snapshot, catches up with the commit feed and returns the lease to use with it.
   */
  async lease(): Promise<{ lease: CacheLease | undefined; snapshot: StorageSnapshot } | undefined> {
    if (this.capacity <= 0 || !this.storage.supports.snapshots) return undefined;
    // Taken first, so every commit it holds was made before the catch-up below starts.
    const snapshot = this.storage.snapshot();
    // An inexact snapshot (a concurrent-mode client's) may hold one commit past its LSN, which
    // entries cannot be checked against: such reads bypass the cache.
    if (!snapshot.exact) return { lease: undefined, snapshot };
    // A snapshot whose LSN is not known yet reads 0 (PostgreSQL's, until its BEGIN is answered):
    // nothing can be checked against it either, so it bypasses too (so does an empty storage's).
    if (snapshot.lsn === 0n) return { lease: undefined, snapshot };
    try {
      const follower = this.#follower ?? (await this.#start());
      await follower.catchUp();
      return { lease: snapshot.lsn <= follower.lsn ? { cache: this, lsn: snapshot.lsn } : undefined, snapshot };
    } catch (error) {
      await snapshot.close();
      throw error;
    }
  }

  #start(): Promise<CommitFollower> {
    this.#starting ??= (async () => {
      // The cache is empty: it reflects every commit up to now.
      const lsn = await this.storage.latestLsn();
      if (lsn > this.#horizon) this.#horizon = lsn;
      this.#follower = new CommitFollower(this.storage, keyRange(['g']), { apply: async (c) => this.#apply(c), reload: () => this.#reload() }, lsn);
      return this.#follower;
    })();
    return this.#starting;
  }

  /** A node record (`undefined` value: known missing), or undefined when not cached at `lsn`. */
  node(ns: string, id: string, lsn: bigint): { value: string | undefined } | undefined {
    const entry = this.#get(ns, 'n', id, lsn);
    return entry === undefined ? undefined : { value: entry.value as string | undefined };
  }

  /** One side of a node's adjacency (all edge types, in key order), or undefined when not cached at `lsn`. */
  side(ns: string, side: 'o' | 'i', id: string, lsn: bigint): readonly RawEdge[] | undefined {
    return this.#get(ns, side, id, lsn)?.value as readonly RawEdge[] | undefined;
  }

  putNode(ns: string, id: string, value: string | undefined, lsn: bigint): void {
    this.#put({ ns, kind: 'n', id, lsn, value, weight: 1, used: false });
  }

  putSide(ns: string, side: 'o' | 'i', id: string, edges: readonly RawEdge[], lsn: bigint): void {
    this.#put({ ns, kind: side, id, lsn, value: edges, weight: 1 + edges.length, used: false });
  }

  /** How many entries and how much weight the cache holds (for tests). */
  get stats(): { entries: number; weight: number } {
    return { entries: this.#entries.size, weight: this.#weight };
  }

  #get(ns: string, kind: Kind, id: string, lsn: bigint): Entry | undefined {
    const entry = this.#index.get(ns)?.[kind].get(id);
    if (entry === undefined || entry.lsn > lsn) return undefined;
    // Marked rather than moved: a hit must be cheap; eviction moves marked entries to the back.
    entry.used = true;
    return entry;
  }

  #put(entry: Entry): void {
    // Read before a commit this cache already applied: it may miss that commit's writes.
    if (entry.lsn < this.#horizon || entry.weight > this.capacity) return;
    let byKind = this.#index.get(entry.ns);
    if (byKind === undefined) {
      byKind = { n: new Map(), o: new Map(), i: new Map() };
      this.#index.set(entry.ns, byKind);
    }
    const map = byKind[entry.kind];
    const old = map.get(entry.id);
    if (old !== undefined) this.#remove(old);
    map.set(entry.id, entry);
    this.#entries.add(entry);
    this.#weight += entry.weight;
    for (const oldest of this.#entries) {
      if (this.#weight <= this.capacity) break;
      if (oldest.used && oldest !== entry) {
        // Used since it was last passed over: keep it, as the most recent.
        oldest.used = false;
        this.#entries.delete(oldest);
        this.#entries.add(oldest);
      } else this.#remove(oldest);
    }
  }

  #drop(ns: string, kind: Kind, id: string): void {
    const entry = this.#index.get(ns)?.[kind].get(id);
    if (entry !== undefined) this.#remove(entry);
  }

  #remove(entry: Entry): void {
    const byKind = this.#index.get(entry.ns)!;
    byKind[entry.kind].delete(entry.id);
    if (byKind.n.size === 0 && byKind.o.size === 0 && byKind.i.size === 0) this.#index.delete(entry.ns);
    this.#entries.delete(entry);
    this.#weight -= entry.weight;
  }

  // Synchronous on purpose: no read can store an entry between dropping and raising the horizon.
  #apply(commits: readonly CommitChange[]): void {
    if (this.#entries.size > 0) {
      for (const { keys } of commits) {
        for (const k of keys) {
          // ['g', ns, 'n', id] | ['g', ns, 'o' | 'i', id, type, other]
          let parts;
          try {
            parts = decodeKey(k);
          } catch {
            // Not a graph key after all (raw bytes written under the prefix): forget everything.
            this.#clear();
            continue;
          }
          const [, ns, kind, id] = parts;
          if (typeof ns === 'string' && (kind === 'n' || kind === 'o' || kind === 'i') && typeof id === 'string') this.#drop(ns, kind, id);
        }
      }
    }
    const last = commits[commits.length - 1];
    if (last !== undefined && last.lsn > this.#horizon) this.#horizon = last.lsn;
  }

  #clear(): void {
    this.#index.clear();
    this.#entries.clear();
    this.#weight = 0;
  }

  async #reload(): Promise<void> {
    const lsn = await this.storage.latestLsn();
    this.#clear();
    if (lsn > this.#horizon) this.#horizon = lsn;
  }
}
