import { decodeKey, type KeyValueReader } from '@sochdb/core';
import type { JsonValue } from '@sochdb/core';
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
 * the view, so a traversal that revisits a node reads its edges once.
 */
export class GraphView {
  readonly #steps = new Map<string, Promise<readonly Step[]>>();

  constructor(
    private readonly reader: KeyValueReader,
    private readonly namespace: string,
    private readonly direction: GraphDirection = 'out',
    private readonly edgeTypes?: readonly string[],
  ) {}

  async node(id: string): Promise<GraphNode | undefined> {
    return decodeNode(id, await this.reader.get(nodeKey(this.namespace, id)));
  }

  async nodes(ids: readonly string[]): Promise<(GraphNode | undefined)[]> {
    if (ids.length === 0) return [];
    const values = await this.reader.getMany(ids.map((id) => nodeKey(this.namespace, id)));
    return values.map((v, i) => decodeNode(ids[i]!, v));
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
    const [out, incoming] = await Promise.all([
      this.direction === 'in' ? [] : this.#readSide('o', id),
      this.direction === 'out' ? [] : this.#readSide('i', id),
    ]);
    return [...out, ...incoming];
  }

  async #readSide(side: 'o' | 'i', id: string): Promise<Step[]> {
    const only = this.edgeTypes?.length === 1 ? this.edgeTypes[0] : undefined;
    const wanted = this.edgeTypes && this.edgeTypes.length > 1 ? new Set(this.edgeTypes) : undefined;
    if (this.edgeTypes?.length === 0) return [];
    const steps: Step[] = [];
    const it = this.reader.iterator(adjacencyRange(this.namespace, side, id, only));
    try {
      for (;;) {
        const batch = await it.nextv(BATCH);
        if (batch.length === 0) break;
        for (const [key, value] of batch) {
          const parts = decodeKey(key);
          const edgeType = parts[4] as string;
          if (wanted && !wanted.has(edgeType)) continue;
          const otherId = parts[5] as string;
          const properties = JSON.parse(value.toString('utf8')) as JsonValue;
          steps.push(
            side === 'o'
              ? { edge: { fromId: id, edgeType, toId: otherId, properties }, direction: 'out', otherId }
              : { edge: { fromId: otherId, edgeType, toId: id, properties }, direction: 'in', otherId },
          );
        }
      }
    } finally {
      await it.close();
    }
    return steps;
  }
}

export function decodeNode(id: string, value: Buffer | undefined): GraphNode | undefined {
  if (value === undefined) return undefined;
  const stored = JSON.parse(value.toString('utf8')) as StoredNode;
  return { id, type: stored.t, properties: stored.p };
}

export function encodeNode(type: string, propertiesJson: string): string {
  // Built by hand so the already-validated properties text is not stringified twice.
  return `{"t":${JSON.stringify(type)},"p":${propertiesJson}}`;
}
