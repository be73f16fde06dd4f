import { fileURLToPath } from 'node:url';
import { makeTempDir } from '@sochdb/core/testing';
import { ConstraintError, Database, QueryError, TransactionConflictError } from '@sochdb/sdk';
import { and, asc, count, desc, DrizzleQueryError, eq, gt, sql, sum, TransactionRollbackError } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drizzle, migrate, SochDBDrizzleError, type SochDBDrizzleDatabase } from '../src/index.ts';
import * as schema from './fixtures/schema.ts';
import { posts, users } from './fixtures/schema.ts';

const migrationsFolder = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

/** Drizzle wraps every failed statement in a DrizzleQueryError; the driver's or engine's error is its cause. */
async function causeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DrizzleQueryError);
  return (error as DrizzleQueryError).cause;
}

let dir: ReturnType<typeof makeTempDir>;
let database: Database;
let db: SochDBDrizzleDatabase<typeof schema>;

beforeEach(async () => {
  dir = makeTempDir('sochdb-drizzle-');
  database = await Database.open(dir.path);
  db = drizzle(database, { schema });
  await migrate(db, { migrationsFolder });
});

afterEach(async () => {
  await database.close();
  dir.cleanup();
});

async function seed(): Promise<{ ada: number; alan: number }> {
  const [ada, alan] = await db
    .insert(users)
    .values([
      { name: 'Ada', email: 'ada@example.com', profile: { city: 'London', langs: ['en', 'fr'] } },
      { name: 'Alan', email: 'alan@example.com', profile: { city: 'Wilmslow', langs: ['en'] } },
      { name: 'Grace', email: 'grace@example.com' },
    ])
    .returning({ id: users.id });
  await db.insert(posts).values([
    { authorId: ada!.id, title: 'Notes on the Engine', likes: 10, published: true, tags: ['math'] },
    { authorId: ada!.id, title: 'Draft', likes: 1 },
    { authorId: alan!.id, title: 'Computable Numbers', likes: 7, published: true, tags: ['math', 'logic'] },
  ]);
  return { ada: ada!.id, alan: alan!.id };
}

