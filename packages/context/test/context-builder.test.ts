// The context builder against real sources on a LevelDB folder: every kind of section fetches
// its data, all in one snapshot, and the text fits the budget by the real tokenizer.
import { ValidationError, type Storage } from '@sochdb/core';
import { levelFactory, type StorageFactory } from '@sochdb/core/testing';
import { GraphStore } from '@sochdb/graph';
import { KvStore } from '@sochdb/kv';
import { SqlEngine } from '@sochdb/sql';
import { TemporalGraph } from '@sochdb/temporal';
import { fromToon } from '@sochdb/toon';
import { Collection } from '@sochdb/vector';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContextBuilder, tokenCounter, type ContextOptions, type ContextSources } from '../src/index.js';

let factory: StorageFactory;
let storage: Storage;
let sources: ContextSources;
let docs: Collection;

beforeEach(async () => {
  factory = levelFactory();
  storage = await factory.open();
  const kv = KvStore.namespaced(storage, 'app');
  const sql = new SqlEngine(storage);
  const graph = new GraphStore(storage);
  const temporal = new TemporalGraph(storage);
  docs = await Collection.create(storage, { namespace: 'app', name: 'docs', dimension: 3 });
  sources = { storage, kv, sql, graph, temporal, namespace: 'social', collection: (name) => Collection.open(storage, { namespace: 'app', name }) };

  await kv.put('user/alice', JSON.stringify({ name: 'Alice', plan: 'pro' }));
  await kv.put('user/bob', 'plain text value');
  for (let i = 1; i <= 5; i++) await kv.put(`event/${i}`, `event number ${i}`);
  await sql.execute('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL)');
  for (let i = 1; i <= 30; i++) await sql.execute('INSERT INTO orders VALUES (?, ?, ?)', [i, i % 2 ? 'alice' : 'bob', i * 1.5]);
  await docs.insertBatch({
    ids: ['d1', 'd2', 'd3'],
    vectors: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    metadatas: [{ topic: 'refunds' }, { topic: 'shipping' }, { topic: 'billing' }],
    contents: ['refund policy: thirty days', 'shipping takes five days', 'billing happens monthly'],
  });
  await graph.addNodes([
    { namespace: 'social', nodeId: 'alice', nodeType: 'Person', properties: { city: 'Oslo' } },
    { namespace: 'social', nodeId: 'bob', nodeType: 'Person' },
    { namespace: 'social', nodeId: 'carol', nodeType: 'Person' },
  ]);
  await graph.addEdges([
    { namespace: 'social', fromId: 'alice', edgeType: 'KNOWS', toId: 'bob' },
    { namespace: 'social', fromId: 'bob', edgeType: 'KNOWS', toId: 'carol' },
  ]);
  await temporal.addTemporalEdge({ namespace: 'social', fromId: 'alice', edgeType: 'WORKS_AT', toId: 'acme', validFrom: 1000, validUntil: 2000 });
  await temporal.addTemporalEdge({ namespace: 'social', fromId: 'alice', edgeType: 'WORKS_AT', toId: 'globex', validFrom: 2000 });
});

afterEach(async () => {
  await docs.close();
  await storage.close();
  await factory.cleanup();
});

const build = (options: ContextOptions = { budget: 10_000 }) => new ContextBuilder(sources, options);

