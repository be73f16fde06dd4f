// Database.openConcurrent: the second opener goes through the first one's socket.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { concurrentSocketPath, Database, DatabaseError, TransactionConflictError } from '@sochdb/sdk';
import { makeTempDir } from '@sochdb/core/testing';

it('two Databases on one folder share data, SQL and conflict detection', async () => {
  const dir = makeTempDir('sochdb-openconc-');
  const path = join(dir.path, 'db');
  const owner = await Database.openConcurrent(path);
  const other = await Database.openConcurrent(path);
  try {
    expect(owner.isConcurrent && other.isConcurrent).toBe(true);
    expect(statSync(concurrentSocketPath(path)).mode & 0o777).toBe(0o600);
    await other.put('k', 'from other');
    expect((await owner.get('k'))?.toString()).toBe('from other');
    await other.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await other.execute("INSERT INTO t VALUES (1, 'x')");
    expect((await owner.execute('SELECT v FROM t')).rows).toEqual([{ v: 'x' }]);
    const t1 = owner.beginTransaction();
    const t2 = other.beginTransaction();
    await t1.put('c', '1');
    await t2.put('c', '2');
    await t2.commit();
    await expect(t1.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect((await owner.get('c'))?.toString()).toBe('2');
    expect((await other.stats()).keysCount).toBeGreaterThan(0);
    // A malformed batch through the socket is refused whole, as in-process: nothing is deleted.
    const remote = other.storage.beginTransaction();
    await expect(remote.batch([{ type: 'del', key: 'k' }, { type: 'drop', key: 'c' } as never])).rejects.toMatchObject({ field: 'ops[1].type' });
    await remote.abort();
    expect((await owner.get('k'))?.toString()).toBe('from other');
  } finally {
    await other.close();
    await owner.close();
    dir.cleanup();
  }
  await expect(other.get('k')).rejects.toBeInstanceOf(DatabaseError);
});