describe('migrate', () => {
  it('applies the migrations folder once: a second run changes nothing', async () => {
    // beforeEach ran it once; run again on the same folder, then from a fresh process-like handle.
    await migrate(db, { migrationsFolder });
    await migrate(drizzle(database), { migrationsFolder });
    const applied = await db.values<[number, string, number]>(sql`SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY created_at`);
    expect(applied.map(([id, , createdAt]) => [id, createdAt])).toEqual([
      [1, 1764979200000],
      [2, 1764979260000],
    ]);
    const tables = await db.values<[string]>(sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
    expect(tables.map(([name]) => name)).toEqual(['__drizzle_migrations', 'posts', 'users']);
    const columns = await db.values<[string]>(sql`SELECT name FROM pragma_table_info('posts')`);
    expect(columns.map(([name]) => name)).toEqual(['id', 'author_id', 'title', 'likes', 'published', 'tags']);
  });

  it('keeps applied migrations across a reopen of the folder', async () => {
    await seed();
    await database.close();
    database = await Database.open(dir.path);
    db = drizzle(database, { schema });
    await migrate(db, { migrationsFolder });
    expect(await db.$count(users)).toBe(3);
  });

  it('refuses a database it did not make', async () => {
    const foreign = Object.assign(Object.create(null) as object, { $client: database }) as SochDBDrizzleDatabase;
    await expect(migrate(foreign, { migrationsFolder })).rejects.toBeInstanceOf(SochDBDrizzleError);
  });
});

describe('query builder', () => {
  it('inserts with RETURNING and maps JSON, boolean and timestamp columns', async () => {
    const [row] = await db
      .insert(users)
      .values({ name: 'Ada', email: 'ada@example.com', profile: { city: 'London', langs: ['en'] } })
      .returning();
    expect(row).toMatchObject({ id: 1, name: 'Ada', email: 'ada@example.com', profile: { city: 'London', langs: ['en'] } });
    expect(row!.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(row!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const [post] = await db.insert(posts).values({ authorId: 1, title: 'T' }).returning({ id: posts.id, published: posts.published, tags: posts.tags });
    expect(post).toEqual({ id: 1, published: false, tags: [] });
    const result = await db.update(posts).set({ published: true }).where(eq(posts.id, 1)).run();
    expect(result).toMatchObject({ rowsAffected: 1 });
    expect(await db.select({ published: posts.published }).from(posts).get()).toEqual({ published: true });
  });

  it('runs joins and aggregates', async () => {
    await seed();
    const joined = await db
      .select({ author: users.name, title: posts.title })
      .from(posts)
      .innerJoin(users, eq(posts.authorId, users.id))
      .where(eq(posts.published, true))
      .orderBy(asc(posts.title));
    expect(joined).toEqual([
      { author: 'Alan', title: 'Computable Numbers' },
      { author: 'Ada', title: 'Notes on the Engine' },
    ]);
    const perAuthor = await db
      .select({ name: users.name, posts: count(posts.id), likes: sum(posts.likes) })
      .from(users)
      .leftJoin(posts, eq(posts.authorId, users.id))
      .groupBy(users.id)
      .orderBy(desc(count(posts.id)), asc(users.name));
    expect(perAuthor).toEqual([
      { name: 'Ada', posts: 2, likes: '11' },
      { name: 'Alan', posts: 1, likes: '7' },
      { name: 'Grace', posts: 0, likes: null },
    ]);
    expect(await db.$count(posts, gt(posts.likes, 5))).toBe(2);
  });

  it('filters on JSON with json_extract, ->> and json_each', async () => {
    await seed();
    const inLondon = await db
      .select({ name: users.name })
      .from(users)
      .where(sql`json_extract(${users.profile}, '$.city') = ${'London'}`);
    expect(inLondon).toEqual([{ name: 'Ada' }]);
    const firstLang = await db
      .select({ name: users.name, lang: sql<string>`${users.profile} ->> '$.langs[0]'` })
      .from(users)
      .where(and(sql`${users.profile} ->> '$.city' = ${'Wilmslow'}`, eq(users.name, 'Alan')));
    expect(firstLang).toEqual([{ name: 'Alan', lang: 'en' }]);
    const logic = await db
      .select({ title: posts.title })
      .from(posts)
      .where(sql`EXISTS (SELECT 1 FROM json_each(${posts.tags}) WHERE value = ${'logic'})`);
    expect(logic).toEqual([{ title: 'Computable Numbers' }]);
  });

  // Drizzle's relational queries put the correlated filter inside a derived table —
  // `(SELECT json_group_array(...) FROM (SELECT * FROM posts WHERE posts.author_id = users.id ...))`.
  it('answers relational queries (db.query with `with`)', async () => {
    await seed();
    const authors = await db.query.users.findMany({
      columns: { name: true },
      with: { posts: { columns: { title: true }, orderBy: (p, { asc }) => [asc(p.title)] } },
      orderBy: (u, { asc }) => [asc(u.name)],
    });
    expect(authors).toEqual([
      { name: 'Ada', posts: [{ title: 'Draft' }, { title: 'Notes on the Engine' }] },
      { name: 'Alan', posts: [{ title: 'Computable Numbers' }] },
      { name: 'Grace', posts: [] },
    ]);
  });

  // Through a one() relation: the derived table looks the author up by primary key with the outer row's value.
  it('answers a relational query through a one() relation', async () => {
    await seed();
    const post = await db.query.posts.findFirst({ where: (p, { eq }) => eq(p.title, 'Draft'), with: { author: { columns: { email: true } } } });
    expect(post).toMatchObject({ title: 'Draft', author: { email: 'ada@example.com' } });
  });

  it('answers relational queries without `with`', async () => {
    await seed();
    const plain = await db.query.users.findMany({
      columns: { name: true },
      where: (u, { like }) => like(u.email, 'a%'),
      orderBy: (u, { desc }) => [desc(u.id)],
    });
    expect(plain).toEqual([{ name: 'Alan' }, { name: 'Ada' }]);
  });

  it('runs raw run / all / get / values', async () => {
    await seed();
    expect(await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`)).toEqual([3]);
    expect(await db.get(sql`SELECT 1 FROM users WHERE 0`)).toBeUndefined();
    expect(await db.values(sql`SELECT id, name FROM users ORDER BY id LIMIT 2`)).toEqual([
      [1, 'Ada'],
      [2, 'Alan'],
    ]);
    expect(await db.run(sql`DELETE FROM posts WHERE likes < ${5}`)).toMatchObject({ rowsAffected: 1 });
    expect(await db.select().from(users).where(eq(users.id, 99)).get()).toBeUndefined();
  });

  it("passes the engine's typed errors through", async () => {
    expect(await causeOf(db.run(sql`SELECT * FROM no_such_table`))).toBeInstanceOf(QueryError);
  });
});

describe('transactions and batch', () => {
  it('commits', async () => {
    const id = await db.transaction(async (tx) => {
      const [u] = await tx.insert(users).values({ name: 'T', email: 't@example.com' }).returning({ id: users.id });
      await tx.insert(posts).values({ authorId: u!.id, title: 'in tx' });
      return u!.id;
    });
    expect(await db.select({ title: posts.title }).from(posts).where(eq(posts.authorId, id))).toEqual([{ title: 'in tx' }]);
  });

  it('rolls back on tx.rollback() and on a thrown error, seeing its own writes meanwhile', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(users).values({ name: 'Gone', email: 'gone@example.com' });
        expect(await tx.$count(users)).toBe(1);
        tx.rollback();
      }),
    ).rejects.toBeInstanceOf(TransactionRollbackError);
    await seed();
    const duplicate = await causeOf(
      db.transaction(async (tx) => {
        await tx.update(posts).set({ likes: 0 });
        await tx.insert(users).values({ name: 'Dup', email: 'ada@example.com' }); // UNIQUE(email)
      }),
    );
    expect(duplicate).toBeInstanceOf(ConstraintError);
    expect(await db.$count(users)).toBe(3);
    expect(await db.select({ likes: sum(posts.likes) }).from(posts)).toEqual([{ likes: '18' }]);
  });

  it('reports a lost write conflict (the COMMIT fails) with TransactionConflictError as the cause', async () => {
    const { alan } = await seed();
    const cause = await causeOf(
      db.transaction(async (tx) => {
        await tx.update(users).set({ name: 'from drizzle' }).where(eq(users.id, alan));
        // Another writer on the same Database commits the same row first: first committer wins.
        await database.execute("UPDATE users SET name = 'from sdk' WHERE id = ?", [alan]);
      }),
    );
    expect(cause).toBeInstanceOf(TransactionConflictError);
    expect(await db.select({ name: users.name }).from(users).where(eq(users.id, alan))).toEqual([{ name: 'from sdk' }]);
    await db.transaction((tx) => tx.update(users).set({ name: 'retried' }).where(eq(users.id, alan)));
    expect(await db.select({ name: users.name }).from(users).where(eq(users.id, alan))).toEqual([{ name: 'retried' }]);
  });

  it('nests with savepoints', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ name: 'Outer', email: 'o@example.com' });
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(users).values({ name: 'Inner', email: 'i@example.com' });
          inner.rollback();
        }),
      ).rejects.toBeInstanceOf(TransactionRollbackError);
      await tx.transaction(async (inner) => {
        await inner.insert(users).values({ name: 'Kept', email: 'k@example.com' });
      });
    });
    expect((await db.select({ name: users.name }).from(users).orderBy(users.id)).map((u) => u.name)).toEqual(['Outer', 'Kept']);
  });

  it('runs transactions one after another when started together', async () => {
    await Promise.all(
      [1, 2, 3].map((n) =>
        db.transaction(async (tx) => {
          await tx.insert(users).values({ name: `U${n}`, email: `u${n}@example.com` });
          await new Promise((r) => setTimeout(r, 5));
          await tx.insert(posts).values({ authorId: sql`(SELECT max(id) FROM users)`, title: `P${n}` });
        }),
      ),
    );
    const rows = await db.select({ name: users.name, title: posts.title }).from(posts).innerJoin(users, eq(users.id, posts.authorId)).orderBy(posts.id);
    expect(rows).toEqual([
      { name: 'U1', title: 'P1' },
      { name: 'U2', title: 'P2' },
      { name: 'U3', title: 'P3' },
    ]);
  });

  it('batch runs in one transaction: all or nothing', async () => {
    const [inserted, listed] = await db.batch([
      db.insert(users).values({ name: 'B1', email: 'b1@example.com' }).returning({ id: users.id }),
      db.select({ name: users.name }).from(users),
    ]);
    expect(inserted).toEqual([{ id: 1 }]);
    expect(listed).toEqual([{ name: 'B1' }]);
    await expect(
      db.batch([db.insert(users).values({ name: 'B2', email: 'b2@example.com' }), db.insert(users).values({ name: 'B3', email: 'b1@example.com' })]),
    ).rejects.toBeInstanceOf(ConstraintError);
    expect(await db.$count(users)).toBe(1);
  });

  it('refuses COMMIT with no transaction open', async () => {
    expect(await causeOf(db.run(sql`COMMIT`))).toBeInstanceOf(SochDBDrizzleError);
  });
});
