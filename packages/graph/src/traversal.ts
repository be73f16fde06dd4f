import type { GraphView, Step } from './graph-view.js';
import type { GraphEdge, GraphNode, GraphPath, TraversalNode } from './types.js';

// Adjacency reads of one BFS level run concurrently, a bounded number at a time, so a wide
// frontier neither serializes on I/O latency nor opens thousands of iterators at once.
const CONCURRENT_READS = 32;
const PREFETCH = 64;

interface Discovered {
  readonly node: GraphNode;
  readonly step: Step;
}

/**
 * Breadth-first expansion one level at a time: yields the nodes first reached at each depth,
 * in order (parents in discovery order, each parent's edges in key order). Edges to a node that
 * no longer exists are skipped.
 */
async function* levels(view: GraphView, start: GraphNode, maxDepth: number): AsyncGenerator<readonly Discovered[]> {
  const seen = new Set<string>([start.id]);
  let frontier: readonly string[] = [start.id];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const found: Step[] = [];
    for (let i = 0; i < frontier.length; i += CONCURRENT_READS) {
      const lists = await Promise.all(frontier.slice(i, i + CONCURRENT_READS).map((id) => view.steps(id)));
      for (const steps of lists) {
        for (const step of steps) {
          if (seen.has(step.otherId)) continue;
          seen.add(step.otherId);
          found.push(step);
        }
      }
    }
    // Start reading the next level's adjacency while this level's node records load.
    if (depth < maxDepth) for (const step of found.slice(0, PREFETCH)) view.prefetch(step.otherId);
    const nodes = await view.nodes(found.map((s) => s.otherId));
    const level: Discovered[] = [];
    found.forEach((step, i) => {
      const node = nodes[i];
      if (node !== undefined) level.push({ node, step });
    });
    yield level;
    frontier = level.map((d) => d.node.id);
  }
}

export async function breadthFirst(view: GraphView, start: GraphNode, maxDepth: number): Promise<TraversalNode[]> {
  const visited: TraversalNode[] = [reached(start, 0, null)];
  let depth = 0;
  for await (const level of levels(view, start, maxDepth)) {
    depth++;
    for (const { node, step } of level) visited.push(reached(node, depth, step.edge));
  }
  return visited;
}

/** A traversal's answer for a node (built field by field: cheaper than spreading the node). */
const reached = (node: GraphNode, depth: number, via: GraphEdge | null): TraversalNode => ({
  id: node.id,
  type: node.type,
  properties: node.properties,
  depth,
  via,
});

interface Visit {
  node: GraphNode;
  depth: number;
  via: GraphEdge | null;
}

interface Frame {
  readonly id: string;
  readonly depth: number;
  readonly steps: readonly Step[];
  next: number;
}

/**
 * Depth-first, preorder, each node listed once at the place DFS first reaches it. A node first
 * reached by a long detour is expanded again when a shorter path to it turns up, so a depth-limited
 * DFS finds exactly the nodes a BFS finds and reports the same `depth` (the hop distance) — a plain
 * visited-set DFS would silently miss nodes within `maxDepth`.
 */
export async function depthFirst(view: GraphView, start: GraphNode, maxDepth: number): Promise<TraversalNode[]> {
  const visits = new Map<string, Visit>([[start.id, { node: start, depth: 0, via: null }]]);
  const records = new Map<string, GraphNode | undefined>([[start.id, start]]);

  const frame = async (id: string, depth: number): Promise<Frame> => {
    const steps = depth < maxDepth ? await view.steps(id) : [];
    const unknown = [...new Set(steps.map((s) => s.otherId).filter((other) => !records.has(other)))];
    const nodes = await view.nodes(unknown);
    unknown.forEach((other, i) => records.set(other, nodes[i]));
    return { id, depth, steps, next: 0 };
  };

  const stack: Frame[] = [await frame(start.id, 0)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const step = top.steps[top.next++];
    if (step === undefined) {
      stack.pop();
      continue;
    }
    const node = records.get(step.otherId);
    if (node === undefined) continue; // an edge to a node that no longer exists
    const depth = top.depth + 1;
    const seen = visits.get(node.id);
    if (seen !== undefined && seen.depth <= depth) continue;
    if (seen === undefined) visits.set(node.id, { node, depth, via: step.edge });
    else {
      seen.depth = depth;
      seen.via = step.edge;
    }
    stack.push(await frame(node.id, depth));
  }
  return Array.from(visits.values(), (v) => reached(v.node, v.depth, v.via));
}

