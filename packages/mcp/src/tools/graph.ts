// graph_neighbors, graph_traverse and temporal_query: reads of the namespace's graph and
// temporal graph. The namespace is fixed by the scope; no input can name another.
import { z } from 'zod';
import { count, direction, id, timestamp } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { plainRows, toonTable } from '../values.js';
import { READ_ONLY, type ToolContext } from './context.js';

const edgeType = z.string().min(1).max(1024).optional().describe('only edges of this type');

/** Registers the graph and temporal tools. */
export function registerGraphTools({ server, scope, options }: ToolContext): void {
  const namespace = options.namespace;
  server.registerTool(
    'graph_neighbors',
    {
      title: 'Graph neighbors',
      description: `The nodes next to a node in the graph of namespace '${namespace}', with the edges joining them. TOON neighbors[n]{id,type,edgeType,direction,properties,edgeProperties}.`,
      inputSchema: { nodeId: id('node id'), direction, edgeType },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const neighbors = await scope.db.graphNeighbors({
        namespace,
        nodeId: args.nodeId,
        direction: args.direction,
        ...(args.edgeType === undefined ? {} : { edgeType: args.edgeType }),
      });
      const rows = plainRows(
        neighbors.map((n) => ({
          id: n.node.id,
          type: n.node.type,
          edgeType: n.edge.edgeType,
          direction: n.direction,
          properties: n.node.properties,
          edgeProperties: n.edge.properties,
        })),
      );
      return ok(toonTable('neighbors', rows, ['id', 'type', 'edgeType', 'direction', 'properties', 'edgeProperties']), { neighbors: rows });
    }),
  );
  server.registerTool(
    'graph_traverse',
    {
      title: 'Graph traversal',
      description: `Every node within maxDepth hops of a start node in the graph of namespace '${namespace}', each once, with its depth and the edge that reached it.`,
      inputSchema: {
        startNode: id('start node id'),
        maxDepth: z.number().int().min(0).max(10).default(3).describe('hops from the start (0–10, default 3)'),
        order: z.enum(['bfs', 'dfs']).default('bfs').describe("'bfs' (default, nearest first) or 'dfs'"),
        direction,
        edgeTypes: z.array(z.string().min(1)).min(1).optional().describe('follow only these edge types'),
        limit: count('most nodes returned', 200, 5000),
      },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const nodes = await scope.db.graphTraverse({
        namespace,
        startNode: args.startNode,
        maxDepth: args.maxDepth,
        order: args.order,
        direction: args.direction,
        ...(args.edgeTypes === undefined ? {} : { edgeTypes: args.edgeTypes }),
      });
      const rows = plainRows(
        nodes.slice(0, args.limit).map((n) => ({
          id: n.id,
          type: n.type,
          depth: n.depth,
          via: n.via === null ? null : `${n.via.fromId}-${n.via.edgeType}->${n.via.toId}`,
          properties: n.properties,
        })),
      );
      const more = nodes.length > args.limit ? `\n(${nodes.length - args.limit} more nodes not shown: lower maxDepth or raise limit)` : '';
      return ok(toonTable('nodes', rows, ['id', 'type', 'depth', 'via', 'properties']) + more, { nodes: rows, total: nodes.length });
    }),
  );
  server.registerTool(
    'temporal_query',
    {
      title: 'Temporal edges',
      description:
        `Time-aware edges of a node in the temporal graph of namespace '${namespace}': mode 'current' (valid now), ` +
        "'point_in_time' (valid at timestamp) or 'range' (valid at any moment in [startTime, endTime)). validUntil 0 means still open.",
      inputSchema: z
        .object({
          node: id('node id'),
          mode: z.enum(['current', 'point_in_time', 'range']).describe("'current', 'point_in_time' or 'range'"),
          timestamp: timestamp('point_in_time: the instant').optional(),
          startTime: timestamp('range: start, inclusive').optional(),
          endTime: timestamp('range: end, exclusive').optional(),
          edgeType,
          direction,
        })
        .superRefine((q, ctx) => {
          if (q.mode === 'point_in_time' && q.timestamp === undefined)
            ctx.addIssue({ code: 'custom', path: ['timestamp'], message: "mode 'point_in_time' needs timestamp" });
          if (q.mode === 'range' && (q.startTime === undefined || q.endTime === undefined))
            ctx.addIssue({ code: 'custom', path: ['startTime'], message: "mode 'range' needs startTime and endTime" });
        }),
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const base = { namespace, node: args.node, direction: args.direction, ...(args.edgeType === undefined ? {} : { edgeType: args.edgeType }) };
      const edges = await scope.db.queryTemporalGraph(
        args.mode === 'point_in_time'
          ? { ...base, mode: 'point_in_time', timestamp: args.timestamp ?? 0 }
          : args.mode === 'range'
            ? { ...base, mode: 'range', startTime: args.startTime ?? 0, endTime: args.endTime ?? 0 }
            : { ...base, mode: 'current' },
      );
      const rows = plainRows(edges);
      return ok(toonTable('edges', rows, ['fromId', 'edgeType', 'toId', 'validFrom', 'validUntil', 'properties']), { edges: rows });
    }),
  );
}
