// Window functions beyond what test/slt/windows.slt can say: bound parameters as frame offsets,
// the error type, large inputs, and generated window queries compared with SQLite.
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '@sochdb/core';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

let sql: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;

const SETUP = ['CREATE TABLE t (id INTEGER PRIMARY KEY, g TEXT, x INTEGER, y REAL, z)'];

beforeAll(async () => {
  const db = await openEngine();
  sql = db.sql;
  close = db.close;
  lite = new BetterSqlite(':memory:');
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
  const rows: string[] = [];
  for (let i = 1; i <= 30; i++) {
    rows.push(
      `(${i}, ${pick(["'a'", "'b'", "'c'", 'NULL'])}, ${pick(['NULL', '0', '1', '2', '3', '5', '-1'])}, ${pick(['NULL', '0.5', '1.25', '2.0', '-3.5', '1e3'])}, ${pick(['NULL', '1', "'1'", "'abc'", '2.5', "x'00'", "'B'", "'b'"])})`,
    );
  }
  for (const s of [...SETUP, `INSERT INTO t VALUES ${rows.join(', ')}`]) {
    lite.exec(s);
    await sql.execute(s);
  }
});

afterAll(async () => {
  lite.close();
  await close();
});

const format = (v: unknown) =>
  v === null
    ? 'NULL'
    : v instanceof Uint8Array
      ? `x'${Buffer.from(v).toString('hex')}'`
      : typeof v === 'number' && Number.isInteger(v)
        ? `${v}`
        : typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint'
          ? String(v)
          : inspect(v);

async function both(query: string, params: unknown[] = []): Promise<{ ours: string; sqlite: string }> {
  // better-sqlite3 takes named values as one object argument; the engine takes that object itself.
  const bound = params.length === 1 && typeof params[0] === 'object' ? params[0] : params;
  const ours = await sql.execute(query, bound as never, { rowMode: 'array' }).then(
    (r) => (r.rows as unknown[][]).map((row) => row.map(format).join('|')).join('\n'),
    (e: unknown) => `error: ${(e as Error).message}`,
  );
  let sqlite: string;
  try {
    sqlite = (
      lite
        .prepare(query)
        .raw(true)
        .all(...params) as unknown[][]
    )
      .map((row) => row.map(format).join('|'))
      .join('\n');
  } catch (e) {
    sqlite = `error: ${(e as Error).message}`;
  }
  return { ours, sqlite };
}

