// `sochdb mcp` as a real child process on a real LevelDB folder, driven by the SDK's own Client
// over stdio: every tool, bad arguments, read-only refusals and namespace isolation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Database, SqlEngine } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, call, cliClient, seed, text } from './helpers.js';

const READ_TOOLS = [
  'collection_info',
  'collection_list',
  'collection_search',
  'context_build',
  'graph_neighbors',
  'graph_traverse',
  'kv_get',
  'kv_scan',
  'queue_stats',
  'sql_query',
  'temporal_query',
];
const WRITE_TOOLS = ['collection_insert', 'kv_delete', 'kv_put', 'queue_ack', 'queue_dequeue', 'queue_enqueue', 'queue_nack', 'sql_execute'];

let folder: string;
beforeAll(async () => {
  folder = join(mkdtempSync(join(tmpdir(), 'sochdb-mcp-')), 'db');
  await seed(folder);
});
afterAll(() => rmSync(join(folder, '..'), { recursive: true, force: true }));

describe('sochdb mcp (read-only, namespace a)', () => {
  let client: Client;
  let stderr: () => string;
  beforeAll(async () => ({ client, stderr } = await cliClient(folder, '--namespace', 'a')));
  afterAll(async () => client?.close());

  it('lists the read tools only, each described with an object input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
    expect(stderr()).toContain("namespace 'a', read-only");
  });

  it('sql_query answers in TOON, with structured rows', async () => {
    const r = await call(client, 'sql_query', { sql: 'SELECT id, body FROM notes WHERE id > ? ORDER BY id', params: [0] });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toBe('rows[2]{id,body}:1,a first;2,a second');
    expect(r.structuredContent).toMatchObject({
      columns: ['id', 'body'],
      rows: [
        { id: 1, body: 'a first' },
        { id: 2, body: 'a second' },
      ],
    });
  });

  it('sql_query shows at most 500 rows, and says how many it left out', async () => {
    const r = await call(client, 'sql_query', { sql: 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 502) SELECT i FROM n' });
    expect(text(r)).toMatch(/^rows\[500\]\{i\}:1;2;.*;500\n\(2 more rows not shown: add a LIMIT, or aggregate\)$/);
    expect(r.structuredContent).toMatchObject({ totalRows: 502 });
  });

  it('sql_query refuses writes: nothing is written', async () => {
    for (const sql of ["INSERT INTO notes (body) VALUES ('x')", 'CREATE TABLE t2 (x)', 'DELETE FROM notes']) {
      const r = await call(client, 'sql_query', { sql });
      expect(r.isError, sql).toBe(true);
      expect(text(r)).toMatch(/^TransactionError \(2001\): sql_query is read-only.*sochdb mcp --write/);
    }
    expect(text(await call(client, 'sql_query', { sql: 'SELECT count(*) AS n FROM notes' }))).toBe('rows[1]{n}:2');
  });

  it('a write tool is not there to call', async () => {
    const r = await call(client, 'kv_put', { key: 'k', value: 'v' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/kv_put not found/);
  });

  it('SQL errors come back as tool errors with their code, and the server keeps serving', async () => {
    const r = await call(client, 'sql_query', { sql: 'SELEC 1' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^SqlSyntaxError \(5004\): SQL syntax error at line 1, column 1/);
    expect(r.structuredContent).toMatchObject({ error: { name: 'SqlSyntaxError', code: 5004, remediation: expect.any(String) } });
    expect(text(await call(client, 'sql_query', { sql: 'SELECT 1 AS one' }))).toBe('rows[1]{one}:1');
  });

  it('bad arguments are tool errors naming the field', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['kv_get', {}, /Invalid arguments for tool kv_get.*key/s],
      ['kv_scan', { limit: 0 }, /limit/],
      ['collection_search', { collection: 'docs', vector: ['x'] }, /vector/],
      ['temporal_query', { node: 'alice', mode: 'range' }, /mode 'range' needs startTime and endTime/],
      ['sql_query', { sql: '' }, /sql must not be empty/],
    ];
    for (const [name, args, message] of cases) {
      const r = await call(client, name, args);
      expect(r.isError, name).toBe(true);
      expect(text(r), name).toMatch(message);
    }
  });

  it('kv_get and kv_scan read namespace a', async () => {
    expect(text(await call(client, 'kv_get', { key: 'greeting' }))).toBe('hello from a');
    const missing = await call(client, 'kv_get', { key: 'nope' });
    expect(missing.structuredContent).toMatchObject({ found: false });
    const scan = await call(client, 'kv_scan', { prefix: 'user/', limit: 1 });
    expect(text(scan)).toMatch(/^kv\[1\]\{key,value\}:user\/1,"\{\\"name\\":\\"a-one\\"\}"\n\(more keys follow/);
  });

  it('collections: list, info, vector / keyword / hybrid search with a filter', async () => {
    expect(text(await call(client, 'collection_list'))).toMatch(/^collections\[1\]\{namespace,name,dimension,metric/);
    expect((await call(client, 'collection_info', { collection: 'docs' })).structuredContent).toMatchObject({ name: 'docs', dimension: 3, documents: 3 });
    const vector = await call(client, 'collection_search', { collection: 'docs', vector: [1, 0, 0], k: 1 });
    expect(text(vector)).toMatch(/^hits\[1\]\{id,score,content,metadata\}:a-d1,1,a neural networks,/);
    const keyword = await call(client, 'collection_search', { collection: 'docs', query: 'learning' });
    expect((keyword.structuredContent as { hits: { id: string }[] }).hits.map((h) => h.id)).toEqual(['a-d2']);
    const hybrid = await call(client, 'collection_search', { collection: 'docs', vector: [0, 1, 0], query: 'databases', filter: { lang: 'en' }, alpha: 0.5 });
    expect((hybrid.structuredContent as { hits: { id: string }[] }).hits.map((h) => h.id).sort()).toEqual(['a-d1', 'a-d3']);
    const neither = await call(client, 'collection_search', { collection: 'docs' });
    expect(text(neither)).toMatch(/^ValidationError \(6000\): collection_search needs vector, query, or both/);
  });

  it('graph_neighbors, graph_traverse and temporal_query read namespace a', async () => {
    expect(text(await call(client, 'graph_neighbors', { nodeId: 'alice' }))).toMatch(
      /^neighbors\[1\]\{id,type,edgeType,direction,properties,edgeProperties\}:bob,person,KNOWS,out/,
    );
    const traversal = await call(client, 'graph_traverse', { startNode: 'alice', maxDepth: 2 });
    expect((traversal.structuredContent as { nodes: { id: string; depth: number }[] }).nodes.map((n) => [n.id, n.depth])).toEqual([
      ['alice', 0],
      ['bob', 1],
    ]);
    const at = await call(client, 'temporal_query', { node: 'alice', mode: 'point_in_time', timestamp: T0 + 10 });
    expect(text(at)).toBe(`edges[1]{fromId,edgeType,toId,validFrom,validUntil,properties}:alice,WORKS_AT,a-corp,${T0},${T0 + 1000},{}`);
    expect(text(await call(client, 'temporal_query', { node: 'alice', mode: 'point_in_time', timestamp: T0 + 5000 }))).toMatch(/^edges\[0\]/);
    expect(text(await call(client, 'temporal_query', { node: 'alice', mode: 'range', startTime: 0, endTime: T0 + 1 }))).toMatch(/^edges\[1\]/);
    expect(text(await call(client, 'temporal_query', { node: 'alice', mode: 'current' }))).toMatch(/^edges\[0\]/);
  });

  it('queue_stats counts the namespace queue', async () => {
    expect((await call(client, 'queue_stats', { queue: 'jobs' })).structuredContent).toMatchObject({ queue: 'jobs', pending: 1, total: 1 });
  });

  it('context_build fits namespace data into a budget', async () => {
    const r = await call(client, 'context_build', {
      budget: 200,
      sections: [
        { name: 'intro', spec: { text: 'You help with notes.' } },
        { name: 'notes', spec: { priority: 1, sql: 'SELECT body FROM notes ORDER BY id' } },
        { name: 'greeting', spec: { priority: 2, get: 'greeting' } },
      ],
    });
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toContain('You help with notes.');
    expect(text(r)).toContain('a first');
    expect(text(r)).toContain('hello from a');
    expect(text(r)).not.toContain('from b');
    const s = r.structuredContent as { tokens: number; sections: { name: string }[] };
    expect(s.tokens).toBeLessThanOrEqual(200);
    expect(s.sections.map((x) => x.name)).toEqual(['intro', 'notes', 'greeting']);
    const twoSources = await call(client, 'context_build', { budget: 100, sections: [{ name: 'x', spec: { text: 'a', get: 'b' } }] });
    expect(text(twoSources)).toMatch(/exactly one source/);
  });

  it('namespace isolation: nothing of b is reachable from a', async () => {
    expect((await call(client, 'kv_get', { key: 'b-only' })).structuredContent).toMatchObject({ found: false });
    expect(text(await call(client, 'kv_scan', {}))).not.toMatch(/b-only|from b/);
    expect(text(await call(client, 'sql_query', { sql: 'SELECT * FROM secrets' }))).toMatch(/no such table: secrets/);
    expect(text(await call(client, 'sql_query', { sql: 'SELECT body FROM notes' }))).not.toMatch(/b first/);
    expect(text(await call(client, 'graph_neighbors', { nodeId: 'carol' }))).toMatch(/^GraphNodeNotFoundError/);
    const search = await call(client, 'collection_search', { collection: 'docs', query: 'neural networks deep learning databases', k: 10 });
    expect((search.structuredContent as { hits: { id: string }[] }).hits.every((h) => h.id.startsWith('a-'))).toBe(true);
    // A namespace field in the input is not a way out: it is not part of any schema, and is dropped.
    expect(text(await call(client, 'graph_neighbors', { nodeId: 'carol', namespace: 'b' }))).toMatch(/^GraphNodeNotFoundError/);
    const context = await call(client, 'context_build', { budget: 500, sections: [{ name: 'g', spec: { graph: { node: 'carol', namespace: 'b' } } }] });
    expect(context.isError).toBe(true);
  });

  it('resources: the schema, each table, the collections', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['sochdb://a/collections', 'sochdb://a/schema', 'sochdb://a/tables/notes']);
    const schema = await client.readResource({ uri: 'sochdb://a/schema' });
    expect(schema.contents[0]).toMatchObject({ text: expect.stringMatching(/^CREATE TABLE notes/) });
    const table = await client.readResource({ uri: 'sochdb://a/tables/notes' });
    expect(JSON.parse(String((table.contents[0] as { text: string }).text))).toMatchObject({ table: 'notes', columns: [{ name: 'id' }, { name: 'body' }] });
    await expect(client.readResource({ uri: 'sochdb://a/tables/secrets' })).rejects.toThrow(/no such table: secrets/);
    const collections = await client.readResource({ uri: 'sochdb://a/collections' });
    expect((collections.contents[0] as { text: string }).text).toMatch(/^collections\[1\]/);
  });
});

