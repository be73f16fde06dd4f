// A deliberately simple in-memory graph: the model the property tests compare GraphStore against.
import type { GraphDirection, GraphEdge, TraversalNode } from '../src/index.js';

interface RefStep {
  readonly edge: GraphEdge;
  readonly other: string;
}

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const byKey = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < a.length; i++) {
    const c = Buffer.compare(bytes(a[i]!), bytes(b[i]!));
    if (c !== 0) return c;
  }
  return 0;
};

export class ReferenceGraph {
  readonly nodes = new Map<string, string>();
  readonly edges = new Map<string, GraphEdge>();

  addNode(id: string, type: string): void {
    this.nodes.set(id, type);
  }
  addEdge(fromId: string, edgeType: string, toId: string): void {
    this.edges.set(JSON.stringify([fromId, edgeType, toId]), { fromId, edgeType, toId, properties: {} });
  }
  deleteEdge(fromId: string, edgeType: string, toId: string): void {
    this.edges.delete(JSON.stringify([fromId, edgeType, toId]));
  }
  deleteNode(id: string): void {
    this.nodes.delete(id);
    for (const [k, e] of this.edges) if (e.fromId === id || e.toId === id) this.edges.delete(k);
  }

  steps(id: string, direction: GraphDirection, types?: readonly string[]): RefStep[] {
    const all = [...this.edges.values()].filter((e) => types === undefined || types.includes(e.edgeType));
    const out = all.filter((e) => e.fromId === id).sort((a, b) => byKey([a.edgeType, a.toId], [b.edgeType, b.toId]));
    const inc = all.filter((e) => e.toId === id).sort((a, b) => byKey([a.edgeType, a.fromId], [b.edgeType, b.fromId]));
    return [
      ...(direction === 'in' ? [] : out.map((edge) => ({ edge, other: edge.toId }))),
      ...(direction === 'out' ? [] : inc.map((edge) => ({ edge, other: edge.fromId }))),
    ];
  }

  /** Textbook FIFO-queue BFS. */
  bfs(start: string, maxDepth: number, direction: GraphDirection, types?: readonly string[]): TraversalNode[] {
    const out: TraversalNode[] = [this.#visit(start, 0, null)];
    const queue = [out[0]!];
    const seen = new Set([start]);
    while (queue.length > 0) {
      const at = queue.shift()!;
      if (at.depth >= maxDepth) continue;
      for (const s of this.steps(at.id, direction, types)) {
        if (seen.has(s.other)) continue;
        seen.add(s.other);
        const v = this.#visit(s.other, at.depth + 1, s.edge);
        out.push(v);
        queue.push(v);
      }
    }
    return out;
  }

  /** Recursive DFS that re-expands a node reached again by a shorter path. */
  dfs(start: string, maxDepth: number, direction: GraphDirection, types?: readonly string[]): TraversalNode[] {
    const visits = new Map<string, { depth: number; via: GraphEdge | null }>([[start, { depth: 0, via: null }]]);
    const expand = (id: string, depth: number): void => {
      if (depth >= maxDepth) return;
      for (const s of this.steps(id, direction, types)) {
        const seen = visits.get(s.other);
        if (seen !== undefined && seen.depth <= depth + 1) continue;
        if (seen === undefined) visits.set(s.other, { depth: depth + 1, via: s.edge });
        else Object.assign(seen, { depth: depth + 1, via: s.edge });
        expand(s.other, depth + 1);
      }
    };
    expand(start, 0);
    return [...visits].map(([id, v]) => this.#visit(id, v.depth, v.via));
  }

  /** Hop distance by BFS, or undefined when unreachable within maxDepth. */
  distance(from: string, to: string, maxDepth: number, direction: GraphDirection, types?: readonly string[]): number | undefined {
    return this.bfs(from, maxDepth, direction, types).find((n) => n.id === to)?.depth;
  }

  #visit(id: string, depth: number, via: GraphEdge | null): TraversalNode {
    return { id, type: this.nodes.get(id)!, properties: {}, depth, via };
  }
}
