import { compareBytes, decodeKey, encodeKey, keyRange, type Entry, type EntryIterator, type KeyValueReader, type Range } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';
import { fromNewestFirst, headPrefix, newestFirst, startPrefix, type Side } from './keys.js';
import type { TemporalEdge } from './types.js';

/** A version as stored in the version and start-time indexes. */
export interface StoredVersion {
  readonly u: number;
  readonly p: JsonValue;
}

/** An edge's latest version, plus the start of its earliest one. */
export interface StoredHead extends StoredVersion {
  readonly first: number;
  readonly f: number;
}

export const isValidAt = (validFrom: number, validUntil: number, t: number): boolean => validFrom <= t && (validUntil === 0 || validUntil > t);

export function parse<T>(value: Buffer): T {
  return JSON.parse(value.toString('utf8')) as T;
}

export function toEdge(side: Side, node: string, type: string, other: string, validFrom: number, stored: StoredVersion): TemporalEdge {
  const [fromId, toId] = side === 'o' ? [node, other] : [other, node];
  return { fromId, edgeType: type, toId, validFrom, validUntil: stored.u, properties: stored.p };
}

export async function readRange(reader: KeyValueReader, range: Range): Promise<Entry[]> {
  const out: Entry[] = [];
  const it = reader.iterator(range);
  try {
    for (let size = 64; ; size = Math.min(size * 4, 1024)) {
      const batch = await it.nextv(size);
      if (batch.length === 0) return out;
      out.push(...batch);
    }
  } finally {
    await it.close();
  }
}

// Byte length of an encoded number key part (type byte + IEEE double).
const NUMBER_PART = 9;

/**
 * The versions of `node`'s edges on one side that hold at time `t`.
 *
 * Versions of one edge never overlap, so for each edge at most one version holds: its head (latest
 * version) when the head starts at or before `t`; otherwise the latest version starting at or
 * before `t`, which a scan of the node's start-time index back from `t` meets before any older
 * version of that edge. The scan stops as soon as every such edge is resolved, so a query reads
 * the heads plus the versions started between `t` and the edges' next changes — not the whole
 * history. `eager` starts that scan alongside the heads read, for historical times where it is
 * likely needed.
 */
export async function validAt(
  reader: KeyValueReader,
  ns: string,
  side: Side,
  node: string,
  t: number,
  edgeType: string | undefined,
  eager: boolean,
): Promise<TemporalEdge[]> {
  const prefix = startPrefix(ns, side, node);
  // Both indexes end their keys with the encoded (type, other) pair, so its bytes identify an
  // edge without decoding every key the scan passes over.
  const headPairAt = encodeKey(headPrefix(ns, side, node)).length;
  const startPairAt = encodeKey(prefix).length + NUMBER_PART;
  // Newest start first, from t down: the start-time index stores start times negated.
  const scanRange: Range = { gte: encodeKey([...prefix, newestFirst(t)]), lt: keyRange(prefix).lt };
  let scan: EntryIterator | undefined;
  let pending: Promise<Entry[]> | undefined;
  const fetch = (size: number): void => {
    scan ??= reader.iterator(scanRange);
    pending = scan.nextv(size);
  };
  if (eager) fetch(16);
  try {
    const result: TemporalEdge[] = [];
    const need = new Set<string>();
    for (const [key, value] of await readRange(reader, keyRange(headPrefix(ns, side, node, edgeType)))) {
      const head = parse<StoredHead>(value);
      if (head.f <= t) {
        if (!isValidAt(head.f, head.u, t)) continue;
        const parts = decodeKey(key);
        result.push(toEdge(side, node, parts[5] as string, parts[6] as string, head.f, head));
      } else if (head.first <= t) {
        need.add(key.toString('latin1', headPairAt));
      }
    }
    // Each unresolved edge needs at least one more entry; read about that many, then more if not.
    let batch = 16;
    while (need.size > 0) {
      batch = Math.min(1024, Math.max(batch * 2, need.size + 16));
      if (pending === undefined) fetch(batch);
      const entries = await pending!;
      pending = undefined;
      if (entries.length === 0) break;
      for (const [key, value] of entries) {
        if (!need.delete(key.toString('latin1', startPairAt))) continue;
        const stored = parse<StoredVersion>(value);
        const parts = decodeKey(key);
        const validFrom = fromNewestFirst(parts[5]);
        if (isValidAt(validFrom, stored.u, t)) result.push(toEdge(side, node, parts[6] as string, parts[7] as string, validFrom, stored));
        if (need.size === 0) break;
      }
    }
    return result;
  } finally {
    // A speculative read still in flight must settle before its iterator closes.
    if (pending !== undefined) await pending.catch(() => undefined);
    await scan?.close();
  }
}

/** The versions of `node`'s edges on one side that hold at some instant of `[start, end]`. */
export async function validDuring(
  reader: KeyValueReader,
  ns: string,
  side: Side,
  node: string,
  start: number,
  end: number,
  edgeType: string | undefined,
): Promise<TemporalEdge[]> {
  const prefix = startPrefix(ns, side, node);
  // Versions that hold at `start`, plus every version that starts inside (start, end].
  const [atStart, later] = await Promise.all([
    validAt(reader, ns, side, node, start, edgeType, true),
    readRange(reader, { gte: encodeKey([...prefix, newestFirst(end)]), lt: encodeKey([...prefix, newestFirst(start)]) }),
  ]);
  const result = [...atStart];
  for (const [key, value] of later) {
    const parts = decodeKey(key);
    const type = parts[6] as string;
    if (edgeType !== undefined && type !== edgeType) continue;
    result.push(toEdge(side, node, type, parts[7] as string, fromNewestFirst(parts[5]), parse<StoredVersion>(value)));
  }
  return result;
}

/** Key order: edge type, then the other end's id, then start time. */
export function sortEdges(side: Side, edges: TemporalEdge[]): TemporalEdge[] {
  const sortKey = (e: TemporalEdge): Buffer => encodeKey([e.edgeType, side === 'o' ? e.toId : e.fromId, e.validFrom]);
  return edges
    .map((e) => [sortKey(e), e] as const)
    .sort((a, b) => compareBytes(a[0], b[0]))
    .map(([, e]) => e);
}
