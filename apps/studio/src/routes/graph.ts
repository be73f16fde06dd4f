// Graph: a node's neighbourhood as nodes and edges ready to draw (expand by asking again from
// another node).
import { Hono } from 'hono';
import type { GraphEdge } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { GraphParams, NeighborsQuery } from '../schemas.js';
import { validate } from '../validate.js';

/** The `/api/graph` routes. */
export function graphRoutes(ctx: StudioContext): Hono {
  return new Hono().get('/:ns/neighbors', validate('param', GraphParams), validate('query', NeighborsQuery), async (c) => {
    const { ns } = c.req.valid('param');
    const { node, direction, depth, limit } = c.req.valid('query');
    const reached = await ctx.source.graphTraverse({ namespace: ns, startNode: node, maxDepth: depth, direction });
    const nodes = reached.slice(0, limit);
    const ids = new Set(nodes.map((n) => n.id));
    // Every edge between the nodes shown, not only those the traversal followed: a drawing
    // that left out an edge between two visible nodes would mislead.
    const edges: GraphEdge[] = [];
    for (const n of nodes) {
      for (const edge of await ctx.source.graphEdges({ namespace: ns, nodeId: n.id, direction: 'out' })) if (ids.has(edge.toId)) edges.push(edge);
    }
    return c.json({
      root: node,
      nodes: nodes.map((n) => ({ id: n.id, type: n.type, properties: n.properties, depth: n.depth })),
      edges,
      truncated: reached.length > nodes.length,
    });
  });
}
