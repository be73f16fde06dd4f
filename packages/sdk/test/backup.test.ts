// db.backup / Database.restore across every package: a restored copy answers exactly as the
// source did at the backup's LSN, and nothing written after it.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Database, DatabaseError } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** What a database holds, read through every package's API. */
async function contents(db: Database) {
  const ns = await db.namespace('tenant');
  const docs = await ns.collection('docs');
  const queue = db.queue('jobs');
  return {
    kv: (await db.get('config'))?.toString(),
    rows: (await db.execute('SELECT id, name FROM users ORDER BY id')).rows,
    hits: (await docs.search({ vector: [1, 0.2], k: 3 })).map((h) => h.id),
    keyword: (await docs.search({ textQuery: 'gamma', k: 1 })).map((h) => h.id),
    queued: (await queue.stats()).pending,
    neighbours: (await db.graphGetEdges({ namespace: 'g', nodeId: 'a' })).map((e) => e.toId),
  };
}

describe('Database backup and restore', () => {
  it('restores every package to the state at the LSN the backup reports', async () => {
    const dir = makeTempDir('sochdb-sdk-backup-');
    dirs.push(dir);
    const db = await Database.open(join(dir.path, 'db'));
    await db.put('config', 'v1');
    await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    await db.execute("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
    const ns = await db.createNamespace({ name: 'tenant' });
    const docs = await ns.createCollection({ name: 'docs', dimension: 2 });
    await docs.insertBatch({
      ids: ['a', 'b', 'c'],
      vectors: [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      contents: ['alpha', 'beta', 'gamma'],
    });
    await db.queue('jobs').enqueue({ priority: 1, payload: 'one' });
    await db.graphAddNode({ namespace: 'g', nodeId: 'a', nodeType: 't' });
    await db.graphAddNode({ namespace: 'g', nodeId: 'b', nodeType: 't' });
    await db.graphAddEdge({ namespace: 'g', fromId: 'a', edgeType: 'E', toId: 'b' });
    const before = await contents(db);

    // A collection object closed by the application does not stop a backup.
    const other = await ns.createCollection({ name: 'closed-one', dimension: 2 });
    await other.close();
    const result = await db.backup(join(dir.path, 'backup'));
    expect(result.lsn).toBeGreaterThan(0n);
    expect(result.bytes).toBeGreaterThan(0);
    // Written after the backup: in the source only.
    await db.put('config', 'v2');
    await db.execute("INSERT INTO users VALUES (3, 'cy')");
    await docs.insert({ id: 'd', vector: [1, 0.2], content: 'gamma gamma' });
    await db.queue('jobs').enqueue({ priority: 1, payload: 'two' });
    const after = await contents(db);
    expect(after).not.toEqual(before);

    await Database.restore(join(dir.path, 'backup'), join(dir.path, 'restored'));
    await expect(Database.restore(join(dir.path, 'backup'), join(dir.path, 'restored'))).rejects.toThrow(DatabaseError);
    await expect(Database.restore(join(dir.path, 'nothing-here'), join(dir.path, 'x'))).rejects.toThrow(DatabaseError);
    const restored = await Database.open(join(dir.path, 'restored'));
    try {
      expect(await contents(restored)).toEqual(before);
      expect((await restored.stats()).lsn).toBe(result.lsn);
    } finally {
      await restored.close();
    }
    expect(await contents(db)).toEqual(after); // the source goes on untouched
    await db.close();
  });
});