describe('window functions', () => {
  it('take frame offsets, lag/lead offsets and ntile / nth_value arguments from parameters', async () => {
    const queries: [string, unknown[]][] = [
      ['SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN ? PRECEDING AND ? FOLLOWING) FROM t ORDER BY id', [2, 1]],
      ['SELECT id, count(*) OVER (ORDER BY y RANGE BETWEEN ? PRECEDING AND CURRENT ROW) FROM t ORDER BY id', [1.5]],
      ['SELECT id, lag(x, ?, ?) OVER (ORDER BY id), lead(g, ?) OVER (PARTITION BY g ORDER BY id) FROM t ORDER BY id', [2, -9, 1]],
      ['SELECT id, ntile(?) OVER (ORDER BY id), nth_value(id, ?) OVER (ORDER BY id) FROM t ORDER BY id', [4, 3]],
      ['SELECT id, sum(x) OVER (ORDER BY id GROUPS :n PRECEDING) FROM t ORDER BY id', [{ n: 1 }]],
    ];
    for (const [query, params] of queries) {
      const { ours, sqlite } = await both(query, params);
      expect(ours, query).toBe(sqlite);
    }
    // A negative offset is refused once there are rows, as in SQLite.
    await expect(sql.execute('SELECT sum(x) OVER (ORDER BY id ROWS ? PRECEDING) FROM t', [-1])).rejects.toThrow(
      'frame starting offset must be a non-negative integer',
    );
    expect((await sql.execute('SELECT sum(x) OVER (ORDER BY id ROWS ? PRECEDING) FROM t WHERE 0', [-1])).rows).toEqual([]);
  });

  it('reports misuse as a QueryError with a remediation', async () => {
    const error = await sql.execute('SELECT id FROM t WHERE row_number() OVER () > 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code: 5001, message: 'misuse of window function row_number()' });
    expect((error as QueryError).remediation).toMatch(/select list and ORDER BY/);
    await expect(sql.execute('SELECT id, rank() OVER w FROM t')).rejects.toMatchObject({ code: 5001, message: 'no such window: w' });
  });

  it('runs windows over 20,000 rows in time linear in the rows (sliding frames included)', async () => {
    await sql.execute('CREATE TABLE big (id INTEGER PRIMARY KEY, g INTEGER, v REAL)');
    const values = Array.from({ length: 20_000 }, (_, i) => `(${i + 1}, ${i % 97}, ${(i * 7919) % 1009})`);
    for (let i = 0; i < values.length; i += 2000) await sql.execute(`INSERT INTO big VALUES ${values.slice(i, i + 2000).join(', ')}`);
    const result = await sql.execute(
      `SELECT id, row_number() OVER (PARTITION BY g ORDER BY v DESC, id), sum(v) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
         min(v) OVER (ORDER BY id ROWS BETWEEN 500 PRECEDING AND 500 FOLLOWING), count(*) OVER (ORDER BY v RANGE BETWEEN 10 PRECEDING AND 10 FOLLOWING)
       FROM big ORDER BY id LIMIT 3`,
      [],
      { rowMode: 'array' },
    );
    expect(result.rows.length).toBe(3);
    expect(result.rows[0]![2]).toBeCloseTo(
      values.reduce((s, _, i) => s + ((i * 7919) % 1009), 0),
      3,
    );
  }, 60_000);

  it('gives the same rows as SQLite for generated window queries', async () => {
    const fn = fc.constantFrom(
      'row_number()',
      'rank()',
      'dense_rank()',
      'percent_rank()',
      'cume_dist()',
      'ntile(3)',
      'lag(x)',
      'lead(y, 2, -1)',
      'lag(z, 0)',
      'first_value(z)',
      'last_value(x)',
      'nth_value(y, 2)',
      'count(*)',
      'count(z)',
      'sum(x)',
      'sum(z)',
      'total(y)',
      'avg(x)',
      'min(z)',
      'max(y)',
      'group_concat(x)',
      "group_concat(z, '-')",
      'sum(x) FILTER (WHERE y > 0)',
      'typeof(sum(z) %W)',
    );
    const partition = fc.constantFrom('', 'PARTITION BY g', 'PARTITION BY x % 2', 'PARTITION BY g, x > 2');
    const order = fc.constantFrom(
      '',
      'ORDER BY x',
      'ORDER BY x DESC',
      'ORDER BY y NULLS LAST',
      'ORDER BY z',
      'ORDER BY g, x DESC',
      'ORDER BY z COLLATE NOCASE',
    );
    const bound = (start: boolean) =>
      fc.constantFrom(
        ...(start
          ? ['UNBOUNDED PRECEDING', '1 PRECEDING', 'CURRENT ROW', '1 FOLLOWING']
          : ['UNBOUNDED FOLLOWING', '2 FOLLOWING', 'CURRENT ROW', '1 PRECEDING']),
      );
    const frame = fc
      .tuple(
        fc.constantFrom('ROWS', 'RANGE', 'GROUPS'),
        bound(true),
        bound(false),
        fc.constantFrom('', '', ' EXCLUDE CURRENT ROW', ' EXCLUDE GROUP', ' EXCLUDE TIES', ' EXCLUDE NO OTHERS'),
      )
      .map(([units, s, e, x]) => ({ units, s, e, x }));
    const call = fc.tuple(fn, partition, order, fc.option(frame, { nil: undefined })).map(([f, p, o, fr]) => {
      let spec = `${p} ${o}`;
      if (fr) {
        const offsets = /\d/.test(fr.s) || /\d/.test(fr.e);
        const units = fr.units === 'RANGE' && offsets && (o === '' || o.includes(',')) ? 'ROWS' : fr.units;
        spec += ` ${units} BETWEEN ${fr.s} AND ${fr.e}${fr.x}`;
      }
      return f.includes('%W') ? f.replace('%W', `OVER (${spec})`) : `${f} OVER (${spec})`;
    });
    const query = fc
      .tuple(fc.array(call, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([calls, ordered]) => `SELECT id, ${calls.join(', ')} FROM t${ordered ? ' ORDER BY id' : ''}`);
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const { ours, sqlite } = await both(q);
        expect(ours, q).toBe(sqlite);
      }),
      { numRuns: 150, seed: 20261206 },
    );
  }, 120_000);
});
