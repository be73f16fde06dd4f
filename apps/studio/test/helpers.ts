// A real LevelDB database in a temp folder, seeded with something of every kind the studio shows,
// and a studio started on it; `api` fetches with the token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@sochdb/sdk';
import { startStudio, type RunningStudio } from '../src/index.js';

/** Keys `page/000` … `page/024`, for paging. */
export const PAGE_KEYS = 25;

/** Fills `db`: KV, a table, a collection with text, a queue with a dead letter, a graph, temporal edges. */
export async function seed(db: Database): Promise<void> {
  await db.put('user/1', JSON.stringify({ name: 'Alice', plan: 'pro' }));
  await db.put('greeting', 'hello world');
  await db.put(Buffer.from([0xff, 0x00, 0x01]), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  for (let i = 0; i < PAGE_KEYS; i++) await db.put(`page/${String(i).padStart(3, '0')}`, `value ${i}`);

  await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)');
  await db.execute('CREATE INDEX users_name ON users (name)');
  for (const [name, email] of [
    ['Alice', 'alice@example.com'],
    ['Bob', 'bob@example.com'],
    ['Carol', 'carol@example.com'],
    ['Dave', null],
    ['Eve', 'eve@example.com'],
  ]) {
    await db.execute('INSERT INTO users (name, email) VALUES (?, ?)', [name, email]);
  }

  const ns = await db.createNamespace('docs');
  await ns.put('ns-key', 'namespaced');
  const articles = await ns.createCollection('articles', { dimension: 4 });
  const texts = [
    ['a1', [1, 0, 0, 0], 'vector databases store embeddings', 'db'],
    ['a2', [0.9, 0.1, 0, 0], 'approximate nearest neighbour search with HNSW', 'db'],
    ['a3', [0, 1, 0, 0], 'baking sourdough bread at home', 'food'],
    ['a4', [0, 0.9, 0.1, 0], 'a recipe for pizza dough', 'food'],
    ['a5', [0, 0, 1, 0], 'hiking trails in the alps', 'travel'],
    ['a6', [0, 0, 0.2, 1], 'train travel across europe', 'travel'],
  ] as const;
  for (const [id, vector, content, topic] of texts) await articles.insert({ id, vector: [...vector], content, metadata: { topic } });

  const emails = db.queue('emails', { maxAttempts: 1, deadLetterQueue: 'emails-dead' });
  await emails.enqueue({ priority: 1, payload: JSON.stringify({ to: 'alice@example.com' }), taskId: 'mail-1' });
  await emails.enqueue({ priority: 2, payload: 'second', taskId: 'mail-2' });
  await emails.enqueue({ priority: 0, payload: 'will fail', taskId: 'mail-0', metadata: { source: 'test' } });
  const failing = await emails.dequeue({ workerId: 'seeder' });
  if (failing === null) throw new Error('seed: nothing to dequeue');
  await emails.nack(failing); // the only attempt: dead-lettered to emails-dead

  for (const id of ['alice', 'bob', 'carol', 'dave']) await db.graphAddNode({ namespace: 'social', nodeId: id, nodeType: 'person', properties: { name: id } });
  await db.graphAddEdge({ namespace: 'social', fromId: 'alice', edgeType: 'FOLLOWS', toId: 'bob' });
  await db.graphAddEdge({ namespace: 'social', fromId: 'bob', edgeType: 'FOLLOWS', toId: 'carol' });
  await db.graphAddEdge({ namespace: 'social', fromId: 'carol', edgeType: 'FOLLOWS', toId: 'dave' });
  await db.graphAddEdge({ namespace: 'social', fromId: 'bob', edgeType: 'KNOWS', toId: 'alice' });

  await db.addTemporalEdge({ namespace: 'social', fromId: 'alice', edgeType: 'WORKS_AT', toId: 'acme', validFrom: 1000, validUntil: 2000 });
  await db.addTemporalEdge({ namespace: 'social', fromId: 'alice', edgeType: 'WORKS_AT', toId: 'globex', validFrom: 2000 });
}

/** A new temp folder holding a seeded database, closed again (so a child process can open it). */
export async function seededFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sochdb-studio-'));
  const db = await Database.open(join(dir, 'db'));
  await seed(db);
  await db.close();
  return dir;
}

/** A studio on a freshly seeded database, and its teardown. */
export interface Harness {
  readonly db: Database;
  readonly studio: RunningStudio;
  /** `fetch` of `path` on the studio with the token (unless `init.headers` says otherwise). */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON request with the token: `send('PUT', '/api/kv', { … })`. */
  send(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Seeds a database and starts a studio on it (read-only unless `write`). */
export async function harness(options: { readonly write?: boolean } = {}): Promise<Harness> {
  const dir = await seededFolder();
  const db = await Database.open(join(dir, 'db'));
  const studio = await startStudio({ db, write: options.write === true });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${studio.url}${path}`, { ...init, headers: { authorization: `Bearer ${studio.token}`, ...(init.headers as Record<string, string> | undefined) } });
  return {
    db,
    studio,
    api,
    send: (method, path, body) =>
      api(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) }),
    async close() {
      await studio.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON body of `response`, typed loosely for assertions. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
