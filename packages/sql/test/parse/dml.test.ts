// INSERT / REPLACE / UPDATE / DELETE trees, with upsert and RETURNING.
import { describe, expect, it } from 'vitest';
import { asc, bin, col, core, fn, joined, lit, one, query, rc, table } from './builders.js';

const param = (index: number) => ({ kind: 'param', index, name: undefined, text: '?' });

describe('INSERT', () => {
  it('reads VALUES rows, a column list, OR conflict, schema and alias', () => {
    expect(one('INSERT OR IGNORE INTO main.t AS x (a, "b") VALUES (1, ?), (2, ?)')).toEqual({
      kind: 'insert',
      with: undefined,
      or: 'IGNORE',
      schema: 'main',
      table: 't',
      alias: 'x',
      columns: ['a', 'b'],
      source: {
        kind: 'values',
        rows: [
          [lit(1n), param(1)],
          [lit(2n), param(2)],
        ],
      },
      upsert: [],
      returning: undefined,
    });
  });

  it('reads REPLACE INTO, DEFAULT VALUES and INSERT … SELECT', () => {
    expect(one('REPLACE INTO t VALUES (1)')).toMatchObject({ kind: 'insert', or: 'REPLACE', source: { kind: 'values' } });
    expect(one('INSERT INTO t DEFAULT VALUES RETURNING *')).toMatchObject({ source: { kind: 'defaults' }, returning: [{ kind: 'star' }] });
    expect(one('INSERT INTO t SELECT a FROM u')).toMatchObject({
      source: { kind: 'select', query: query(core([rc(col('a'), 'a')], { from: { items: [joined(table('u'))] } })) },
    });
    // A VALUES with a compound is a query, not plain rows.
    expect(one('INSERT INTO t VALUES (1) UNION SELECT 2')).toMatchObject({ source: { kind: 'select' } });
  });

  it('reads several ON CONFLICT clauses and RETURNING', () => {
    expect(
      one(
        'INSERT INTO t (a, b) VALUES (1, 2) ON CONFLICT (a COLLATE nocase, b DESC) WHERE b > 0 DO UPDATE SET b = excluded.b, (c, d) = (1, 2) WHERE c ' +
          'ON CONFLICT (b) DO NOTHING ON CONFLICT DO NOTHING RETURNING a AS x, *',
      ),
    ).toMatchObject({
      upsert: [
        {
          target: {
            columns: [
              { expr: col('a'), collation: 'NOCASE', desc: false },
              { expr: col('b'), collation: undefined, desc: true },
            ],
            where: bin('>', col('b'), lit(0n)),
          },
          action: {
            kind: 'update',
            sets: [
              { columns: ['b'], value: col('b', 'excluded') },
              { columns: ['c', 'd'], value: { kind: 'row', items: [lit(1n), lit(2n)] } },
            ],
            where: col('c'),
          },
        },
        { target: { columns: [{ expr: col('b'), collation: undefined, desc: false }], where: undefined }, action: { kind: 'nothing' } },
        { target: undefined, action: { kind: 'nothing' } },
      ],
      returning: [rc(col('a'), 'a', 'x'), { kind: 'star' }],
    });
  });

  it('gives ON CONFLICT after INSERT … SELECT … FROM t to the upsert', () => {
    for (const sql of ['INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING', 'INSERT INTO t SELECT * FROM u WHERE true ON CONFLICT (a) DO NOTHING']) {
      const statement = one(sql);
      expect(statement).toMatchObject({ kind: 'insert', upsert: [{ action: { kind: 'nothing' } }] });
      expect(statement).toMatchObject({ source: { query: { first: { from: { items: [{ on: undefined }] } } } } });
    }
    expect(one('INSERT INTO t SELECT * FROM u JOIN v ON v.conflict = 1')).toMatchObject({ upsert: [] });
  });

  it('reads WITH before INSERT', () => {
    expect(one('WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c')).toMatchObject({ kind: 'insert', with: { recursive: false, ctes: [{ name: 'c' }] } });
  });
});

describe('UPDATE', () => {
  it('reads every clause', () => {
    expect(
      one(
        'WITH w AS (SELECT 1) UPDATE OR ROLLBACK s.t AS x INDEXED BY i SET a = 1, (b, c) = (SELECT 1, 2) FROM u WHERE x.id = u.id RETURNING a ORDER BY a LIMIT 1 OFFSET 2',
      ),
    ).toEqual({
      kind: 'update',
      with: { recursive: false, ctes: [{ name: 'w', columns: undefined, materialized: undefined, query: query(core([rc(lit(1n), '1')])) }] },
      or: 'ROLLBACK',
      target: table('t', { schema: 's', alias: 'x', indexedBy: 'i' }),
      sets: [
        { columns: ['a'], value: lit(1n) },
        { columns: ['b', 'c'], value: { kind: 'subquery', query: query(core([rc(lit(1n), '1'), rc(lit(2n), '2')])) } },
      ],
      from: { items: [joined(table('u'))] },
      where: bin('=', col('id', 'x'), col('id', 'u')),
      returning: [rc(col('a'), 'a')],
      orderBy: [asc(col('a'))],
      limit: lit(1n),
      offset: lit(2n),
    });
    expect(one('UPDATE t NOT INDEXED SET a = a + 1')).toMatchObject({ target: table('t', { indexedBy: null }), where: undefined, returning: undefined });
  });
});

describe('DELETE', () => {
  it('reads every clause', () => {
    expect(one('DELETE FROM t AS x INDEXED BY i WHERE a > 1 RETURNING count(*) n ORDER BY a DESC LIMIT 2, 3')).toEqual({
      kind: 'delete',
      with: undefined,
      target: table('t', { alias: 'x', indexedBy: 'i' }),
      where: bin('>', col('a'), lit(1n)),
      returning: [rc(fn('count', [], { star: true }), 'count(*)', 'n')],
      orderBy: [asc(col('a'), { desc: true })],
      limit: lit(3n),
      offset: lit(2n),
    });
    expect(one('DELETE FROM t')).toMatchObject({ where: undefined, returning: undefined, orderBy: [], limit: undefined });
  });
});
