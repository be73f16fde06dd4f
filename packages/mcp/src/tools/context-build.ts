// context_build: one call that assembles an agent's context within a token budget with
// @sochdb/context's ContextBuilder. Sections are plain data, so the model describes what it wants
// and the builder fetches it — in one read-only snapshot — and fits it to the budget.
//
// The builder is made here from the scope's parts rather than with `db.context({ namespace })`:
// that one runs `sql`/`table` sections on the database-wide SQL engine, and graph/temporal
// sections may name a namespace of their own. Here SQL runs on the namespace's engine, KV and
// collections are the namespace's, and the section schema has no namespace field (zod strips
// unknown keys), so no section can leave the server's namespace.
import { ContextBuilder, type SectionOptions, type SectionSpec } from '@sochdb/context';
import { KvStore, type MetadataFilter } from '@sochdb/sdk';
import { z } from 'zod';
import { count, filter, id, jsonValue, sqlParams, timestamp, vector } from '../schemas.js';
import { guarded, ok } from '../tool-result.js';
import { READ_ONLY, type ToolContext } from './context.js';

const limit = (what: string) => z.number().int().min(1).max(10_000).optional().describe(what);

const sectionSchema = z
  .object({
    priority: z.number().int().min(0).max(1000).optional().describe('lower is more important (0, the default, is kept first)'),
    truncation: z.enum(['tail_drop', 'head_drop', 'proportional']).optional().describe("how rows are dropped to fit (default 'tail_drop')"),
    maxTokens: z.number().int().min(1).optional().describe("a cap on this section's own tokens"),
    text: z.string().max(1_000_000).optional().describe('source: literal text'),
    get: z.string().min(1).optional().describe('source: one KV key'),
    prefix: z.string().optional().describe('source: KV entries whose key starts with this'),
    sql: z.string().min(1).optional().describe('source: a read-only SQL query'),
    params: sqlParams,
    table: z.string().min(1).optional().describe('source: the last rows of this SQL table'),
    orderBy: z.string().min(1).optional().describe('with table: the column that orders the rows'),
    last: limit('with prefix or table: only the last N'),
    limit: limit('with prefix: the first N'),
    search: z
      .object({
        collection: id('collection name'),
        query: z.string().min(1).optional().describe('keyword query'),
        vector: vector.optional(),
        k: count('results', 10, 100).optional(),
        filter: filter.optional(),
        alpha: z.number().min(0).max(1).optional(),
        fields: z.array(z.string().min(1)).optional().describe('only these fields of each hit'),
      })
      .optional()
      .describe('source: a collection search (vector, keyword or hybrid)'),
    graph: z
      .object({
        node: id('start node id'),
        depth: z.number().int().min(0).max(10).optional(),
        direction: z.enum(['out', 'in', 'both']).optional(),
        edgeTypes: z.array(z.string().min(1)).optional(),
      })
      .optional()
      .describe("source: a node's graph neighbourhood"),
    temporal: z
      .object({
        node: id('node id'),
        at: timestamp('instant, default now').optional(),
        edgeType: z.string().min(1).optional(),
        direction: z.enum(['out', 'in', 'both']).optional(),
      })
      .optional()
      .describe('source: temporal edges valid at an instant'),
    rows: z.array(z.record(z.string(), jsonValue)).max(10_000).optional().describe('source: rows given literally'),
  })
  .superRefine((spec, ctx) => {
    const given = SOURCES.filter((s) => spec[s] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a section needs exactly one source of ${SOURCES.join(', ')}; got ${given.length === 0 ? 'none' : given.join(', ')}`,
      });
    }
  });

const SOURCES = ['text', 'get', 'prefix', 'sql', 'table', 'search', 'graph', 'temporal', 'rows'] as const;

type ParsedSection = z.infer<typeof sectionSchema>;

/** Registers context_build (a read: every section is fetched in one read-only transaction). */
export function registerContextTool({ server, scope, options }: ToolContext): void {
  server.registerTool(
    'context_build',
    {
      title: 'Build a context',
      description:
        `Assemble context from namespace '${options.namespace}' within a token budget, in one call and one snapshot. ` +
        'Each section has exactly one source (text, get, prefix, sql, table, search, graph, temporal, rows) and a priority; ' +
        'less important sections lose whole rows first. Returns the text, its tokens and what each section kept.',
      inputSchema: {
        budget: z.number().int().min(1).max(1_000_000).describe('token budget (never exceeded)'),
        format: z.enum(['toon', 'json', 'markdown']).default('toon').describe("how tabular data is written (default 'toon')"),
        tokenizer: z.enum(['o200k_base', 'cl100k_base']).default('o200k_base').describe('the tokenizer the budget is counted with'),
        sections: z
          .array(z.object({ name: z.string().min(1).max(200).describe('section name (unique)'), spec: sectionSchema }))
          .min(1)
          .max(32)
          .describe('the sections'),
      },
      annotations: READ_ONLY,
    },
    guarded(async (args) => {
      const { db, namespace } = scope;
      const builder = new ContextBuilder(
        {
          storage: db.storage,
          kv: KvStore.namespaced(db.storage, namespace),
          sql: scope.sql,
          collection: async (name) => (await scope.reader()).collection(name),
          graph: db.graph,
          temporal: db.temporal,
          namespace,
        },
        { budget: args.budget, format: args.format, tokenizer: args.tokenizer },
      );
      for (const { name, spec } of args.sections) builder.section(name, sectionSpec(spec));
      const built = await builder.build();
      return ok(built.text, { tokens: built.tokens, budget: built.budget, sections: built.sections.map((s) => ({ ...s })) });
    }),
  );
}

/** The parsed section as the builder's SectionSpec: its one source (the schema checked there is one) and its options. */
function sectionSpec(spec: ParsedSection): SectionSpec {
  const base: SectionOptions = {
    ...(spec.priority === undefined ? {} : { priority: spec.priority }),
    ...(spec.truncation === undefined ? {} : { truncation: spec.truncation }),
    ...(spec.maxTokens === undefined ? {} : { maxTokens: spec.maxTokens }),
  };
  const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));
  if (spec.text !== undefined) return { ...base, text: spec.text };
  if (spec.get !== undefined) return { ...base, get: spec.get };
  if (spec.prefix !== undefined) return { ...base, prefix: spec.prefix, ...opt('limit', spec.limit), ...opt('last', spec.last) };
  if (spec.sql !== undefined) return { ...base, sql: spec.sql, ...opt('params', spec.params) };
  if (spec.table !== undefined) return { ...base, table: spec.table, ...opt('last', spec.last), ...opt('orderBy', spec.orderBy) };
  if (spec.search !== undefined) {
    const { filter, ...search } = spec.search;
    // The collection checks the filter's operators and names a bad one in a ValidationError.
    return { ...base, search: { ...search, ...opt('filter', filter as MetadataFilter | undefined) } };
  }
  if (spec.graph !== undefined) return { ...base, graph: spec.graph };
  if (spec.temporal !== undefined) return { ...base, temporal: spec.temporal };
  return { ...base, rows: spec.rows ?? [] };
}
