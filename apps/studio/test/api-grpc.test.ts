// The studio over a real sochdb-grpc-server (started in this process on 127.0.0.1, a free port,
// with an API key, serving a seeded LevelDB database in a temp folder): the pages gRPC can serve
// answer with the server's data in the same shapes as over a folder; what it cannot answers 501
// NotOverGrpcError (9100); a read-only studio refuses writes; in write mode a change through the
// studio is seen by a plain client of the server; bad --grpc input fails at start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '@sochdb/sdk';
import { SochDBClient } from '@sochdb/grpc-client';
// @sochdb/grpc-server has no package entry point (it is a CLI): its source, as its own tests use it.
import { startServer, type RunningServer } from '../../grpc-server/src/index.js';
import { startStudio, type RunningStudio } from '../src/index.js';
import { connectGrpc, GrpcAddressError } from '../src/grpc-connect.js';
import { grpcSource } from '../src/grpc-source.js';
import { runStudio } from '../src/run.js';
import { json, seed } from './helpers.js';

const API_KEY = 'studio-grpc-key-0123456789';
let dir: string;
let db: Database;
let server: RunningServer;
let address: string;

/** A studio over the gRPC server and a fetch with its token. */
async function studioOver(write: boolean) {
  const source = grpcSource(await connectGrpc(address, { apiKey: API_KEY }), { queues: ['emails', 'emails-dead'] });
  const studio: RunningStudio = await startStudio({ source, write });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${studio.url}${path}`, { ...init, headers: { authorization: `Bearer ${studio.token}`, 'content-type': 'application/json' } });
  return { api, close: async () => (await studio.close(), await source.close()) };
}

let read: Awaited<ReturnType<typeof studioOver>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sochdb-studio-grpc-'));
  db = await Database.open(join(dir, 'db'));
  await seed(db);
  server = await startServer({ db, host: '127.0.0.1', port: 0, apiKey: API_KEY, logLevel: 'silent' });
  address = `127.0.0.1:${server.port}`;
  read = await studioOver(false);
});

afterAll(async () => {
  await read.close();
  await server.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('over gRPC, read-only', () => {
  it('overview: source grpc, no storage counters or size, namespaces with collections, the named queues', async () => {
    const overview = await json(await read.api('/api/overview'));
    expect(overview).toMatchObject({ source: 'grpc', path: address, stats: null, sizeBytes: null, write: false });
    const namespaces = overview.namespaces as { name: string; collections: { name: string; count: number; dimension: number }[] }[];
    expect(namespaces.map((n) => [n.name, n.collections.map((c) => [c.name, c.count, c.dimension])])).toEqual([['docs', [['articles', 6, 4]]]]);
    const queues = overview.queues as { name: string; pending: number }[];
    expect(queues.map((q) => [q.name, q.pending])).toEqual([
      ['emails', 2],
      ['emails-dead', 1],
    ]);
  });

  it('SQL: runs a SELECT; refuses a write (403) and anything but one SELECT', async () => {
    const sql = await json(
      await read.api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: 'SELECT name FROM users WHERE id <= ? ORDER BY id', params: [2] }) }),
    );
    expect(sql).toMatchObject({ columns: ['name'], rows: [['Alice'], ['Bob']], rowCount: 2 });
    for (const statement of ["INSERT INTO users (name) VALUES ('Mallory')", 'SELECT 1; DELETE FROM users', 'DELETE FROM users']) {
      const refused = await read.api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: statement }) });
      expect(refused.status, statement).toBe(403);
    }
    expect((await db.execute('SELECT count(*) AS n FROM users')).rows).toEqual([{ n: 5 }]);
  });

  it('KV: pages the root keyspace by prefix with a cursor, reads a value and a namespace key', async () => {
    const first = await json(await read.api('/api/kv?prefix=page/&limit=10'));
    expect((first.entries as { key: string }[]).map((e) => e.key)).toEqual(Array.from({ length: 10 }, (_, i) => `page/${String(i).padStart(3, '0')}`));
    expect(first.next).toBe('page/009');
    const second = await json(await read.api('/api/kv?prefix=page/&limit=10&after=page/009'));
    expect((second.entries as { key: string }[])[0]?.key).toBe('page/010');
    expect((await json(await read.api('/api/kv/value?key=greeting'))).value).toMatchObject({ text: 'hello world' });
    expect((await json(await read.api('/api/kv/value?key=hex:ff0001'))).value).toMatchObject({ hex: 'deadbeef' });
    expect((await json(await read.api('/api/kv/value?namespace=docs&key=ns-key'))).value).toMatchObject({ text: 'namespaced' });
    expect((await read.api('/api/kv/value?key=missing')).status).toBe(404);
  });

  it('collections: lists them and searches (keyword, vector with a filter, more like a document)', async () => {
    const list = await json(await read.api('/api/collections'));
    expect((list.collections as { name: string; count: number }[]).map((c) => [c.name, c.count])).toEqual([['articles', 6]]);
    const search = (body: unknown) => read.api('/api/collections/docs/articles/search', { method: 'POST', body: JSON.stringify(body) });
    const keyword = await json(await search({ textQuery: 'sourdough bread', k: 2 }));
    expect((keyword.hits as { id: string }[])[0]?.id).toBe('a3');
    const vector = await json(await search({ vector: [1, 0, 0, 0], k: 3, filter: { topic: { $eq: 'db' } } }));
    expect((vector.hits as { id: string }[]).map((h) => h.id)).toEqual(['a1', 'a2']);
    const like = await json(await search({ likeId: 'a3', k: 1 }));
    expect((like.hits as { id: string }[]).map((h) => h.id)).toEqual(['a4']);
  });

  it('queues: the next tasks and one task', async () => {
    const top = await json(await read.api('/api/queues/emails/top?k=5'));
    expect((top.tasks as { taskId: string }[]).map((t) => t.taskId)).toEqual(['mail-1', 'mail-2']);
    const task = await json(await read.api('/api/queues/emails/tasks/mail-2'));
    expect((task.task as { payload: { text: string } }).payload.text).toBe('second');
    expect((await read.api('/api/queues/not-named/top')).status).toBe(404);
  });

  it('graph and temporal: a neighbourhood and a timeline', async () => {
    const graph = await json(await read.api('/api/graph/social/neighbors?node=bob'));
    expect((graph.nodes as { id: string }[]).map((n) => n.id).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(graph.edges).toHaveLength(3);
    const timeline = await json(await read.api('/api/temporal/social/timeline?node=alice&at=1500'));
    expect(timeline.times).toEqual([1000, 2000]);
    expect((timeline.valid as { toId: string }[]).map((e) => e.toId)).toEqual(['acme']);
  });

  it('what gRPC cannot give answers 501 NotOverGrpcError (9100) saying so', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/sql/explain', { sql: 'SELECT * FROM users' }],
      ['GET', '/api/collections/docs/articles/documents', undefined],
      ['GET', '/api/collections/docs/articles/projection', undefined],
      ['GET', '/api/queues/emails/dead', undefined],
    ] as const) {
      const response = await read.api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      expect(response.status, path).toBe(501);
      const error = (await json(response)).error as { code: number; name: string; message: string };
      expect(error, path).toMatchObject({ code: 9100, name: 'NotOverGrpcError' });
      expect(error.message).toContain('not available over gRPC');
    }
  });
});

it('in write mode, a KV put and an SQL insert through the studio are seen by another client of the server', async () => {
  const write = await studioOver(true);
  const client = new SochDBClient(address, { apiKey: API_KEY, timeoutMs: 5000 });
  try {
    expect((await write.api('/api/kv', { method: 'PUT', body: JSON.stringify({ key: 'from-studio', text: 'over grpc' }) })).status).toBe(200);
    expect((await client.getKv('', 'from-studio'))?.toString()).toBe('over grpc');
    const inserted = await json(await write.api('/api/sql', { method: 'POST', body: JSON.stringify({ sql: "INSERT INTO users (name) VALUES ('Grace')" }) }));
    expect(inserted.rowsAffected).toBe(1);
    expect((await client.executeSql("SELECT name FROM users WHERE name = 'Grace'")).rows).toEqual([{ name: 'Grace' }]);
    expect((await write.api('/api/queues/emails/dead/mail-0/retry', { method: 'POST' })).status).toBe(501);
  } finally {
    client.close();
    await write.close();
  }
});

it('runStudio refuses --grpc nonsense, and a folder with --grpc, before listening', async () => {
  await expect(runStudio(undefined, { grpc: 'nonsense' })).rejects.toBeInstanceOf(GrpcAddressError);
  await expect(runStudio(dir, { grpc: address })).rejects.toMatchObject({ code: 6000, field: 'grpc' });
  await expect(runStudio(undefined, {})).rejects.toMatchObject({ code: 6000, field: 'db' });
  await expect(runStudio(undefined, { grpc: address, tlsCa: join(dir, 'no-such-ca.pem') })).rejects.toMatchObject({ code: 6000, field: 'tlsCa' });
});