describe('sochdb mcp --write (namespace a)', () => {
  let client: Client;
  beforeAll(async () => ({ client } = await cliClient(folder, '--namespace', 'a', '--write')));
  afterAll(async () => client?.close());

  it('lists the write tools too', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
  });

  it('sql_execute writes in one transaction; a failing script writes nothing', async () => {
    const r = await call(client, 'sql_execute', { sql: 'INSERT INTO notes (body) VALUES (?)', params: ['a third'] });
    expect(text(r)).toBe('ok: 1 row(s) affected, lastInsertRowid 3');
    const failed = await call(client, 'sql_execute', { sql: "INSERT INTO notes (body) VALUES ('a fourth'); INSERT INTO notes (body) VALUES (NULL)" });
    expect(text(failed)).toMatch(/^ConstraintError/);
    expect(text(await call(client, 'sql_query', { sql: 'SELECT count(*) AS n FROM notes' }))).toBe('rows[1]{n}:3');
    expect(text(await call(client, 'sql_execute', { sql: 'BEGIN' }))).toMatch(/cannot start a transaction within a transaction/);
  });

  it('kv_put and kv_delete, text and base64', async () => {
    await call(client, 'kv_put', { key: 'new', value: 'v1' });
    await call(client, 'kv_put', { key: 'bin', value: Buffer.from([0xff, 0x00]).toString('base64'), encoding: 'base64' });
    expect(text(await call(client, 'kv_get', { key: 'new' }))).toBe('v1');
    expect(text(await call(client, 'kv_get', { key: 'bin' }))).toBe('base64:/wA=');
    await call(client, 'kv_delete', { key: 'new' });
    expect((await call(client, 'kv_get', { key: 'new' })).structuredContent).toMatchObject({ found: false });
  });

  it('collection_insert, into an existing collection or a new one', async () => {
    const r = await call(client, 'collection_insert', {
      collection: 'docs',
      documents: [{ id: 'a-d4', vector: [1, 1, 0], content: 'new doc', metadata: { lang: 'de' } }],
    });
    expect(text(r)).toBe('inserted 1 document(s): a-d4');
    expect(text(await call(client, 'collection_search', { collection: 'docs', vector: [1, 1, 0], k: 1 }))).toMatch(/:a-d4,/);
    const missing = await call(client, 'collection_insert', { collection: 'fresh', documents: [{ vector: [1, 2] }] });
    expect(text(missing)).toMatch(/^CollectionNotFoundError \(4001\)/);
    expect((await call(client, 'collection_insert', { collection: 'fresh', create: true, documents: [{ vector: [1, 2] }] })).isError).toBeFalsy();
    expect((await call(client, 'collection_info', { collection: 'fresh' })).structuredContent).toMatchObject({ dimension: 2, documents: 1 });
    const wrongDimension = await call(client, 'collection_insert', { collection: 'docs', documents: [{ vector: [1, 2] }] });
    expect(text(wrongDimension)).toMatch(/^DimensionMismatchError \(6001\)/);
  });

  it('queue_enqueue, queue_dequeue, queue_nack, queue_ack', async () => {
    const first = await call(client, 'queue_dequeue', { queue: 'jobs', workerId: 'w1' });
    const task = (first.structuredContent as { task: { taskId: string; payload: string; claimToken: string } }).task;
    expect(task.payload).toBe('job of a');
    expect(text(await call(client, 'queue_nack', { queue: 'jobs', taskId: task.taskId, claimToken: task.claimToken }))).toMatch(/^returned/);
    const again = (await call(client, 'queue_dequeue', { queue: 'jobs' })).structuredContent as { task: { taskId: string; claimToken: string } };
    expect(again.task.taskId).toBe(task.taskId);
    expect((await call(client, 'queue_ack', { queue: 'jobs', taskId: task.taskId, claimToken: again.task.claimToken })).structuredContent).toEqual({
      acked: true,
    });
    const enqueued = (await call(client, 'queue_enqueue', { queue: 'jobs', payload: '{"n":2}', priority: 5, metadata: { by: 'mcp' } })).structuredContent as {
      taskId: string;
    };
    expect((await call(client, 'queue_stats', { queue: 'jobs' })).structuredContent).toMatchObject({ pending: 1, completed: 1 });
    const next = (await call(client, 'queue_dequeue', { queue: 'jobs' })).structuredContent as { task: { taskId: string } };
    expect(next.task.taskId).toBe(enqueued.taskId);
    expect((await call(client, 'queue_dequeue', { queue: 'jobs' })).structuredContent).toEqual({ task: null });
  });

  it("b's data was left as it was (read after the server exits)", async () => {
    await client.close();
    const db = await Database.open(folder);
    try {
      const b = await db.namespace('b');
      expect((await b.get('greeting'))?.toString()).toBe('hello from b');
      expect(await (await b.collection('docs')).count()).toBe(3);
      expect((await new SqlEngine(db.storage, { namespace: 'b' }).execute('SELECT count(*) AS n FROM notes')).rows).toEqual([{ n: 2 }]);
      expect((await db.queue('b:jobs').stats()).pending).toBe(1);
      // The server's SQL tables are namespace a's, not the database-wide ones of db.execute.
      await expect(db.execute('SELECT * FROM notes')).rejects.toThrow(/no such table/);
    } finally {
      await db.close();
    }
  });
});