describe('every kind of section fetches real data', () => {
  it('text, KV get and prefix, SQL, last rows of a table, search, graph, temporal, rows', async () => {
    const ctx = await build()
      .section('system', { text: 'You are a helpful agent.\nBe brief.' })
      .section('profile', { get: 'user/alice' })
      .section('recent events', { prefix: 'event/', last: 2 })
      .section('big spenders', { sql: 'SELECT customer, SUM(total) AS spent FROM orders GROUP BY customer ORDER BY spent DESC' })
      .section('latest orders', { table: 'orders', last: 3 })
      .section('faq', { search: { collection: 'docs', query: 'refund', k: 2 } })
      .section('friends', { graph: { node: 'alice', depth: 2 } })
      .section('employer then', { temporal: { node: 'alice', at: 1500 } })
      .section('notes', { rows: [{ n: 1, big: 12345678901234567890n, at: new Date(0), bytes: Buffer.from('hi') }] })
      .build();
    const parts = Object.fromEntries(ctx.text.split('\n\n').map((part) => [part.slice(3, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1)]));
    expect(parts['system']).toBe('You are a helpful agent.\nBe brief.');
    expect(fromToon(parts['profile']!).records).toEqual([{ key: 'user/alice', name: 'Alice', plan: 'pro' }]);
    expect(fromToon(parts['recent events']!).records.map((r) => r['key'])).toEqual(['event/4', 'event/5']);
    expect(fromToon(parts['big spenders']!).records).toEqual([
      { customer: 'bob', spent: 360 },
      { customer: 'alice', spent: 337.5 },
    ]);
    expect(fromToon(parts['latest orders']!).records.map((r) => r['id'])).toEqual([28, 29, 30]);
    const faq = fromToon(parts['faq']!).records;
    expect(faq[0]).toMatchObject({ id: 'd1', topic: 'refunds', content: 'refund policy: thirty days' });
    expect(fromToon(parts['friends']!).records.map((r) => [r['id'], r['depth']])).toEqual([
      ['alice', 0],
      ['bob', 1],
      ['carol', 2],
    ]);
    expect(fromToon(parts['employer then']!).records).toMatchObject([{ toId: 'acme', validFrom: 1000, validUntil: 2000 }]);
    expect(fromToon(parts['notes']!).records).toEqual([{ n: 1, big: '12345678901234567890', at: '1970-01-01T00:00:00.000Z', bytes: 'hi' }]);
    const count = await tokenCounter('o200k_base');
    expect(ctx.tokens).toBe(count(ctx.text));
    expect(ctx.sections.map((s) => [s.name, s.rows, s.truncated])).toEqual([
      ['system', 2, false],
      ['profile', 1, false],
      ['recent events', 2, false],
      ['big spenders', 2, false],
      ['latest orders', 3, false],
      ['faq', 1, false],
      ['friends', 3, false],
      ['employer then', 1, false],
      ['notes', 1, false],
    ]);
  });

  it('reads every section in one snapshot: a commit landing during the build is not seen', async () => {
    // The SQL section's read is held until a write has committed; the KV section read after it
    // must still show the snapshot's value.
    const kv = sources.kv!;
    const sql = sources.sql!;
    const execute = sql.execute.bind(sql);
    vi.spyOn(sql, 'execute').mockImplementationOnce(async (...args: Parameters<SqlEngine['execute']>) => {
      await kv.put('user/alice', JSON.stringify({ name: 'Alice', plan: 'free' }));
      await execute('UPDATE orders SET total = 0 WHERE id = 1');
      return execute(...args);
    });
    const ctx = await new ContextBuilder(sources, { budget: 1000, format: 'json' })
      .section('orders', { sql: 'SELECT id, total FROM orders WHERE id = 1' })
      .section('profile', { get: 'user/alice' })
      .build();
    expect(ctx.text).toContain('[{"id":1,"total":1.5}]');
    expect(ctx.text).toContain('"plan":"pro"');
    expect((await sql.execute('SELECT total FROM orders WHERE id = 1')).rows).toEqual([{ total: 0 }]);
    expect(await kv.get('user/alice')).toEqual(Buffer.from(JSON.stringify({ name: 'Alice', plan: 'free' })));
  });

  it('search hits are read in the snapshot: one written after it is left out, one changed or deleted since shows as it was', async () => {
    const search = docs.search.bind(docs);
    vi.spyOn(docs, 'search').mockImplementationOnce(async (request) => {
      await docs.insert({ id: 'd4', vector: [1, 1, 0], metadata: { topic: 'new' }, content: 'written after the snapshot' });
      const hits = await search(request);
      expect(hits.map((hit) => hit.id)).toContain('d4');
      await docs.update('d1', { metadata: { topic: 'changed' } });
      await docs.delete('d2');
      return hits;
    });
    const ctx = await build()
      .section('faq', { search: { collection: docs, vector: [1, 1, 0], k: 4 } })
      .build();
    const rows = fromToon(ctx.text.split('\n')[1]!).records;
    expect(rows.map((r) => r['id']).sort()).toEqual(['d1', 'd2', 'd3']);
    expect(rows.find((r) => r['id'] === 'd1')!['topic']).toBe('refunds');
  });

  it('a write statement in a section is refused and writes nothing', async () => {
    await expect(build().section('sneaky', { sql: "INSERT INTO orders VALUES (99, 'eve', 1)" }).build()).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'sneaky.sql',
    });
    // INSERT … RETURNING returns rows, and the read-only snapshot refuses its write.
    await expect(build().section('sneaky', { sql: "INSERT INTO orders VALUES (99, 'eve', 1) RETURNING id" }).build()).rejects.toMatchObject({ code: 2001 });
    expect((await sources.sql!.execute('SELECT COUNT(*) AS n FROM orders')).rows[0]!['n']).toBe(30);
  });
});

