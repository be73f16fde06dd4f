import {
  checkRetries,
  decodeKey,
  deleteRange,
  encodeKey,
  keyRange,
  readWith,
  ValidationError,
  writeWith,
  type KeyValueReader,
  type KeyValueStore,
  type Storage,
} from '@sochdb/core';
import { TemporalEdgeNotFoundError, TemporalOverlapError } from './errors.js';
import { serializeJson } from '@sochdb/core';
import { fromNewestFirst, headKey, newestFirst, startKey, versionKey, versionPrefix, type Side } from './keys.js';
import { parse, readRange, sortEdges, validAt, validDuring, type StoredHead, type StoredVersion } from './queries.js';
import type { AddTemporalEdgeOptions, EndTemporalEdgeOptions, TemporalTxnOptions, TemporalEdge, TemporalEdgeRef, TemporalQuery } from './types.js';
import { optionalName, requireDirection, requireInterval, requireName, requireOptions, requireTime } from './validate.js';

/** Options of `new TemporalGraph(storage, options)`. */
export interface TemporalGraphOptions {
  /**
   * The clock for `mode: 'current'` and `endTemporalEdge` without `at` (default `Date.now`).
   *
   * @example
   * ```ts
   * // A fixed clock makes `mode: 'current'` and `endTemporalEdge` without `at` reproducible in tests.
   * const temporal = new TemporalGraph(storage, { now: () => Date.parse('2024-01-01'), retries: 3 });
   * ```
   */
  readonly now?: () => number;
  /** How often a standalone write is retried after a TransactionConflictError (default 10). */
  readonly retries?: number;
}

interface Ref {
  readonly ns: string;
  readonly fromId: string;
  readonly edgeType: string;
  readonly toId: string;
}

/**
 * Time-aware edges over a SochDB `Storage`, partitioned by namespace. An edge
 * `(fromId, edgeType, toId)` has any number of non-overlapping versions, each valid over
 * `[validFrom, validUntil)` in Unix milliseconds (`validUntil` 0 = still valid).
 *
 * Writes run atomically on their own or, given `{ txn }`, inside the caller's transaction; reads
 * run on one consistent snapshot (or the caller's transaction).
 *
 * @example
 * ```ts
 * const temporal = new TemporalGraph(storage);
 * const ref = { namespace: 'hr', fromId: 'alice', edgeType: 'WORKS_AT', toId: 'acme' };
 * await temporal.addTemporalEdge({ ...ref, validFrom: Date.parse('2020-03-01'), properties: { role: 'engineer' } });
 * await temporal.endTemporalEdge({ ...ref, at: Date.parse('2023-06-30') }); // the version is now [2020-03-01, 2023-06-30)
 * ```
 */
export class TemporalGraph {
  readonly #now: () => number;
  readonly #retries: number;

  constructor(
    private readonly storage: Storage,
    options: TemporalGraphOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#retries = checkRetries(options.retries);
  }

  /**
   * Deletes every temporal edge version of `namespace` — in the caller's transaction, or in one
   * commit — and returns how many keys were removed. The SDK's `deleteNamespace` calls this.
   */
  async dropNamespace(namespace: string, opts: TemporalTxnOptions = {}): Promise<number> {
    const range = keyRange(['t', requireName(namespace, 'namespace')]);
    return this.#write(opts, (store) => deleteRange(store, range));
  }

