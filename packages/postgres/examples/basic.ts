import { PostgresStorage } from '@sochdb/postgres';

// postgres://user:password@host:port/database; the SochDB database lives in schema 'example'.
const url = process.env.DATABASE_URL ?? 'postgres://app:secret@localhost:5432/app';
const storage = await PostgresStorage.open(url, { schema: 'example', poolSize: 4 });
try {
  await storage.put('greeting', 'hello');
  // Read-modify-write, retried when another process (on any machine) commits the key first.
  const bump = () =>
    storage.transaction(
      async (txn) => {
        const n = Number((await txn.get('counter'))?.toString() ?? '0');
        await txn.put('counter', String(n + 1));
      },
      { retries: 10 },
    );
  await Promise.all([bump(), bump(), bump()]);
  console.log((await storage.get('greeting'))?.toString(), (await storage.get('counter'))?.toString());
  // Every commit, whoever made it, in LSN order: what keeps each process's caches current.
  const feed = await storage.changesAfter((await storage.latestLsn()) - 3n);
  console.log(feed.commits.map((c) => c.keys.map(String)));
  await storage.clear();
} finally {
  await storage.close();
}
