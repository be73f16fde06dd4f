// The SDK's Database against a real LevelDB folder: KV, transactions spanning every package,
// lifecycle, stats and TOON.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database, DatabaseError, PriorityQueue, TransactionConflictError, ValidationError } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

let dir: ReturnType<typeof makeTempDir>;
let db: Database;
beforeEach(async () => {
  dir = makeTempDir('sochdb-sdk-');
  db = await Database.open(join(dir.path, 'db'));
});
afterEach(async () => {
  await db.close();
  dir.cleanup();
});

describe('Database', () => {
  it('puts, gets and deletes keys and paths, and scans in byte order', async () => {
    await db.put('user:123', '{"name":"Alice","age":30}');
    expect((await db.get('user:123'))?.toString()).toBe('{"name":"Alice","age":30}');
    await db.put('empty', '');
    expect(await db.get('empty')).toEqual(Buffer.alloc(0));
    expect(await db.get('missing')).toBeNull();
    await db.delete('user:123');
    expect(await db.get('user:123')).toBeNull();
    await db.putPath('users/alice/email', 'alice@example.com');
    expect((await db.getPath('users/alice/email'))?.toString()).toBe('alice@example.com');
    await db.putPath('users/bob/email', 'bob@example.com');
    const keys: string[] = [];
    for await (const [k] of db.scanPrefix('users/')) keys.push(k.toString());
    expect(keys).toEqual(['users/alice/email', 'users/bob/email']);
    await expect(db.putPath('users//x', 'v')).rejects.toBeInstanceOf(ValidationError);
  });

  it("keeps the user's keyspace apart from SQL, queue and graph data", async () => {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await db.execute("INSERT INTO t VALUES (1, 'x')");
    await db.queue('jobs').enqueue({ priority: 1, payload: Buffer.from('p') });
    await db.graphAddNode({ namespace: 'g', nodeId: 'n1', nodeType: 'thing' });
    await db.put('mine', '1');
    const all: string[] = [];
    for await (const [k] of db.scanPrefix('')) all.push(k.toString());
    expect(all).toEqual(['mine']);
  });

  it('one transaction spans KV, SQL, queue, graph and a collection: abort leaves nothing, commit keeps all', async () => {
    await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    const ns = await db.createNamespace({ name: 'tenant' });
    const docs = await ns.createCollection({ name: 'docs', dimension: 2 });
    const queue = db.queue('tasks');

    const attempt = async (commit: boolean) => {
      const txn = db.beginTransaction();
      await txn.put('user:1:metadata', '{"verified":true}');
      await txn.execute("INSERT INTO users VALUES (1, 'Alice')");
      await queue.enqueue({ priority: 1, payload: Buffer.from('welcome-email') }, { txn });
      // Packages take the Database transaction itself as { txn } (or its core transaction).
      for (const nodeId of ['alice', 'bob']) await db.graph.addNode({ namespace: 'tenant', nodeId, nodeType: 'person' }, { txn });
      await db.graph.addEdge({ namespace: 'tenant', fromId: 'alice', edgeType: 'KNOWS', toId: 'bob' }, { txn });
      await docs.insert({ id: 'd1', vector: [1, 0], content: 'hello' }, { txn });
      if (commit) return txn.commit();
      await txn.abort();
      return undefined;
    };

    await attempt(false);
    expect(await db.get('user:1:metadata')).toBeNull();
    expect((await db.execute('SELECT COUNT(*) AS n FROM users')).rows[0]).toEqual({ n: 0 });
    expect((await queue.stats()).total).toBe(0);
    expect(await db.graphGetEdges({ namespace: 'tenant', nodeId: 'alice', direction: 'out' })).toEqual([]);
    expect(await docs.count()).toBe(0);
    expect(await docs.vectorSearch([1, 0], 5)).toEqual([]);

    const lsn = await attempt(true);
    expect(typeof lsn).toBe('bigint');
    expect((await db.get('user:1:metadata'))?.toString()).toBe('{"verified":true}');
    expect((await db.execute('SELECT name FROM users')).rows).toEqual([{ name: 'Alice' }]);
    expect((await queue.stats()).pending).toBe(1);
    expect(await db.graphGetEdges({ namespace: 'tenant', nodeId: 'alice', direction: 'out' })).toHaveLength(1);
    expect((await docs.vectorSearch([1, 0], 5)).map((r) => r.id)).toEqual(['d1']);
  });

  it('a { txn } that is not a transaction is a ValidationError, not a crash', async () => {
    const ns = await db.createNamespace('v');
    const col = await ns.createCollection({ name: 'c', dimension: 2 });
    await expect(col.insert({ vector: [1, 0] }, { txn: {} as never })).rejects.toMatchObject({ code: 6000, field: 'txn' });
    await expect(db.graph.addNode({ namespace: 'v', nodeId: 'a', nodeType: 't' }, { txn: 'nope' as never })).rejects.toMatchObject({ field: 'txn' });
    await expect(db.execute('SELECT 1', [], { txn: { core: 1 } as never })).rejects.toMatchObject({ field: 'txn' });
    await expect(db.queue('q').enqueue({ priority: 1, payload: 'x' }, { txn: 42 as never })).rejects.toMatchObject({ field: 'txn' });
  });

  it('SQL BEGIN/COMMIT inside transaction(fn) is a clear error; SAVEPOINTs nest in it', async () => {
    await db.execute('CREATE TABLE sp (id INTEGER PRIMARY KEY)');
    await db.transaction(async (txn) => {
      await expect(txn.execute('BEGIN')).rejects.toThrow('cannot start a transaction within a transaction');
      await expect(txn.execute('COMMIT')).rejects.toThrow('belongs to the caller');
      await txn.execute('INSERT INTO sp VALUES (1)');
      await txn.put('kv-in-txn', 'kept');
      await txn.execute('SAVEPOINT s1; INSERT INTO sp VALUES (2)');
      await txn.put('kv-after-savepoint', 'undone');
      await txn.execute('ROLLBACK TO s1; RELEASE s1');
    });
    expect((await db.execute('SELECT id FROM sp')).rows).toEqual([{ id: 1 }]);
    expect((await db.get('kv-in-txn'))?.toString()).toBe('kept');
    // ROLLBACK TO undoes every write of the transaction since the savepoint, KV ones included.
    expect(await db.get('kv-after-savepoint')).toBeNull();
  });

  it('transaction(fn) commits on return and aborts on throw; conflicts are typed', async () => {
    await db.transaction(async (txn) => {
      await txn.put('a', '1');
      await txn.put('b', '2');
    });
    expect((await db.get('b'))?.toString()).toBe('2');
    await expect(
      db.transaction(async (txn) => {
        await txn.put('c', '3');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.get('c')).toBeNull();
    const t1 = db.beginTransaction();
    const t2 = db.beginTransaction();
    expect(t1.id).not.toBe(t2.id);
    await t1.put('a', 't1');
    await t2.put('a', 't2');
    await t1.commit();
    await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    const scanned: string[] = [];
    const t3 = db.beginTransaction();
    await t3.put('a2', 'x');
    for await (const [k] of t3.scan('a', 'b')) scanned.push(k.toString());
    expect(scanned).toEqual(['a', 'a2']);
    await t3.abort();
  });

  it('reports stats and checkpoints to an LSN', async () => {
    await db.put('k', 'v');
    const lsn = await db.checkpoint();
    expect(typeof lsn).toBe('bigint');
    const stats = await db.stats();
    expect(stats).toMatchObject({ transactionsCommitted: expect.any(Number), transactionsAborted: expect.any(Number) });
    expect(stats.keysCount).toBeGreaterThanOrEqual(1);
    expect(stats.bytesWritten).toBeGreaterThan(0);
    expect(typeof stats.cacheHits).toBe('number');
    expect(typeof stats.cacheMisses).toBe('number');
  });

  it('data survives close and reopen', async () => {
    await db.put('persist', 'yes');
    await db.execute('CREATE TABLE p (id INTEGER PRIMARY KEY)');
    await db.execute('INSERT INTO p VALUES (7)');
    await db.close();
    db = await Database.open(join(dir.path, 'db'));
    expect((await db.get('persist'))?.toString()).toBe('yes');
    expect((await db.execute('SELECT id FROM p')).rows).toEqual([{ id: 7 }]);
  });

  it('every operation after close throws DatabaseError("database is closed")', async () => {
    await db.close();
    await db.close();
    await expect(db.get('k')).rejects.toBeInstanceOf(DatabaseError);
    await expect(db.put('k', 'v')).rejects.toThrow('database is closed');
    await expect(db.executeSql('SELECT 1')).rejects.toBeInstanceOf(DatabaseError);
    await expect(db.listNamespaces()).rejects.toBeInstanceOf(DatabaseError);
    await expect(db.graphAddNode({ namespace: 'x', nodeId: 'a', nodeType: 't' })).rejects.toBeInstanceOf(DatabaseError);
    await expect(db.checkpoint()).rejects.toBeInstanceOf(DatabaseError);
    // Methods that return iterators or handles throw at once.
    expect(() => db.beginTransaction()).toThrow(DatabaseError);
    expect(() => db.scanPrefix('')).toThrow(DatabaseError);
    expect(() => db.queue('q')).toThrow(DatabaseError);
    db = await Database.open(':memory:');
  });

  it("':memory:' and await using work", async () => {
    {
      await using mem = await Database.open(':memory:');
      await mem.put('k', 'v');
      expect((await mem.get('k'))?.toString()).toBe('v');
    }
    expect(PriorityQueue).toBeDefined();
  });

  it('toToon / fromToon statics delegate to @sochdb/toon', () => {
    const text = Database.toToon(
      'users',
      [
        { name: 'Alice', email: 'alice@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ],
      ['name', 'email'],
    );
    expect(text).toBe('users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com');
    expect(Database.fromToon(text).records[1]).toEqual({ name: 'Bob', email: 'bob@example.com' });
  });
});
