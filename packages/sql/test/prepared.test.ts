import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { QueryError, ValidationError, type Storage } from '@sochdb/core';
import { PreparedStatement, type SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

// Prepared statements (SqlEngine.prepare) against better-sqlite3's Statement: the same SQL and
// the same arguments must give the same rows, columns, changes and rowids.

interface BetterStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): Iterable<unknown>;
  raw(on?: boolean): BetterStatement;
  pluck(on?: boolean): BetterStatement;
  columns(): unknown[];
  readonly reader: boolean;
  readonly source: string;
}
const betterPrepare = (db: SqliteDatabase, sql: string): BetterStatement => db.prepare(sql) as unknown as BetterStatement;

const SCHEMA = [
  'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, score REAL, avatar BLOB)',
  'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), title TEXT)',
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

/**
 * Checking names and columns at prepare time, synchronously, needs a schema known to be current
 * without a read: a storage with synchronous reads (LevelDB, memory). Elsewhere (PostgreSQL) they
 * surface at the first run, so those tests are skipped there.
 */
const syncPrepare = (storage: Storage, ctx: { skip(note: string): void }): void => {
  if (!storage.supports.getSync) ctx.skip('names are checked at the first run on a storage without synchronous reads');
};

async function both(): Promise<{ sql: SqlEngine; lite: SqliteDatabase; storage: Storage }> {
  const h = await openEngine();
  const lite = new BetterSqlite(':memory:');
  cleanup.push(async () => {
    lite.close();
    await h.close();
  });
  for (const s of SCHEMA) {
    await h.sql.execute(s);
    lite.exec(s);
  }
  return { sql: h.sql, lite, storage: h.storage };
}

/** Runs the same insert with the same arguments on both sides and compares run()'s answer. */
async function runBoth(sql: SqlEngine, lite: SqliteDatabase, text: string, ...args: unknown[]): Promise<void> {
  expect(await sql.prepare(text).run(...args)).toEqual(betterPrepare(lite, text).run(...args));
}

async function seed(sql: SqlEngine, lite: SqliteDatabase): Promise<void> {
  // Every parameter style better-sqlite3 takes.
  await runBoth(sql, lite, 'INSERT INTO users (name, age, score) VALUES (?, ?, ?)', 'ann', 31, 1.5);
  await runBoth(sql, lite, 'INSERT INTO users (name, age, score) VALUES (?, ?, ?)', ['bob', 25, 2.25]);
  await runBoth(sql, lite, 'INSERT INTO users (name, age, score) VALUES (:name, :age, :score)', { name: 'cy', age: null, score: 3 });
  await runBoth(sql, lite, 'INSERT INTO users (name, age, avatar) VALUES (@name, @age, @avatar)', { name: 'di', age: 40, avatar: Buffer.from([1, 2, 3]) });
  await runBoth(sql, lite, 'INSERT INTO users (name, age) VALUES ($name, $age)', { name: 'ed', age: 19 });
  await runBoth(sql, lite, 'INSERT INTO users (age, name) VALUES (?2, ?1)', { 1: 'flo', 2: 52 });
  for (const [user, title] of [
    [1, 'hello'],
    [1, 'again'],
    [2, 'bob here'],
    [4, 'di'],
  ] as const) {
    await runBoth(sql, lite, 'INSERT INTO posts (user_id, title) VALUES (?, ?)', user, title);
  }
}

const QUERIES: readonly { readonly sql: string; readonly args: readonly (readonly unknown[])[] }[] = [
  { sql: 'SELECT * FROM users WHERE id = :id', args: [[{ id: 1 }], [{ id: 4 }], [{ id: 99 }]] },
  { sql: 'SELECT id, name AS who, age + 1 AS next_age, score FROM users WHERE age > ? ORDER BY id', args: [[20], [[30]], [100]] },
  { sql: 'SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id WHERE u.id IN (?, ?) ORDER BY p.id', args: [[1, 2], [[4, 1]]] },
  { sql: 'SELECT count(*) AS n, max(score) AS best FROM users WHERE name >= $from', args: [[{ from: 'b' }], [{ from: 'd' }]] },
  { sql: 'SELECT name, avatar FROM users WHERE avatar IS NOT NULL OR id = @id ORDER BY id', args: [[{ id: 2 }]] },
  { sql: 'SELECT ?3 AS c, ?1 AS a, ?2 AS b', args: [[{ 1: 1, 2: 'two', 3: 3.5 }]] },
  { sql: 'SELECT $1 AS a, :x AS x', args: [[{ 1: 'one', x: 2 }]] },
  { sql: 'SELECT 1 + 1 AS two, NULL AS none', args: [[]] },
];

describe('prepared statements against better-sqlite3', () => {
  it('all, get, iterate, raw and pluck give the same rows for every parameter style', async () => {
    const { sql, lite } = await both();
    await seed(sql, lite);
    for (const q of QUERIES) {
      const ours = sql.prepare(q.sql);
      const theirs = betterPrepare(lite, q.sql);
      expect(ours.source).toBe(q.sql);
      expect(ours.reader).toBe(theirs.reader);
      for (const args of q.args) {
        expect(await ours.all(...args), q.sql).toEqual(theirs.all(...args));
        expect(await ours.get(...args), q.sql).toEqual(theirs.get(...args));
        const rows: unknown[] = [];
        for await (const row of ours.iterate(...args)) rows.push(row);
        expect(rows).toEqual([...theirs.iterate(...args)]);
        expect(await ours.raw().all(...args)).toEqual(theirs.raw().all(...args));
        expect(await ours.pluck().all(...args)).toEqual(theirs.pluck().all(...args));
        ours.pluck(false);
        theirs.pluck(false);
      }
    }
  });

  it('columns() describes result columns as better-sqlite3 does', async (ctx) => {
    const { sql, lite, storage } = await both();
    syncPrepare(storage, ctx);
    for (const q of QUERIES) expect(sql.prepare(q.sql).columns(), q.sql).toEqual(betterPrepare(lite, q.sql).columns());
    for (const text of [
      'PRAGMA table_info(users)',
      'PRAGMA foreign_keys',
      'PRAGMA foreign_keys = 1',
      'EXPLAIN QUERY PLAN SELECT * FROM users',
      'BEGIN',
      'DELETE FROM users RETURNING *',
    ]) {
      expect(sql.prepare(text).reader, text).toBe(betterPrepare(lite, text).reader);
    }
    expect(await sql.prepare('PRAGMA table_info(users)').pluck().all()).toEqual(betterPrepare(lite, 'PRAGMA table_info(users)').pluck().all());
    const ret = 'INSERT INTO users (name) VALUES (?) RETURNING id, name';
    expect(
      sql
        .prepare(ret)
        .columns()
        .map((c) => c.name),
    ).toEqual(['id', 'name']);
    // Non-readers: the same refusal as better-sqlite3 ("only for statements that return data").
    for (const text of ['INSERT INTO users (name) VALUES (?)', 'UPDATE users SET age = 1', 'CREATE TABLE z (a)']) {
      expect(() => betterPrepare(lite, text).columns()).toThrow(/only for statements that return data/);
      expect(() => sql.prepare(text).columns()).toThrow(/only for statements that return data/);
      expect(() => sql.prepare(text).columns()).toThrow(QueryError);
      expect(sql.prepare(text).reader).toBe(false);
    }
  });

  it('run() reports changes and the last inserted rowid like better-sqlite3, RETURNING rows like it too', async () => {
    const { sql, lite } = await both();
    await seed(sql, lite);
    for (const [text, args] of [
      ['UPDATE users SET age = age + 1 WHERE age > ?', [20]],
      ['DELETE FROM posts WHERE user_id = :u', [{ u: 1 }]],
      ['SELECT * FROM users', []],
      ['INSERT INTO posts (user_id, title) SELECT id, name FROM users WHERE id > ?', [3]],
      ['UPDATE users SET score = NULL WHERE id = 99', []],
    ] as const) {
      await runBoth(sql, lite, text, ...args);
    }
    const ret = 'INSERT INTO users (name, age) VALUES (?, ?) RETURNING id, name, age * 2 AS doubled';
    expect(await sql.prepare(ret).all('gus', 7)).toEqual(betterPrepare(lite, ret).all('gus', 7));
    expect(await sql.prepare('SELECT * FROM users ORDER BY id').all()).toEqual(betterPrepare(lite, 'SELECT * FROM users ORDER BY id').all());
    expect(await sql.prepare('SELECT * FROM posts ORDER BY id').all()).toEqual(betterPrepare(lite, 'SELECT * FROM posts ORDER BY id').all());
  });

  it('one prepared statement runs many times with new values', async () => {
    const { sql, lite } = await both();
    const ins = sql.prepare('INSERT INTO users (name, age) VALUES (?, ?)');
    const theirs = betterPrepare(lite, 'INSERT INTO users (name, age) VALUES (?, ?)');
    for (let i = 0; i < 50; i++) expect(await ins.run(`u${i}`, i)).toEqual(theirs.run(`u${i}`, i));
    const get = sql.prepare('SELECT name FROM users WHERE id = ?').pluck();
    for (let i = 1; i <= 50; i++) expect(await get.get(i)).toBe(`u${i - 1}`);
    expect(await sql.prepare('SELECT sum(age) AS s FROM users').get()).toEqual({ s: 1225 });
  });

  it('safeIntegers() returns INTEGERs (and lastInsertRowid) as bigints', async () => {
    const { sql } = await both();
    const ins = sql.prepare('INSERT INTO users (name, age) VALUES (?, ?)').safeIntegers();
    expect(await ins.run('a', 3)).toEqual({ changes: 1, lastInsertRowid: 1n });
    expect(await sql.prepare('SELECT id, age, 1.0 AS r FROM users').safeIntegers().get()).toEqual({ id: 1n, age: 3n, r: 1 });
  });
});

describe('prepared statement errors', () => {
  it('throws at prepare time for bad SQL, an unknown table or column, and more than one statement', async (ctx) => {
    const { sql, lite, storage } = await both();
    syncPrepare(storage, ctx);
    await sql.execute('SELECT 1'); // the catalog is loaded: names are checked at prepare
    for (const bad of ['SELEC 1', 'SELECT * FROM nope', 'SELECT nope FROM users', 'INSERT INTO nope VALUES (1)', 'UPDATE users SET nope = 1']) {
      expect(() => betterPrepare(lite, bad)).toThrow();
      expect(() => sql.prepare(bad), bad).toThrow(QueryError);
    }
    expect(() => betterPrepare(lite, 'SELECT 1; SELECT 2')).toThrow('The supplied SQL string contains more than one statement');
    expect(() => sql.prepare('SELECT 1; SELECT 2')).toThrow('The supplied SQL string contains more than one statement');
    expect(() => sql.prepare('')).toThrow(QueryError);
    // A trailing semicolon is still one statement.
    expect(await sql.prepare('SELECT 1 AS one;').get()).toEqual({ one: 1 });
  });

  it('before the schema is loaded, an unknown table fails on the first run instead', async () => {
    const h = await openEngine();
    cleanup.push(h.close);
    const st = h.sql.prepare('SELECT * FROM nope');
    await expect(st.all()).rejects.toThrow(/no such table/);
  });

  it('checks parameter values against the statement: missing, extra, too many, too few, unbindable', async () => {
    const { sql } = await both();
    const named = sql.prepare('SELECT * FROM users WHERE id = :id AND name = :name');
    await expect(named.all({ id: 1 })).rejects.toThrow(QueryError);
    await expect(named.all({ id: 1 })).rejects.toThrow('Missing named parameter "name"');
    await expect(named.all({ id: 1, name: 'x', other: 2 })).rejects.toThrow(ValidationError);
    await expect(named.all(1, 'x')).rejects.toThrow(/Too many parameter values/);
    await expect(named.all()).rejects.toThrow(/Missing named parameter/);
    expect(await named.all({ ':id': 1, '@name': 'x' })).toEqual([]);
    const positional = sql.prepare('SELECT ? + ? AS s');
    await expect(positional.get(1)).rejects.toThrow(/Too few parameter values/);
    await expect(positional.get(1, 2, 3)).rejects.toThrow(/Too many parameter values/);
    await expect(positional.get({ a: 1 })).rejects.toThrow(ValidationError);
    await expect(positional.get(1, Symbol('x'))).rejects.toThrow(ValidationError);
    await expect(positional.get(1, () => 2)).rejects.toThrow(ValidationError);
    await expect(positional.get(1, { a: 1 })).rejects.toThrow(ValidationError);
    expect(await positional.get(1, 2n)).toEqual({ s: 3 });
    // ?NNN: by number as a key (better-sqlite3's way) or, beyond better-sqlite3, in order.
    const numbered = sql.prepare('SELECT ?2 - ?1 AS d');
    expect(await numbered.get({ 1: 1, 2: 10 })).toEqual({ d: 9 });
    expect(await numbered.get(1, 10)).toEqual({ d: 9 });
    await expect(numbered.get({ 2: 10 })).rejects.toThrow('Missing named parameter "1"');
    // Non-readers refuse all/get/iterate, like better-sqlite3.
    const ins = sql.prepare('INSERT INTO users (name) VALUES (?)');
    await expect(ins.all('x')).rejects.toThrow('This statement does not return data. Use run() instead');
    await expect(ins.get('x')).rejects.toThrow(QueryError);
    expect(() => ins.raw()).toThrow(/only for statements that return data/);
  });
});

describe('schema changes between prepare and run', () => {
  it('recompiles: SELECT * sees an added column, a dropped table is "no such table", a recreated one is read afresh', async () => {
    const { sql, lite, storage } = await both();
    await seed(sql, lite);
    const text = 'SELECT * FROM posts WHERE id = ?';
    const ours = sql.prepare(text);
    const theirs = betterPrepare(lite, text);
    expect(await ours.get(1)).toEqual(theirs.get(1));
    for (const ddl of ['ALTER TABLE posts ADD COLUMN likes INTEGER DEFAULT 7', 'CREATE INDEX posts_title ON posts(title)']) {
      await sql.execute(ddl);
      lite.exec(ddl);
      expect(await ours.get(1), ddl).toEqual(theirs.get(1));
      // Without synchronous reads columns() gives the last run's names, with no origins.
      if (storage.supports.getSync) expect(ours.columns()).toEqual(theirs.columns());
      else expect(ours.columns().map((c) => c.name)).toEqual((theirs.columns() as { name: string }[]).map((c) => c.name));
    }
    await sql.execute('DROP TABLE posts');
    lite.exec('DROP TABLE posts');
    expect(() => theirs.get(1)).toThrow(/no such table/);
    await expect(ours.get(1)).rejects.toThrow(/no such table/);
    const recreate = 'CREATE TABLE posts (title TEXT, id INTEGER PRIMARY KEY)';
    await sql.execute(recreate);
    lite.exec(recreate);
    await sql.execute("INSERT INTO posts VALUES ('new', 1)");
    lite.exec("INSERT INTO posts VALUES ('new', 1)");
    expect(await ours.get(1)).toEqual(theirs.get(1));
    expect(await ours.get(1)).toEqual({ title: 'new', id: 1 });
  });

  it('a prepared INSERT writes under the new schema (new index kept right)', async () => {
    const { sql } = await both();
    const ins = sql.prepare('INSERT INTO users (name, age) VALUES (?, ?)');
    await ins.run('a', 1);
    await sql.execute('CREATE UNIQUE INDEX users_name ON users(name)');
    await expect(ins.run('a', 2)).rejects.toThrow(/UNIQUE/);
    await ins.run('b', 2);
    expect(await sql.prepare('SELECT name FROM users INDEXED BY users_name WHERE name = ?').pluck().all('b')).toEqual(['b']);
  });
});

describe('changes(), total_changes(), last_insert_rowid()', () => {
  it('follow better-sqlite3 statement by statement', async () => {
    const { sql, lite } = await both();
    const probe = 'SELECT changes() AS c, total_changes() AS t, last_insert_rowid() AS r';
    const steps = [
      "INSERT INTO users (name) VALUES ('a'), ('b'), ('c')",
      'SELECT * FROM users',
      "UPDATE users SET age = 5 WHERE name <> 'a'",
      'CREATE TABLE other (id INTEGER PRIMARY KEY, x)',
      "INSERT INTO posts (user_id, title) VALUES (1, 'p')",
      'DELETE FROM users WHERE id = 3',
      'UPDATE users SET age = 1 WHERE id = 99',
      "INSERT INTO users (id, name) VALUES (100, 'z')",
      'INSERT INTO other (x) SELECT name FROM users',
    ];
    expect(await sql.prepare(probe).get()).toEqual(betterPrepare(lite, probe).get());
    for (const step of steps) {
      await sql.prepare(step).run();
      betterPrepare(lite, step).run();
      expect(await sql.prepare(probe).get(), step).toEqual(betterPrepare(lite, probe).get());
    }
    // A failed INSERT changes nothing.
    const failing = 'INSERT INTO users (id, name) VALUES (100, ?)';
    await expect(sql.prepare(failing).run('dup')).rejects.toThrow();
    expect(() => betterPrepare(lite, failing).run('dup')).toThrow();
    expect(await sql.prepare(probe).get()).toEqual(betterPrepare(lite, probe).get());
    // Inside a statement the values are those from before it (an INSERT storing them).
    const store = 'INSERT INTO other (x) VALUES (changes() * 1000 + last_insert_rowid())';
    await sql.execute(store);
    lite.exec(store);
    const last = 'SELECT x FROM other ORDER BY id DESC LIMIT 1';
    expect(await sql.prepare(last).get()).toEqual(betterPrepare(lite, last).get());
    // execute() with several statements updates them after each one.
    const multi = 'INSERT INTO other (x) VALUES (1); DELETE FROM other WHERE x = 1; SELECT changes() AS c, last_insert_rowid() AS r';
    const res = await sql.execute(multi);
    lite.exec('INSERT INTO other (x) VALUES (1); DELETE FROM other WHERE x = 1');
    expect(res.rows[0]).toEqual(betterPrepare(lite, 'SELECT changes() AS c, last_insert_rowid() AS r').get());
  });

  it('are per engine', async () => {
    const h = await openEngine();
    cleanup.push(h.close);
    await h.sql.execute('CREATE TABLE t (a); INSERT INTO t VALUES (1), (2)');
    const { SqlEngine } = await import('@sochdb/sql');
    const other = new SqlEngine(h.storage);
    expect((await other.execute('SELECT total_changes() AS t, last_insert_rowid() AS r')).rows).toEqual([{ t: 0, r: 0 }]);
    expect((await h.sql.execute('SELECT total_changes() AS t, last_insert_rowid() AS r')).rows).toEqual([{ t: 2, r: 2 }]);
  });
});

describe('prepared statements in a transaction', () => {
  it('run inside the transaction given to prepare: visible to it, gone after abort', async () => {
    const h = await openEngine();
    cleanup.push(h.close);
    await h.sql.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const txn = h.storage.beginTransaction();
    const ins = h.sql.prepare('INSERT INTO t (v) VALUES (?)', { txn });
    const count = h.sql.prepare('SELECT count(*) FROM t', { txn }).pluck();
    await ins.run('a');
    await ins.run('b');
    expect(await count.get()).toBe(2);
    expect(await h.sql.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    await txn.abort();
    expect(await h.sql.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    expect(h.sql.prepare('SELECT 1')).toBeInstanceOf(PreparedStatement);
  });

  it('follow BEGIN … ROLLBACK written in SQL, like execute()', async () => {
    const h = await openEngine();
    cleanup.push(h.close);
    await h.sql.execute('CREATE TABLE t (v)');
    const ins = h.sql.prepare('INSERT INTO t VALUES (?)');
    await h.sql.prepare('BEGIN').run();
    await ins.run(1);
    expect(await h.sql.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    await h.sql.prepare('ROLLBACK').run();
    expect(await h.sql.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });
});

describe('README example', () => {
  it('runs as a real process, and is pasted verbatim in the README', async () => {
    const root = join(import.meta.dirname, '..');
    const example = join(root, 'examples', 'prepared.ts');
    const result = await waitForExit(spawnTs(example));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "{ changes: 1, lastInsertRowid: 4 }\n[ { id: 1, name: 'ann' }, { id: 3, name: 'cy' } ]\n{ id: 3, name: 'cy' }\nann\nbob\ncy\nid: users.id INTEGER, name: users.name TEXT\n",
    );
    expect(result.stdout).toContain('{ c: 1, t: 4, r: 4 }');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(readFileSync(example, 'utf8').trim());
  });
});