  /**
   * Adds a version of an edge. A version with the same `validFrom` as an existing one replaces
   * it; one that overlaps another version of the same edge is refused with `TemporalOverlapError`.
   *
   * @example
   * ```ts
   * // A closed version and the open one after it: versions of one edge may touch but not overlap.
   * const ref = { namespace: 'hr', fromId: 'alice', edgeType: 'REPORTS_TO', toId: 'bob' };
   * await temporal.addTemporalEdge({ ...ref, validFrom: Date.parse('2021-01-01'), validUntil: Date.parse('2022-01-01') });
   * await temporal.addTemporalEdge({ ...ref, validFrom: Date.parse('2022-01-01'), properties: { dottedLine: true } });
   * ```
   */
  async addTemporalEdge(options: AddTemporalEdgeOptions, opts: TemporalTxnOptions = {}): Promise<TemporalEdge> {
    requireOptions(options, 'addTemporalEdge');
    const ref = edgeRef(options);
    const { validFrom, validUntil } = requireInterval(options.validFrom, options.validUntil);
    const properties = options.properties === undefined ? {} : options.properties;
    serializeJson(properties, 'properties');
    await this.#write(opts, async (store) => {
      const clash = await overlapping(store, ref, validFrom, validUntil);
      if (clash !== undefined) throw overlap(ref, { validFrom, validUntil }, clash);
      const old = await readHead(store, ref);
      const head: StoredHead =
        old === undefined || validFrom >= old.f
          ? { first: Math.min(old?.first ?? validFrom, validFrom), f: validFrom, u: validUntil, p: properties }
          : { ...old, first: Math.min(old.first, validFrom) };
      await store.batch(putVersion(ref, validFrom, { u: validUntil, p: properties }, head));
    });
    return { fromId: ref.fromId, edgeType: ref.edgeType, toId: ref.toId, validFrom, validUntil, properties };
  }

  /** Closes the edge's open version at `at` (default now) and returns it as closed. */
  async endTemporalEdge(options: EndTemporalEdgeOptions, opts: TemporalTxnOptions = {}): Promise<TemporalEdge> {
    requireOptions(options, 'endTemporalEdge');
    const ref = edgeRef(options);
    const at = options.at === undefined ? this.#now() : requireTime(options.at, 'at');
    return this.#write(opts, async (store) => {
      const head = await readHead(store, ref);
      // Versions never overlap, so only the latest one can be open.
      if (head === undefined || head.u !== 0) {
        throw new TemporalEdgeNotFoundError(
          `edge ${JSON.stringify(ref.fromId)} -[${ref.edgeType}]-> ${JSON.stringify(ref.toId)} has no open version in namespace ${JSON.stringify(ref.ns)}`,
        );
      }
      if (at <= head.f) {
        throw new ValidationError(`at (${at}) must be after the open version's validFrom (${head.f})`, { field: 'at' });
      }
      const closed: StoredHead = { ...head, u: at };
      await store.batch(putVersion(ref, head.f, closed, closed));
      return { fromId: ref.fromId, edgeType: ref.edgeType, toId: ref.toId, validFrom: head.f, validUntil: at, properties: head.p };
    });
  }

  /** Every version of one edge, oldest first. */
  async edgeHistory(ref: TemporalEdgeRef, opts: TemporalTxnOptions = {}): Promise<TemporalEdge[]> {
    requireOptions(ref, 'edgeHistory');
    const r = edgeRef(ref);
    const entries = await this.#read(opts, (reader) => readRange(reader, keyRange(versionPrefix(r.ns, r.fromId, r.edgeType, r.toId))));
    return entries.reverse().map(([key, value]) => {
      const stored = parse<StoredVersion>(value);
      return { fromId: r.fromId, edgeType: r.edgeType, toId: r.toId, validFrom: versionFrom(key), validUntil: stored.u, properties: stored.p };
    });
  }

  /**
   * The versions of `node`'s edges (outgoing by default) that hold at a time (`point_in_time`),
   * at any instant of a closed window (`range`), or now (`current`). Sorted by edge type, then
   * the other node's id, then `validFrom`; with direction 'both', outgoing before incoming.
   *
   * @example
   * ```ts
   * // Alice's edges as they stood on 2022-01-01, and who worked at Acme at any time in 2021.
   * const then = await temporal.query({ namespace: 'hr', node: 'alice', mode: 'point_in_time', timestamp: Date.parse('2022-01-01') });
   * const staff2021 = await temporal.query({
   *   namespace: 'hr', node: 'acme', edgeType: 'WORKS_AT', direction: 'in',
   *   mode: 'range', startTime: Date.parse('2021-01-01'), endTime: Date.parse('2021-12-31T23:59:59.999Z'),
   * });
   * ```
   */
  async query(query: TemporalQuery, opts: TemporalTxnOptions = {}): Promise<TemporalEdge[]> {
    requireOptions(query, 'query');
    const ns = requireName(query.namespace, 'namespace');
    const node = requireName(query.node, 'node');
    const edgeType = optionalName(query.edgeType, 'edgeType');
    const direction = requireDirection(query.direction);
    const sides: Side[] = direction === 'both' ? ['o', 'i'] : direction === 'out' ? ['o'] : ['i'];
    const run = this.#planner(query, ns, node, edgeType);
    const results = await this.#read(opts, (reader) => Promise.all(sides.map(async (side) => sortEdges(side, await run(reader, side)))));
    if (direction !== 'both') return results[0]!;
    // A self-loop is both outgoing and incoming; list it once.
    const outgoing = results[0]!;
    const selfLoops = new Set(outgoing.filter((e) => e.fromId === e.toId).map((e) => JSON.stringify([e.edgeType, e.fromId, e.validFrom])));
    return [...outgoing, ...results[1]!.filter((e) => e.fromId !== e.toId || !selfLoops.has(JSON.stringify([e.edgeType, e.fromId, e.validFrom])))];
  }

  #planner(query: TemporalQuery, ns: string, node: string, edgeType: string | undefined): (reader: KeyValueReader, side: Side) => Promise<TemporalEdge[]> {
    switch (query.mode) {
      case 'point_in_time': {
        const t = requireTime(query.timestamp, 'timestamp');
        return (reader, side) => validAt(reader, ns, side, node, t, edgeType, true);
      }
      case 'current': {
        const t = this.#now();
        return (reader, side) => validAt(reader, ns, side, node, t, edgeType, false);
      }
      case 'range': {
        const start = requireTime(query.startTime, 'startTime');
        const end = requireTime(query.endTime, 'endTime');
        if (end < start) throw new ValidationError(`endTime (${end}) must not be before startTime (${start})`, { field: 'endTime' });
        return (reader, side) => validDuring(reader, ns, side, node, start, end, edgeType);
      }
      default:
        throw new ValidationError(`mode must be 'point_in_time', 'range' or 'current', got ${JSON.stringify((query as { mode?: unknown }).mode)}`, {
          field: 'mode',
        });
    }
  }

  #write<T>(opts: TemporalTxnOptions, fn: (store: KeyValueStore) => Promise<T>): Promise<T> {
    return writeWith(this.storage, opts.txn, this.#retries, fn);
  }

  #read<T>(opts: TemporalTxnOptions, fn: (reader: KeyValueReader) => Promise<T>): Promise<T> {
    return readWith(this.storage, opts.txn, fn);
  }
}

