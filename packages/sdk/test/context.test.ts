// db.context(): the database's own sources, scoped to a namespace when one is given.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Database, fromToon } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
beforeEach(async () => {
  dir = makeTempDir('sochdb-sdk-context-');
  db = await Database.open(join(dir.path, 'db'));
});
afterEach(async () => {
  await db.close();
  dir.cleanup();
});

const body = (text: string, section: string) => {
  const part = text.split('\n\n').find((p) => p.startsWith(`## ${section}`))!;
  return fromToon(part.slice(part.indexOf('\n') + 1)).records;
};

it('reads KV, collections, graph and temporal edges of the namespace it is given, and SQL', async () => {
  const acme = await db.createNamespace('acme');
  const other = await db.createNamespace('other');
  await acme.put('profile', JSON.stringify({ name: 'Acme', tier: 'gold' }));
  await other.put('profile', JSON.stringify({ name: 'Other', tier: 'free' }));
  await db.put('profile', JSON.stringify({ name: 'root' }));
  const faq = await acme.createCollection({ name: 'faq', dimension: 2 });
  await faq.insert({ id: 'q1', vector: [1, 0], content: 'refunds within thirty days', metadata: { lang: 'en' } });
  await (await other.createCollection({ name: 'faq', dimension: 2 })).insert({ id: 'secret', vector: [1, 0], content: 'refunds never' });
  await db.graphAddNode({ namespace: 'acme', nodeId: 'ada', nodeType: 'Person' });
  await db.graphAddNode({ namespace: 'acme', nodeId: 'bob', nodeType: 'Person' });
  await db.graphAddEdge({ namespace: 'acme', fromId: 'ada', edgeType: 'MANAGES', toId: 'bob' });
  await db.addTemporalEdge({ namespace: 'acme', fromId: 'ada', edgeType: 'ROLE', toId: 'cto', validFrom: 0 });
  await db.execute('CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)');
  await db.execute('INSERT INTO orders VALUES (1, 10), (2, 20)');

  const ctx = await db
    .context({ budget: 2000, namespace: 'acme' })
    .section('system', { text: 'Be helpful.' })
    .section('profile', { get: 'profile' })
    .section('faq', { search: { collection: 'faq', query: 'refunds', k: 5 } })
    .section('team', { graph: { node: 'ada' } })
    .section('roles', { temporal: { node: 'ada' } })
    .section('orders', { table: 'orders', last: 5 })
    .build();
  expect(body(ctx.text, 'profile')).toEqual([{ key: 'profile', name: 'Acme', tier: 'gold' }]);
  expect(body(ctx.text, 'faq')).toEqual([{ id: 'q1', score: expect.any(Number) as number, lang: 'en', content: 'refunds within thirty days' }]);
  expect(body(ctx.text, 'team').map((r) => r['id'])).toEqual(['ada', 'bob']);
  expect(body(ctx.text, 'roles')).toMatchObject([{ toId: 'cto' }]);
  expect(body(ctx.text, 'orders')).toEqual([
    { id: 1, total: 10 },
    { id: 2, total: 20 },
  ]);
  expect(ctx.tokens).toBeLessThanOrEqual(2000);

  // Without a namespace: the database's own KV; collections cannot be named.
  const root = await db.context({ budget: 100 }).section('profile', { get: 'profile' }).build();
  expect(body(root.text, 'profile')).toEqual([{ key: 'profile', name: 'root' }]);
  await expect(
    db
      .context({ budget: 100 })
      .section('faq', { search: { collection: 'faq', query: 'x' } })
      .build(),
  ).rejects.toMatchObject({
    field: 'sources.collection',
  });
  await expect(
    db
      .context({ budget: 100, namespace: 'nope' })
      .section('faq', { search: { collection: 'faq', query: 'x' } })
      .build(),
  ).rejects.toMatchObject({
    name: 'NamespaceNotFoundError',
  });
});

it('db.agentMemory(): episodes and facts in a namespace, on the shared collection, surviving a reopen', async () => {
  await db.createNamespace('agents');
  const memory = await db.agentMemory({ namespace: 'agents', dimension: 2 });
  await memory.addEpisode({
    thread: 't',
    role: 'user',
    content: 'I live in Paris',
    vector: [1, 0],
    at: 10,
    facts: [{ subject: 'ada', predicate: 'lives_in', object: 'paris' }],
  });
  await memory.addEpisode({
    thread: 't',
    role: 'user',
    content: 'I moved to Berlin',
    vector: [0, 1],
    at: 20,
    facts: [{ subject: 'ada', predicate: 'lives_in', object: 'berlin' }],
  });
  // The episodes' collection is the namespace's own, shared with the database.
  expect((await (await db.namespace('agents')).listCollections()).map((c) => c.name)).toEqual(['agent_memory']);
  await memory.close(); // leaves the shared collection open
  expect((await memory.recall({ thread: 't', query: 'Berlin' })).episodes.map((e) => e.content)).toEqual(['I moved to Berlin']);
  await db.close();
  db = await Database.open(join(dir.path, 'db'));
  const again = await db.agentMemory({ namespace: 'agents' });
  const { facts } = await again.recall({ thread: 't', query: 'live', asOf: 15 });
  expect(facts.map((f) => f.object)).toEqual(['paris']);
  expect((await again.facts('ada')).map((f) => f.object)).toEqual(['berlin']);
  await expect(db.agentMemory({ namespace: 'missing' })).rejects.toMatchObject({ name: 'NamespaceNotFoundError' });
});

it('db.semanticCache(): one object per cache, persisted, closed with the database, dropped with its namespace', async () => {
  await db.createNamespace('tenant');
  const cache = db.semanticCache('answers', { namespace: 'tenant', dimension: 2, threshold: 0.9 });
  expect(db.semanticCache('answers', { namespace: 'tenant', dimension: 2, threshold: 0.9 })).toBe(cache);
  expect(() => db.semanticCache('answers', { namespace: 'tenant', dimension: 2, threshold: 0.5 })).toThrow(expect.objectContaining({ field: 'threshold' }));
  await cache.put('what is sochdb?', { answer: 'an embedded database' }, [1, 0]);
  expect(await cache.get([0.99, 0.05])).toMatchObject({ key: 'what is sochdb?', value: { answer: 'an embedded database' } });
  expect(await cache.get([0, 1])).toBeNull();
  const root = db.semanticCache('answers', { dimension: 2 }); // namespace 'default': another cache
  expect(await root.get([1, 0])).toBeNull();

  await db.close();
  expect(cache.closed).toBe(true);
  db = await Database.open(join(dir.path, 'db'));
  const again = db.semanticCache('answers', { namespace: 'tenant', dimension: 2 });
  expect(await again.getByKey('what is sochdb?')).toMatchObject({ value: { answer: 'an embedded database' } });
  await db.deleteNamespace('tenant');
  expect(again.closed).toBe(true);
  await db.createNamespace('tenant');
  expect(await db.semanticCache('answers', { namespace: 'tenant', dimension: 2 }).size()).toBe(0);
});