/** The node whose adjacency list a step was read from. */
const origin = (step: Step): string => (step.direction === 'out' ? step.edge.fromId : step.edge.toId);

interface Search {
  readonly view: GraphView;
  readonly parents: Map<string, Step | null>;
  frontier: readonly string[];
  depth: number;
}

/**
 * Fewest hops from `from` to `to`, or null. A bidirectional BFS: it grows whichever side has the
 * smaller frontier by one whole level, so it meets in the middle after exploring about the square
 * root of what a one-sided BFS would (a hand-written search: graphology is in-memory only).
 * `backward` follows the same edges reversed. Among equally short paths the first meeting node
 * in the deterministic expansion order wins.
 */
export async function shortestPath(forward: GraphView, backward: GraphView, from: GraphNode, to: GraphNode, maxDepth: number): Promise<GraphPath | null> {
  if (from.id === to.id) return { nodes: [from], edges: [] };
  const records = new Map<string, GraphNode>([
    [from.id, from],
    [to.id, to],
  ]);
  const ahead: Search = { view: forward, parents: new Map([[from.id, null]]), frontier: [from.id], depth: 0 };
  const behind: Search = { view: backward, parents: new Map([[to.id, null]]), frontier: [to.id], depth: 0 };
  const missing = new Set<string>();
  while (ahead.frontier.length > 0 && behind.frontier.length > 0 && ahead.depth + behind.depth < maxDepth) {
    const side = behind.frontier.length < ahead.frontier.length ? behind : ahead;
    const other = side === ahead ? behind : ahead;
    const found: string[] = [];
    for (let i = 0; i < side.frontier.length; i += CONCURRENT_READS) {
      const lists = await Promise.all(side.frontier.slice(i, i + CONCURRENT_READS).map((id) => side.view.steps(id)));
      for (const steps of lists) {
        for (const step of steps) {
          if (side.parents.has(step.otherId) || missing.has(step.otherId)) continue;
          side.parents.set(step.otherId, step);
          found.push(step.otherId);
        }
      }
    }
    const unknown = found.filter((id) => !records.has(id));
    const nodes = await side.view.nodes(unknown);
    unknown.forEach((id, i) => {
      const node = nodes[i];
      if (node === undefined) {
        // An edge to a node that no longer exists: not a way through.
        missing.add(id);
        side.parents.delete(id);
      } else records.set(id, node);
    });
    side.frontier = found.filter((id) => !missing.has(id));
    side.depth++;
    const meeting = side.frontier.find((id) => other.parents.has(id));
    if (meeting !== undefined) return joinAt(meeting, ahead.parents, behind.parents, records);
  }
  return null;
}

function joinAt(
  meeting: string,
  ahead: ReadonlyMap<string, Step | null>,
  behind: ReadonlyMap<string, Step | null>,
  records: ReadonlyMap<string, GraphNode>,
): GraphPath {
  const nodes: GraphNode[] = [records.get(meeting)!];
  const edges: GraphEdge[] = [];
  for (let step = ahead.get(meeting); step; step = ahead.get(origin(step))) {
    edges.unshift(step.edge);
    nodes.unshift(records.get(origin(step))!);
  }
  for (let step = behind.get(meeting); step; step = behind.get(origin(step))) {
    edges.push(step.edge);
    nodes.push(records.get(origin(step))!);
  }
  return { nodes, edges };
}