function edgeRef(ref: TemporalEdgeRef): Ref {
  return {
    ns: requireName(ref.namespace, 'namespace'),
    fromId: requireName(ref.fromId, 'fromId'),
    edgeType: requireName(ref.edgeType, 'edgeType'),
    toId: requireName(ref.toId, 'toId'),
  };
}

type Version = StoredVersion & { readonly validFrom: number };

/**
 * The version of the edge a new `[validFrom, validUntil)` would overlap, if any: the latest one
 * starting before `validFrom` when it is still open at `validFrom`, or any one starting inside
 * `(validFrom, validUntil)`. A version starting exactly at `validFrom` is the one being replaced.
 * Both are forward reads of at most one entry (versions are stored newest first).
 */
async function overlapping(store: KeyValueReader, ref: Ref, validFrom: number, validUntil: number): Promise<Version | undefined> {
  const prefix = versionPrefix(ref.ns, ref.fromId, ref.edgeType, ref.toId);
  const [earlier, inside] = await Promise.all([
    readRange(store, { gte: keyRange([...prefix, newestFirst(validFrom)]).lt, lt: keyRange(prefix).lt, limit: 1 }),
    readRange(store, {
      gte: validUntil === 0 ? keyRange(prefix).gte : keyRange([...prefix, newestFirst(validUntil)]).lt,
      lt: encodeKey([...prefix, newestFirst(validFrom)]),
      limit: 1,
    }),
  ]);
  const asVersion = ([key, value]: readonly [Buffer, Buffer]): Version => ({ ...parse<StoredVersion>(value), validFrom: versionFrom(key) });
  const before = earlier[0] && asVersion(earlier[0]);
  if (before !== undefined && (before.u === 0 || before.u > validFrom)) return before;
  return inside[0] && asVersion(inside[0]);
}

/** The validFrom of a version key ['t', ns, 'v', from, type, to, -validFrom]. */
function versionFrom(key: Buffer): number {
  return fromNewestFirst(decodeKey(key)[6]);
}

async function readHead(store: KeyValueReader, ref: Ref): Promise<StoredHead | undefined> {
  const value = await store.get(headKey(ref.ns, 'o', ref.fromId, ref.edgeType, ref.toId));
  return value === undefined ? undefined : parse<StoredHead>(value);
}

function putVersion(ref: Ref, validFrom: number, version: StoredVersion, head: StoredHead): { type: 'put'; key: Buffer; value: string }[] {
  const v = JSON.stringify({ u: version.u, p: version.p });
  const h = JSON.stringify({ first: head.first, f: head.f, u: head.u, p: head.p });
  const { ns, fromId, edgeType, toId } = ref;
  return [
    { type: 'put', key: versionKey(ns, fromId, edgeType, toId, validFrom), value: v },
    { type: 'put', key: startKey(ns, 'o', fromId, validFrom, edgeType, toId), value: v },
    { type: 'put', key: startKey(ns, 'i', toId, validFrom, edgeType, fromId), value: v },
    { type: 'put', key: headKey(ns, 'o', fromId, edgeType, toId), value: h },
    { type: 'put', key: headKey(ns, 'i', toId, edgeType, fromId), value: h },
  ];
}

function overlap(ref: Ref, added: { validFrom: number; validUntil: number }, existing: Version): TemporalOverlapError {
  const show = (f: number, u: number): string => `[${f}, ${u === 0 ? 'open' : u})`;
  return new TemporalOverlapError(
    `version ${show(added.validFrom, added.validUntil)} of edge ${JSON.stringify(ref.fromId)} -[${ref.edgeType}]-> ${JSON.stringify(ref.toId)} overlaps its version ${show(existing.validFrom, existing.u)}`,
    { validFrom: existing.validFrom, validUntil: existing.u },
  );
}
