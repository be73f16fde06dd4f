import { decodeKey, type KeyValueReader } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';
import type { CacheLease, RawEdge } from './adjacency-cache.js';
import { adjacencyRange, nodeKey } from './keys.js';
import type { GraphDirection, GraphEdge, GraphNode } from './types.js';

/** One hop from a node: the edge, which way it points, and the node at its other end. */
export interface Step {
  readonly edge: GraphEdge;
  readonly direction: 'out' | 'in';
  readonly otherId: string;
}

interface StoredNode {
  readonly t: string;
  readonly p: JsonValue;
}

const BATCH = 256;

/**
 * Reads one namespace of a graph through any KeyValueReader (storage snapshot or transaction),
 * following only the requested direction and edge types. Adjacency is cached for the life of
 * the view, so a traversal that revisits a node reads its edges once; given a lease, node records
 * and adjacency also come from (and go to) the store's cache that outlives the view.
 */
export class GraphView {
  readonly #steps = new Map<string, Promise<readonly Step[]>>();

  /**
   * `lease`: read node records and adjacency through the store's cache, valid at the snapshot
   * `reader` is (only for reads outside a transaction).
   */
  constructor(
    private readonly reader: KeyValueReader,
    private readonly namespace: string,
    private readonly direction: GraphDirection = 'out',
    private readonly edgeTypes?: readonly string[],
    private readonly lease?: CacheLease,
  ) {}

  async node(id: string): Promise<GraphNode | undefined> {
    return (await this.nodes([id]))[0];
  }

  async nodes(ids: readonly string[]): Promise<(GraphNode | undefined)[]> {
    if (ids.length === 0) return [];
    const lease = this.lease;
    if (lease === undefined) {
      const values = await this.reader.getMany(ids.map((id) => nodeKey(this.namespace, id)));
      return values.map((v, i) => decodeNode(ids[i]!, v));
    }
    const texts: (string | undefined)[] = new Array<string | undefined>(ids.length);
    const missing: number[] = [];
    ids.forEach((id, i) => {
      const hit = lease.cache.node(this.namespace, id, lease.lsn);
      if (hit === undefined) missing.push(i);
      else texts[i] = hit.value;
    });
    if (missing.length > 0) {
      const values = await this.reader.getMany(missing.map((i) => nodeKey(this.namespace, ids[i]!)));
      missing.forEach((i, j) => {
        const text = values[j]?.toString('utf8');
        texts[i] = text;
        lease.cache.putNode(this.namespace, ids[i]!, text, lease.lsn);
      });
    }
    return texts.map((text, i) => decodeNodeText(ids[i]!, text));
  }

  /** Outgoing steps first, then incoming, each in key order (edge type, then the other id's bytes). */
  steps(id: string): Promise<readonly Step[]> {
    let cached = this.#steps.get(id);
    if (cached === undefined) {
      cached = this.#readSteps(id);
      this.#steps.set(id, cached);
    }
    return cached;
  }

  /** Waits for every read this view started, so the snapshot under it can be closed safely. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#steps.values());
  }

  /** Starts reading a node's adjacency now; a later `steps(id)` gets the same read. */
  prefetch(id: string): void {
    // The read's failure, if any, reaches whoever awaits steps(id); it must not go unhandled here.
    this.steps(id).catch(() => undefined);
  }

  async #readSteps(id: string): Promise<readonly Step[]> {
    if (this.edgeTypes?.length === 0) return [];
    const [out, incoming] = await Promise.all([this.direction === 'in' ? [] : this.#side('o', id), this.direction === 'out' ? [] : this.#side('i', id)]);
    return [...out, ...incoming];
  }

  async #side(side: 'o' | 'i', id: string): Promise<Step[]> {
    const only = this.edgeTypes?.length === 1 ? this.edgeTypes[0] : undefined;
    const wanted = this.edgeTypes && this.edgeTypes.length > 1 ? new Set(this.edgeTypes) : undefined;
    const lease = this.lease;
    let raw: readonly RawEdge[];
    if (lease === undefined) raw = await this.#readRaw(side, id, only);
    else {
      const hit = lease.cache.side(this.namespace, side, id, lease.lsn);
      if (hit !== undefined) raw = hit;
      else {
        // Cache the whole side (every edge type), so any later filter is answered from it.
        raw = await this.#readRaw(side, id, undefined);
        lease.cache.putSide(this.namespace, side, id, raw, lease.lsn);
      }
    }
    const steps: Step[] = [];
    for (const { edgeType, otherId, json } of raw) {
      if (only !== undefined ? edgeType !== only : wanted !== undefined && !wanted.has(edgeType)) continue;
      // Parsed per answer: callers get properties of their own, which they may change freely.
      const properties = JSON.parse(json) as JsonValue;
      steps.push(
        side === 'o'
          ? { edge: { fromId: id, edgeType, toId: otherId, properties }, direction: 'out', otherId }
          : { edge: { fromId: otherId, edgeType, toId: id, properties }, direction: 'in', otherId },
      );
    }
    return steps;
  }

  async #readRaw(side: 'o' | 'i', id: string, only: string | undefined): Promise<RawEdge[]> {
    const raw: RawEdge[] = [];
    const it = this.reader.iterator(adjacencyRange(this.namespace, side, id, only));
    try {
      for (;;) {
        const batch = await it.nextv(BATCH);
        if (batch.length === 0) break;
        for (const [key, value] of batch) {
          const parts = decodeKey(key);
          raw.push({ edgeType: parts[4] as string, otherId: parts[5] as string, json: value.toString('utf8') });
        }
      }
    } finally {
      await it.close();
    }
    return raw;
  }
}

function decodeNode(id: string, value: Buffer | undefined): GraphNode | undefined {
  return decodeNodeText(id, value?.toString('utf8'));
}

function decodeNodeText(id: string, text: string | undefined): GraphNode | undefined {
  if (text === undefined) return undefined;
  const stored = JSON.parse(text) as StoredNode;
  return { id, type: stored.t, properties: stored.p };
}

export function encodeNode(type: string, propertiesJson: string): string {
  // Built by hand so the already-validated properties text is not stringified twice.
  return `{"t":${JSON.stringify(type)},"p":${propertiesJson}}`;
}
