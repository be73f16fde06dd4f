// Every read endpoint on a seeded LevelDB database, through real HTTP: the shapes the UI will
// rely on, paging, bad input (400 naming the field) and the token (401).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, json, PAGE_KEYS, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

interface ErrorJson {
  readonly error: {
    readonly code: number;
    readonly name: string;
    readonly message: string;
    readonly field?: string;
    readonly line?: number;
    readonly column?: number;
  };
}

describe('the token', () => {
  it('refuses a request without it (401 JSON, AuthenticationError 1002)', async () => {
    const response = await fetch(`${h.studio.url}/api/overview`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as ErrorJson;
    expect(body.error).toMatchObject({ code: 1002, name: 'AuthenticationError' });
  });
  it('refuses a wrong token, in the header or the query', async () => {
    expect((await fetch(`${h.studio.url}/api/overview`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${h.studio.url}/api/overview?token=${h.studio.token}x`)).status).toBe(401);
    expect((await fetch(`${h.studio.url}/api/nothing-here`)).status).toBe(401);
  });
  it('accepts ?token= on the API and the bearer header', async () => {
    expect((await fetch(`${h.studio.url}/api/overview?token=${h.studio.token}`)).status).toBe(200);
    expect((await h.api('/api/overview')).status).toBe(200);
  });
  it('is 32 random base64url characters, and the server listens on loopback', () => {
    expect(h.studio.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(h.studio.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('overview', () => {
  it('shows stats (bigints as text), namespaces with their collections, and queues', async () => {
    const body = (await (await h.api('/api/overview')).json()) as {
      path: string;
      concurrent: boolean;
      sizeBytes: number;
      write: boolean;
      stats: { lsn: string; keysCount: number };
      namespaces: { name: string; collections: { name: string; dimension: number; metric: string; count: number }[] }[];
      queues: { name: string; pending: number; deadLettered: number }[];
    };
    expect(body.concurrent).toBe(false);
    expect(body.sizeBytes).toBeGreaterThan(0);
    expect(body.write).toBe(false);
    expect(body.path).toMatch(/db$/);
    expect(body.stats.lsn).toMatch(/^\d+$/);
    expect(body.stats.keysCount).toBeGreaterThan(0);
    expect(body.namespaces).toEqual([
      expect.objectContaining({ name: 'docs', collections: [expect.objectContaining({ name: 'articles', dimension: 4, metric: 'cosine', count: 6 })] }),
    ]);
    expect(body.queues.map((q) => q.name)).toEqual(['emails', 'emails-dead']);
    expect(body.queues[0]).toMatchObject({ pending: 2, deadLettered: 1 });
    expect(body.queues[1]).toMatchObject({ pending: 1 });
  });
});

describe('KV', () => {
  it('pages through a prefix with a key cursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const query: string = `/api/kv?prefix=page/&limit=10${after === null ? '' : `&after=${encodeURIComponent(after)}`}`;
      const body = (await (await h.api(query)).json()) as { entries: { key: string; value: { text: string } }[]; next: string | null };
      seen.push(...body.entries.map((e) => e.key));
      after = body.next;
      if (after === null) break;
    }
    expect(seen).toHaveLength(PAGE_KEYS);
    expect(seen[0]).toBe('page/000');
    expect(seen.at(-1)).toBe(`page/${String(PAGE_KEYS - 1).padStart(3, '0')}`);
    expect(new Set(seen).size).toBe(PAGE_KEYS);
  });
  it('shows values as text, JSON and hex, and binary keys as hex:', async () => {
    const all = (await (await h.api('/api/kv?limit=1000')).json()) as { entries: { key: string; value: { text?: string; hex: string; bytes: number } }[] };
    const binary = all.entries.find((e) => e.key.startsWith('hex:'));
    expect(binary).toEqual({ key: 'hex:ff0001', value: { hex: 'deadbeef', bytes: 4 } });
    const user = (await (await h.api('/api/kv/value?key=user/1')).json()) as { value: { json: unknown; text: string } };
    expect(user.value.json).toEqual({ name: 'Alice', plan: 'pro' });
    const bin = (await (await h.api('/api/kv/value?key=hex:ff0001')).json()) as { value: { hex: string } };
    expect(bin.value.hex).toBe('deadbeef');
  });
  it("reads a namespace's own keyspace", async () => {
    const body = (await (await h.api('/api/kv?namespace=docs')).json()) as { entries: { key: string; value: { text: string } }[] };
    expect(body.entries).toEqual([{ key: 'ns-key', value: expect.objectContaining({ text: 'namespaced' }) }]);
  });
  it('answers 404 for a missing key or namespace, and 400 naming the field for bad input', async () => {
    const missing = await h.api('/api/kv/value?key=nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorJson).error.code).toBe(9004);
    const noNs = await h.api('/api/kv?namespace=ghost');
    expect(noNs.status).toBe(404);
    expect(((await noNs.json()) as ErrorJson).error.code).toBe(3001);
    const badLimit = await h.api('/api/kv?limit=0');
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as ErrorJson).error).toMatchObject({ code: 6000, field: 'query.limit' });
    const badHex = await h.api('/api/kv/value?key=hex:abc');
    expect(((await badHex.json()) as ErrorJson).error).toMatchObject({ code: 6000, field: 'query.key' });
    const noKey = await h.api('/api/kv/value');
    expect(((await noKey.json()) as ErrorJson).error.field).toBe('query.key');
  });
});

describe('SQL', () => {
  it('runs a query and returns one page, the row count and the TOON vs JSON token counts', async () => {
    const response = await h.send('POST', '/api/sql', { sql: 'SELECT id, name, email FROM users ORDER BY id', limit: 2, offset: 1 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { columns: string[]; rows: unknown[][]; rowCount: number; tokens: { toon: number; json: number } };
    expect(body.columns).toEqual(['id', 'name', 'email']);
    expect(body.rows).toEqual([
      [2, 'Bob', 'bob@example.com'],
      [3, 'Carol', 'carol@example.com'],
    ]);
    expect(body.rowCount).toBe(5);
    expect(body.tokens.toon).toBeGreaterThan(0);
    expect(body.tokens.toon).toBeLessThan(body.tokens.json);
  });
  it('takes parameters', async () => {
    const body = (await (await h.send('POST', '/api/sql', { sql: 'SELECT name FROM users WHERE id = ?', params: [4] })).json()) as { rows: unknown[][] };
    expect(body.rows).toEqual([['Dave']]);
  });
  it('reports a syntax error with its line and column', async () => {
    const response = await h.send('POST', '/api/sql', { sql: 'SELECT id\nFROM users\nWHERE name = = 1' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorJson;
    expect(error.name).toBe('SqlSyntaxError');
    expect(error.code).toBe(5004);
    expect(error.line).toBe(3);
    expect(error.column).toBeGreaterThan(1);
  });
  it('answers 400 for a missing table and for a body without sql', async () => {
    const noTable = await h.send('POST', '/api/sql', { sql: 'SELECT * FROM ghosts' });
    expect(noTable.status).toBe(400);
    expect(((await noTable.json()) as ErrorJson).error.code).toBe(5005);
    const noSql = await h.send('POST', '/api/sql', { limit: 5 });
    expect(noSql.status).toBe(400);
    expect(((await noSql.json()) as ErrorJson).error.field).toBe('body.sql');
    const notJson = await h.api('/api/sql', { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });
  it('explains a query as a plan tree', async () => {
    const body = (await (await h.send('POST', '/api/sql/explain', { sql: "SELECT * FROM users WHERE name = 'Bob' ORDER BY email" })).json()) as {
      plan: { id: number; parent: number; detail: string; children: unknown[] }[];
    };
    expect(body.plan.length).toBeGreaterThan(0);
    const details = JSON.stringify(body.plan);
    expect(details).toContain('users_name');
    expect(body.plan[0]).toEqual({ id: 1, parent: 0, detail: 'SEARCH users USING INDEX users_name (name=?)', children: [] });
    // A subquery's plan nests under it.
    const nested = (await (
      await h.send('POST', '/api/sql/explain', { sql: 'SELECT name FROM users WHERE id IN (SELECT id FROM users WHERE email IS NULL)' })
    ).json()) as {
      plan: { detail: string; children: { detail: string; parent: number }[] }[];
    };
    const sub = nested.plan.find((n) => n.children.length > 0);
    expect(sub?.detail).toMatch(/SUBQUERY/);
  });
  it('exports a result as CSV, JSON and TOON (GET and POST)', async () => {
    const csv = await h.api(`/api/sql/export?format=csv&sql=${encodeURIComponent('SELECT id, name, email FROM users WHERE id <= 2 ORDER BY id')}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toBe('id,name,email\r\n1,Alice,alice@example.com\r\n2,Bob,bob@example.com\r\n');
    const asJson = await h.send('POST', '/api/sql/export', { sql: 'SELECT id, name FROM users WHERE id = ?', params: [1], format: 'json' });
    expect(await asJson.json()).toEqual([{ id: 1, name: 'Alice' }]);
    const toon = await h.send('POST', '/api/sql/export', { sql: 'SELECT id, name FROM users WHERE id <= 2 ORDER BY id', format: 'toon' });
    expect(await toon.text()).toContain('Alice');
    const bad = await h.api('/api/sql/export?format=xml&sql=SELECT%201');
    expect(((await bad.json()) as ErrorJson).error.field).toBe('query.format');
  });
});

describe('collections', () => {
  it('lists collections with dimension, metric and count', async () => {
    const body = await json(await h.api('/api/collections'));
    expect(body['collections']).toEqual([expect.objectContaining({ namespace: 'docs', name: 'articles', dimension: 4, metric: 'cosine', count: 6 })]);
    expect((await h.api('/api/collections?namespace=ghost')).status).toBe(404);
  });
  it('pages documents by id, without vectors unless asked', async () => {
    const first = (await (await h.api('/api/collections/docs/articles/documents?limit=4')).json()) as {
      documents: { id: string; vector?: number[]; content: string }[];
      next: string | null;
    };
    expect(first.documents.map((d) => d.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(first.documents[0]).not.toHaveProperty('vector');
    expect(first.documents[0]?.content).toBe('vector databases store embeddings');
    expect(first.next).toBe('a4');
    const second = (await (await h.api('/api/collections/docs/articles/documents?limit=4&afterId=a4&vectors=1')).json()) as {
      documents: { id: string; vector: number[] }[];
      next: string | null;
    };
    expect(second.documents.map((d) => d.id)).toEqual(['a5', 'a6']);
    expect(second.documents[0]?.vector).toHaveLength(4);
    expect(second.next).toBeNull();
    expect((await h.api('/api/collections/docs/ghost/documents')).status).toBe(404);
  });
  it('searches by vector, by keyword, hybrid, and "more like this document", with filters', async () => {
    type Hits = { mode: string; hits: { id: string; score: number; metadata: { topic: string } }[] };
    const vector = (await (await h.send('POST', '/api/collections/docs/articles/search', { vector: [1, 0, 0, 0], k: 2 })).json()) as Hits;
    expect(vector.mode).toBe('vector');
    expect(vector.hits.map((x) => x.id)).toEqual(['a1', 'a2']);
    const keyword = (await (await h.send('POST', '/api/collections/docs/articles/search', { textQuery: 'sourdough bread', k: 3 })).json()) as Hits;
    expect(keyword.mode).toBe('keyword');
    expect(keyword.hits[0]?.id).toBe('a3');
    const hybrid = (await (
      await h.send('POST', '/api/collections/docs/articles/search', { vector: [0, 0, 1, 0], textQuery: 'europe', k: 2, alpha: 0.5 })
    ).json()) as Hits;
    expect(hybrid.mode).toBe('hybrid');
    expect(hybrid.hits.map((x) => x.id).sort()).toEqual(['a5', 'a6']);
    const like = (await (await h.send('POST', '/api/collections/docs/articles/search', { likeId: 'a3', k: 1 })).json()) as Hits;
    expect(like.hits.map((x) => x.id)).toEqual(['a4']);
    const filtered = (await (
      await h.send('POST', '/api/collections/docs/articles/search', { vector: [1, 0, 0, 0], k: 3, filter: { topic: 'travel' } })
    ).json()) as Hits;
    expect(filtered.hits.every((x) => x.metadata.topic === 'travel')).toBe(true);
  });
  it('refuses a search without a query, a wrong dimension and an unknown likeId', async () => {
    const none = await h.send('POST', '/api/collections/docs/articles/search', { k: 3 });
    expect(none.status).toBe(400);
    expect(((await none.json()) as ErrorJson).error.field).toBe('body.vector');
    const wrongK = await h.send('POST', '/api/collections/docs/articles/search', { vector: [1, 0, 0, 0], k: 0 });
    expect(((await wrongK.json()) as ErrorJson).error.field).toBe('body.k');
    const dimension = await h.send('POST', '/api/collections/docs/articles/search', { vector: [1, 0] });
    expect(dimension.status).toBe(400);
    expect(((await dimension.json()) as ErrorJson).error.code).toBe(6001);
    expect((await h.send('POST', '/api/collections/docs/articles/search', { likeId: 'ghost' })).status).toBe(404);
  });
  it('projects a sample of vectors to 2-D, coloured by a metadata field', async () => {
    const body = (await (await h.api('/api/collections/docs/articles/projection?sample=500&color=topic')).json()) as {
      points: { id: string; x: number; y: number; color: string }[];
      colors: string[];
      explainedVariance: number[];
      total: number;
    };
    expect(body.points).toHaveLength(6);
    expect(body.total).toBe(6);
    expect(body.colors).toEqual(['db', 'food', 'travel']);
    for (const p of body.points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    expect(body.explainedVariance[0]).toBeGreaterThan(0);
    const bad = await h.api('/api/collections/docs/articles/projection?sample=-3');
    expect(((await bad.json()) as ErrorJson).error.field).toBe('query.sample');
  });
});

describe('queues', () => {
  it('lists queues with their counts, and the next tasks', async () => {
    const list = (await (await h.api('/api/queues')).json()) as { queues: { name: string; pending: number }[] };
    expect(list.queues.map((q) => q.name)).toEqual(['emails', 'emails-dead']);
    const top = (await (await h.api('/api/queues/emails/top?k=5')).json()) as { tasks: { taskId: string; payload: { text: string; json?: unknown } }[] };
    expect(top.tasks.map((t) => t.taskId)).toEqual(['mail-1', 'mail-2']);
    expect(top.tasks[0]?.payload.json).toEqual({ to: 'alice@example.com' });
    expect((await h.api('/api/queues/ghost/top')).status).toBe(404);
    const badK = await h.api('/api/queues/emails/top?k=abc');
    expect(((await badK.json()) as ErrorJson).error.field).toBe('query.k');
  });
  it("shows a queue's dead letters with their attempt history, and one task", async () => {
    const dead = (await (await h.api('/api/queues/emails/dead')).json()) as {
      letters: { heldIn: string; task: { taskId: string; deadLetter: { queue: string; attempts: number; history: { workerId: string }[] } } }[];
    };
    expect(dead.letters).toHaveLength(1);
    expect(dead.letters[0]?.heldIn).toBe('emails-dead');
    expect(dead.letters[0]?.task.deadLetter).toMatchObject({ queue: 'emails', attempts: 1, history: [expect.objectContaining({ workerId: 'seeder' })] });
    const task = (await (await h.api('/api/queues/emails/tasks/mail-2')).json()) as { task: { payload: { text: string } } };
    expect(task.task.payload.text).toBe('second');
  });
});

describe('graph and temporal', () => {
  it("draws a node's neighbourhood as nodes and edges", async () => {
    const one = (await (await h.api('/api/graph/social/neighbors?node=bob')).json()) as {
      nodes: { id: string; depth: number }[];
      edges: { fromId: string; toId: string; edgeType: string }[];
    };
    expect(one.nodes.map((n) => n.id).sort()).toEqual(['alice', 'bob', 'carol']);
    expect(one.edges).toHaveLength(3); // alice→bob, bob→carol, bob→alice (KNOWS)
    const out2 = (await (await h.api('/api/graph/social/neighbors?node=alice&direction=out&depth=2')).json()) as { nodes: { id: string; depth: number }[] };
    expect(out2.nodes.map((n) => [n.id, n.depth])).toEqual([
      ['alice', 0],
      ['bob', 1],
      ['carol', 2],
    ]);
    expect((await h.api('/api/graph/social/neighbors?node=ghost')).status).toBe(404);
    const badDepth = await h.api('/api/graph/social/neighbors?node=bob&depth=9');
    expect(((await badDepth.json()) as ErrorJson).error.field).toBe('query.depth');
    const badDirection = await h.api('/api/graph/social/neighbors?node=bob&direction=up');
    expect(((await badDirection.json()) as ErrorJson).error.field).toBe('query.direction');
  });
  it("gives every version of a node's temporal edges, the change times, and a point in time", async () => {
    const all = (await (await h.api('/api/temporal/social/timeline?node=alice')).json()) as { versions: { toId: string }[]; times: number[] };
    expect(all.versions.map((v) => v.toId).sort()).toEqual(['acme', 'globex']);
    expect(all.times).toEqual([1000, 2000]);
    const at = (await (await h.api('/api/temporal/social/timeline?node=alice&at=1500')).json()) as { valid: { toId: string }[] };
    expect(at.valid.map((v) => v.toId)).toEqual(['acme']);
    const later = (await (await h.api('/api/temporal/social/timeline?node=alice&at=5000')).json()) as { valid: { toId: string }[] };
    expect(later.valid.map((v) => v.toId)).toEqual(['globex']);
    const bad = await h.api('/api/temporal/social/timeline?node=alice&at=yesterday');
    expect(((await bad.json()) as ErrorJson).error.field).toBe('query.at');
    const noNode = await h.api('/api/temporal/social/timeline');
    expect(((await noNode.json()) as ErrorJson).error.field).toBe('query.node');
  });
});

describe('everything else', () => {
  it('answers an unknown endpoint with a 404 JSON error', async () => {
    const response = await h.api('/api/nothing');
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorJson).error.code).toBe(9004);
  });
});
