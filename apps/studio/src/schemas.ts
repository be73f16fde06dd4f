// The request schemas of every endpoint, exported so the UI validates its forms with the very
// rules the server applies. Query strings arrive as text: numbers are coerced, flags are '1'/'0'.
import { z } from 'zod';

/** A page size: 1 … `max`, `fallback` when omitted. */
const limit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
/** A query-string flag: `1`/`true` or `0`/`false`. */
const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');
/** A namespace name, or '' / omitted for the database's own keyspace (KV only). */
const namespace = z.string().max(128).optional();

/** `GET /api/kv`: keys under `prefix`, after the cursor `after`, `limit` per page (default 100, max 1,000). */
export const KvListQuery = z.object({
  namespace,
  prefix: z.string().default(''),
  after: z.string().optional(),
  limit: limit(100, 1000),
});
/** `GET /api/kv/value` and `DELETE /api/kv`: one key (`hex:…` for binary keys). */
export const KvKeyQuery = z.object({ namespace, key: z.string().min(1) });
/** `PUT /api/kv`: the value as text (UTF-8), as JSON (stored as its text), or as hex bytes — exactly one. */
export const KvPutBody = z
  .object({
    namespace,
    key: z.string().min(1),
    text: z.string().optional(),
    json: z.unknown().optional(),
    hex: z
      .string()
      .regex(/^(?:[0-9a-fA-F]{2})*$/, 'expected an even number of hex digits')
      .optional(),
  })
  .refine((b) => [b.text, b.json, b.hex].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of text, json or hex',
    path: ['text'],
  });

/** SQL parameters: positional (an array) or named (an object) scalars. */
const SqlParam = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const SqlParams = z.union([z.array(SqlParam), z.record(z.string(), SqlParam)]);

/** `POST /api/sql`: one SQL text (several statements separated by `;`), a page of its result. */
export const SqlBody = z.object({
  sql: z.string().min(1).max(1_000_000),
  params: SqlParams.optional(),
  limit: z.number().int().min(1).max(10_000).default(100),
  offset: z.number().int().min(0).default(0),
});
/** `POST /api/sql/explain`: a SELECT (or anything EXPLAIN QUERY PLAN takes). */
export const ExplainBody = z.object({ sql: z.string().min(1).max(1_000_000) });
/** The export formats. */
export const ExportFormat = z.enum(['csv', 'json', 'toon']);
/** `POST /api/sql/export`: the whole result of `sql` as a file. */
export const ExportBody = z.object({ sql: z.string().min(1).max(1_000_000), params: SqlParams.optional(), format: ExportFormat.default('csv') });
/** `GET /api/sql/export`: the same, for a download link (`params` as JSON text). */
export const ExportQuery = z.object({
  sql: z.string().min(1).max(100_000),
  params: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        const parsed = SqlParams.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // Reported below.
      }
      ctx.addIssue({ code: 'custom', message: 'expected a JSON array or object of scalars' });
      return z.NEVER;
    }),
  format: ExportFormat.default('csv'),
});

/** `GET /api/collections`: one namespace's collections, or every namespace's. */
export const CollectionsQuery = z.object({ namespace });
/** The path of one collection. */
export const CollectionParams = z.object({ ns: z.string().min(1), name: z.string().min(1) });
/** `GET …/documents`: a page in id order after the cursor `afterId`. */
export const DocumentsQuery = z.object({ limit: limit(50, 1000), afterId: z.string().min(1).optional(), vectors: flag });
/** `POST …/search`: vector (`vector` or `likeId`), keyword (`textQuery`) or both (hybrid). */
export const SearchBody = z
  .object({
    vector: z.array(z.number()).min(1).optional(),
    textQuery: z.string().min(1).optional(),
    likeId: z.string().min(1).optional(),
    k: z.number().int().min(1).max(1000).default(10),
    filter: z.record(z.string(), z.unknown()).optional(),
    alpha: z.number().min(0).max(1).optional(),
    vectors: z.boolean().default(false),
  })
  .refine((b) => b.vector !== undefined || b.textQuery !== undefined || b.likeId !== undefined, {
    message: 'give vector, textQuery or likeId',
    path: ['vector'],
  })
  .refine((b) => b.vector === undefined || b.likeId === undefined, { message: 'give vector or likeId, not both', path: ['likeId'] });
/** `GET …/projection`: a 2-D PCA of up to `sample` vectors, coloured by metadata field `color`. */
export const ProjectionQuery = z.object({ sample: limit(500, 5000), color: z.string().min(1).optional() });

/** A queue's path. */
export const QueueParams = z.object({ name: z.string().min(1).max(256) });
/** `GET /api/queues/:name/top`. */
export const TopQuery = z.object({ k: limit(20, 1000) });
/** `GET /api/queues/:name/dead`, `DELETE` and retry: `dlq` names the dead-letter queue (found when omitted). */
export const DeadQuery = z.object({ dlq: z.string().min(1).max(256).optional(), limit: limit(100, 1000) });
/** `POST /api/queues/:name/dead/:taskId/retry`. */
export const RetryParams = z.object({ name: z.string().min(1).max(256), taskId: z.string().min(1) });

/** The path of a graph or temporal graph: its namespace. */
export const GraphParams = z.object({ ns: z.string().min(1) });
/** `GET /api/graph/:ns/neighbors`: nodes within `depth` hops of `node` (default 1, max 5). */
export const NeighborsQuery = z.object({
  node: z.string().min(1),
  direction: z.enum(['out', 'in', 'both']).default('both'),
  depth: z.coerce.number().int().min(1).max(5).default(1),
  limit: limit(200, 2000),
});
/** `GET /api/temporal/:ns/timeline`: every version of `node`'s edges, or those valid `at` (Unix ms). */
export const TimelineQuery = z.object({
  node: z.string().min(1),
  direction: z.enum(['out', 'in', 'both']).default('both'),
  edgeType: z.string().min(1).optional(),
  at: z.coerce.number().int().min(0).optional(),
});
