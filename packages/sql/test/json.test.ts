// JSON functions where test/slt/json.slt cannot look: exact big integers, bound parameters, our
// own refusals, EXPLAIN, and a larger differential run against SQLite (better-sqlite3).
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStorage, QueryError } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';
import { BetterSqlite } from './helpers.js';

let sql: SqlEngine;
let storage: MemoryStorage;

beforeAll(async () => {
  storage = await MemoryStorage.open();
  sql = new SqlEngine(storage);
});
afterAll(async () => {
  await storage.close();
});

const one = async (q: string, params: unknown[] = []): Promise<unknown[]> =>
  (await sql.execute(q, params, { rowMode: 'array', safeIntegers: true })).rows[0] as unknown[];

describe('JSON values', () => {
  it('keeps integers exact and REAL apart from INTEGER', async () => {
    expect(
      await one(
        `SELECT json_extract('[9223372036854775807, -9223372036854775808, 12345678901234567]', '$[0]', '$[1]', '$[2]'), json_extract('[12345678901234567]', '$[0]'), json_extract('[2.0]', '$[0]')`,
      ),
    ).toEqual(['[9223372036854775807,-9223372036854775808,12345678901234567]', 12345678901234567n, 2]);
    expect(await one(`SELECT json('[123456789012345678901234567890]'), json_extract('[123456789012345678901234567890]', '$[0]')`)).toEqual([
      '[123456789012345678901234567890]',
      1.2345678901234568e29,
    ]);
  });

  it('reads bound text as a string, and bound JSON through json()', async () => {
    expect(await one('SELECT json_array(?), json_array(json(?)), json_object(?, ?)', ['[1]', '[1]', 'k', '{"a":1}'])).toEqual([
      '["[1]"]',
      '[[1]]',
      '{"k":"{\\"a\\":1}"}',
    ]);
    expect(await one('SELECT count(*) FROM json_each(?) WHERE value > ?', ['[1,5,9]', 4])).toEqual([2n]);
  });

  it('reads a JSONB blob parameter', async () => {
    const blob = (await one(`SELECT jsonb('{"a":[1,2]}')`))[0] as Uint8Array;
    expect(await one('SELECT json(?), ? ->> ?, json_array_length(?, ?)', [blob, blob, '$.a[1]', blob, '$.a'])).toEqual(['{"a":[1,2]}', 2n, 2n]);
  });

  it('filters rows with json_extract(j, path) = ?', async () => {
    await sql.execute('CREATE TABLE docs (id INTEGER PRIMARY KEY, j TEXT)');
    const rows = Array.from({ length: 500 }, (_, i) => JSON.stringify({ a: i % 7, b: `n${i}`, c: [i] }));
    await sql.execute(`INSERT INTO docs (j) VALUES ${rows.map(() => '(?)').join(',')}`, rows);
    expect(await one(`SELECT count(*) FROM docs WHERE json_extract(j, '$.a') = ?`, [3])).toEqual([71n]);
    expect(await one(`SELECT count(*) FROM docs WHERE j ->> 'b' = ?`, ['n42'])).toEqual([1n]);
    expect(await one(`SELECT sum(j ->> '$.c[0]') FROM docs WHERE j ->> '$.a' = 0`)).toEqual([17892n]);
  });

  it('names a table-valued function in EXPLAIN', async () => {
    expect(await sql.explain('SELECT * FROM docs, json_each(docs.j) AS e')).toEqual(['SCAN docs', 'SCAN e VIRTUAL TABLE INDEX 1:']);
  });
});

describe('table-valued functions: what we refuse, clearly', () => {
  it('refuses arguments that read a FROM item listed later', async () => {
    const e = await sql.execute('SELECT * FROM json_each(docs.j) AS e, docs').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).message).toBe('json_each() reads docs, which comes after it in FROM');
  });

  it('refuses a RIGHT JOIN to a function reading the tables before it', async () => {
    const e = await sql.execute('SELECT * FROM docs RIGHT JOIN json_each(docs.j) AS e').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryError);
    expect((e as QueryError).message).toMatch(/RIGHT or FULL JOIN to e is not supported/);
  });
});

describe('against SQLite', () => {
  it('answers generated documents and paths as SQLite does', async () => {
    const lite = new BetterSqlite(':memory:');
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const atoms = [
      '0',
      '-1',
      '1.50',
      '-0.0',
      '1e5',
      '.5',
      '5.',
      '0x1F',
      '+3',
      'Infinity',
      'NaN',
      'null',
      'true',
      '"a"',
      '"\\u0041"',
      "'s'",
      '"\\x41"',
      '"\\t"',
      '12345678901234567890',
      '01',
      'tru',
    ];
    const gen = (d: number): string => {
      const r = rnd();
      if (d > 2 || r < 0.4) return pick(atoms);
      const n = Math.floor(rnd() * 4);
      if (r < 0.7) return `[${Array.from({ length: n }, () => pick(['', ' ', '/*c*/']) + gen(d + 1)).join(',')}${rnd() < 0.1 ? ',' : ''}]`;
      return `{${Array.from({ length: n }, () => `${pick(['"a"', '"b"', 'c', '"a b"', "'d'"])}:${gen(d + 1)}`).join(',')}}`;
    };
    const paths = ['$', '$.a', '$.c', '$[0]', '$[#-1]', '$.a[1]', '$."a b"', '$[#]'];
    const fmt = (v: unknown): string =>
      v === null
        ? 'NULL'
        : v instanceof Uint8Array
          ? Buffer.from(v).toString('hex')
          : typeof v === 'number'
            ? `${v}r`
            : typeof v === 'string' || typeof v === 'bigint'
              ? String(v)
              : inspect(v);
    const answer = async (run: () => unknown[] | Promise<unknown[]>): Promise<string> => {
      try {
        return (await run()).map(fmt).join('|');
      } catch (e) {
        return `ERR ${(e as Error).message}`;
      }
    };
    for (let k = 0; k < 300; k++) {
      const doc = gen(0);
      const p = pick(paths);
      const exprs = [
        `json(x)`,
        `json_valid(x)`,
        `json_valid(x, 2)`,
        `json_error_position(x)`,
        `json_extract(x, '${p}')`,
        `x -> '${p}'`,
        `json_set(x, '${p}', json('[9]'))`,
        `json_remove(x, '${p}')`,
        `json_insert(x, '${p}', 'v')`,
        `json_patch('{"a":{"b":1}}', x)`,
        `jsonb(x)`,
      ];
      for (const e of exprs) {
        const q = `SELECT ${e} FROM (SELECT ? AS x)`;
        const expected = await answer(() => lite.prepare(q).raw(true).get(doc) as unknown[]);
        const got = await answer(async () => (await sql.execute(q, [doc], { rowMode: 'array' })).rows[0] as unknown[]);
        expect(got, `${e} with ${doc}`).toBe(expected);
      }
      const tree = 'SELECT key, value, type, atom, id, parent, fullkey, path FROM json_tree(?)';
      const expected = await answer(() =>
        lite
          .prepare(tree)
          .raw(true)
          .all(doc)
          .map((r) => (r as unknown[]).map(fmt).join(',')),
      );
      const got = await answer(async () => (await sql.execute(tree, [doc], { rowMode: 'array' })).rows.map((r) => (r as unknown[]).map(fmt).join(',')));
      expect(got, `json_tree(${doc})`).toBe(expected);
    }
    lite.close();
  });
});