describe('bad input is a ValidationError naming the field', () => {
  it.each([
    [{ budget: 0 }, 'budget'],
    [{ budget: 1.5 }, 'budget'],
    [{ budget: 10, format: 'yaml' }, 'format'],
    [{ budget: 10, tokenizer: 'gpt2' }, 'tokenizer'],
  ])('options %j', async (options, field) => {
    const attempt = async () => new ContextBuilder(sources, options as unknown as ContextOptions).section('a', { text: 'x' }).build();
    await expect(attempt()).rejects.toMatchObject({ name: 'ValidationError', field });
  });

  it.each([
    ['', { text: 'x' }, 'name'],
    ['a', { text: 'x', sql: 'SELECT 1' }, 'a'],
    ['a', {}, 'a'],
    ['a', { text: 'x', priority: Number.NaN }, 'a.priority'],
    ['a', { text: 'x', truncation: 'middle_drop' }, 'a.truncation'],
    ['a', { text: 'x', maxTokens: -1 }, 'a.maxTokens'],
    ['a', { prefix: 'p', limit: 2, last: 2 }, 'a.last'],
    ['a', { search: { collection: 'docs' } }, 'a.search'],
    ['a', { graph: { node: '' } }, 'a.graph.node'],
    ['a', { rows: [1, 2] }, 'a.rows'],
  ])('section %j %j', (name, spec, field) => {
    expect(() => build().section(name, spec as never)).toThrow(expect.objectContaining({ name: 'ValidationError', field }));
  });

  it('two sections with one name, a missing source, a table without a primary key', async () => {
    expect(() => build().section('a', { text: 'x' }).section('a', { text: 'y' })).toThrow(ValidationError);
    await expect(new ContextBuilder({ storage }, { budget: 100 }).section('o', { sql: 'SELECT 1' }).build()).rejects.toMatchObject({ field: 'sources.sql' });
    await sources.sql!.execute('CREATE TABLE log (at INTEGER, line TEXT)');
    await expect(build().section('log', { table: 'log' }).build()).rejects.toMatchObject({ field: 'orderBy' });
    const ctx = await build().section('log', { table: 'log', orderBy: 'at' }).build();
    expect(ctx.text).toBe('## log\n(no rows)');
  });

  it('a tokenizer function that returns garbage', async () => {
    await expect(
      build({ budget: 10, tokenizer: () => Number.NaN })
        .section('a', { text: 'x' })
        .build(),
    ).rejects.toMatchObject({ field: 'tokenizer' });
  });

  it('data holding special-token text is counted as text, not refused', async () => {
    const ctx = await build({ budget: 50 }).section('a', { text: 'before <|endoftext|> after' }).build();
    expect(ctx.text).toContain('<|endoftext|>');
    expect(ctx.tokens).toBeGreaterThan(5);
  });
});
