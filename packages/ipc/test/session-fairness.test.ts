// AbstractStorage's fairness (a transaction retried more often commits first) across one
// connection: a connection answers in order, so its transactions must not wait for each other.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { TransactionConflictError } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { ConcurrentStorage } from '../src/concurrent/concurrent-storage.js';

it("a client's commit does not wait for a more-retried transaction on its own connection; the owner's still does", async () => {
  const dir = makeTempDir('sochdb-session-fair-');
  const path = join(dir.path, 'db');
  const owner = await ConcurrentStorage.open(path);
  const client = await ConcurrentStorage.open(path);
  try {
    expect(client.isOwner).toBe(false);
    // A conflict on 'k' makes it contested: commits writing it now take part in the fairness.
    const [a, b] = [client.beginTransaction(), client.beginTransaction()];
    await a.get('k');
    await b.get('k');
    await a.put('k', 'a');
    await b.put('k', 'b');
    await a.commit();
    await expect(b.commit()).rejects.toBeInstanceOf(TransactionConflictError);

    // Work that has lost 29 times: other commits on 'k' wait for it (up to a second).
    const retried = client.beginTransaction({ attempt: 30 });
    await retried.get('k');
    const local = owner.beginTransaction();
    await local.put('k', 'owner');
    let localSettled = false;
    const localCommit = local.commit().then(
      () => (localSettled = true),
      () => (localSettled = true),
    );
    // The same connection's commit goes at once: waiting would hold up `retried`'s own requests
    // behind it, so it could never end first (the wait always ran to its timeout).
    const mine = client.beginTransaction();
    await mine.put('k', 'client');
    await mine.commit();
    expect(await retried.get('other')).toBeUndefined(); // the connection answers again
    expect(localSettled).toBe(false); // another session's commit is still waiting for `retried`
    await retried.abort();
    await localCommit;
    expect((await client.get('k'))?.toString()).toMatch(/^(client|owner)$/);
  } finally {
    await client.close();
    await owner.close();
    dir.cleanup();
  }
});
