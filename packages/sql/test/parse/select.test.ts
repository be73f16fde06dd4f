// SELECT trees: result columns, FROM and joins, clauses, compounds, WITH and VALUES.
import { describe, expect, it } from 'vitest';
import type { NamedWindow } from '../../src/parse/index.js';
import { asc, bin, col, core, coreOf, fn, joined, lit, query, rc, selectOf, table } from './builders.js';

describe('result columns', () => {
  it('reads *, table.*, aliases with and without AS, string aliases, and the source text', () => {
    expect(coreOf("SELECT *, t.*, a AS x, b y, c 'z', d AS 'w', e+1 , 'one' 'two' FROM t").columns).toEqual([
      { kind: 'star' },
      { kind: 'tableStar', table: 't' },
      rc(col('a'), 'a', 'x'),
      rc(col('b'), 'b', 'y'),
      rc(col('c'), 'c', 'z'),
      rc(col('d'), 'd', 'w'),
      rc(bin('+', col('e'), lit(1n)), 'e+1'),
      rc(lit('one'), "'one'", 'two'),
    ]);
    expect(coreOf('SELECT a /* note */ FROM t').columns).toEqual([rc(col('a'), 'a')]);
    expect(coreOf('SELECT 1 asc, 2 desc').columns).toEqual([rc(lit(1n), '1', 'asc'), rc(lit(2n), '2', 'desc')]);
  });

  it('reads DISTINCT and ALL', () => {
    expect(coreOf('SELECT DISTINCT a FROM t').distinct).toBe(true);
    expect(coreOf('SELECT ALL a FROM t').distinct).toBe(false);
  });
});

describe('FROM', () => {
  it('reads aliases, schemas, INDEXED BY and NOT INDEXED', () => {
    expect(coreOf('SELECT 1 FROM main.tab1 cor0, t AS u INDEXED BY i, v NOT INDEXED').from).toEqual({
      items: [
        joined(table('tab1', { schema: 'main', alias: 'cor0' })),
        joined(table('t', { alias: 'u', indexedBy: 'i' }), { join: { kind: 'comma', natural: false } }),
        joined(table('v', { indexedBy: null }), { join: { kind: 'comma', natural: false } }),
      ],
    });
  });

  it('reads every join operator with ON and USING', () => {
    const from = coreOf(
      'SELECT 1 FROM a JOIN b ON a.x = b.x CROSS JOIN c INNER JOIN d USING (x, y) LEFT OUTER JOIN e NATURAL JOIN f ' +
        'RIGHT JOIN g FULL OUTER JOIN h NATURAL LEFT JOIN i',
    ).from;
    expect(from).toEqual({
      items: [
        joined(table('a')),
        joined(table('b'), { join: { kind: 'inner', natural: false }, on: bin('=', col('x', 'a'), col('x', 'b')) }),
        joined(table('c'), { join: { kind: 'cross', natural: false } }),
        joined(table('d'), { join: { kind: 'inner', natural: false }, using: ['x', 'y'] }),
        joined(table('e'), { join: { kind: 'left', natural: false } }),
        joined(table('f'), { join: { kind: 'inner', natural: true } }),
        joined(table('g'), { join: { kind: 'right', natural: false } }),
        joined(table('h'), { join: { kind: 'full', natural: false } }),
        joined(table('i'), { join: { kind: 'left', natural: true } }),
      ],
    });
  });

  it('never takes a join word as an implicit alias', () => {
    expect(coreOf('SELECT 1 FROM t left JOIN u').from?.items.map((i) => [i.item, i.join])).toEqual([
      [table('t'), undefined],
      [table('u'), { kind: 'left', natural: false }],
    ]);
    expect(coreOf('SELECT 1 FROM t AS left').from?.items[0]?.item).toEqual(table('t', { alias: 'left' }));
  });

  it('reads subqueries, table-valued functions and parenthesized joins', () => {
    const from = coreOf('SELECT 1 FROM (SELECT 1) AS s, json_each(?) j, (a JOIN b ON 1) AS ab, (c)').from;
    expect(from?.items.map((i) => i.item)).toEqual([
      { kind: 'subquery', query: query(core([rc(lit(1n), '1')])), alias: 's' },
      table('json_each', { alias: 'j', args: [{ kind: 'param', index: 1, name: undefined, text: '?' }] }),
      { kind: 'join', alias: 'ab', from: { items: [joined(table('a')), joined(table('b'), { join: { kind: 'inner', natural: false }, on: lit(1n) })] } },
      table('c'),
    ]);
  });

  it('flattens a leading parenthesized join as SQLite does', () => {
    expect(coreOf('SELECT 1 FROM (a AS x JOIN b) JOIN c').from).toEqual({
      items: [
        joined(table('a', { alias: 'x' })),
        joined(table('b'), { join: { kind: 'inner', natural: false } }),
        joined(table('c'), { join: { kind: 'inner', natural: false } }),
      ],
    });
  });
});

describe('clauses', () => {
  it('reads WHERE, GROUP BY, HAVING and WINDOW', () => {
    const window: NamedWindow = { name: 'w', spec: { base: undefined, partitionBy: [col('a')], orderBy: [], frame: undefined } };
    expect(coreOf('SELECT a, sum(b) OVER w FROM t WHERE b > 0 GROUP BY a, c HAVING count(*) > 1 WINDOW w AS (PARTITION BY a)')).toEqual(
      core([rc(col('a'), 'a'), rc(fn('sum', [col('b')], { over: { base: 'w', partitionBy: [], orderBy: [], frame: undefined } }), 'sum(b) OVER w')], {
        from: { items: [joined(table('t'))] },
        where: bin('>', col('b'), lit(0n)),
        groupBy: [col('a'), col('c')],
        having: bin('>', fn('count', [], { star: true }), lit(1n)),
        windows: [window],
      }),
    );
  });

  it('reads ORDER BY with DESC, NULLS FIRST/LAST and COLLATE', () => {
    expect(selectOf('SELECT a FROM t ORDER BY a DESC NULLS FIRST, b COLLATE nocase ASC NULLS LAST, 1').orderBy).toEqual([
      asc(col('a'), { desc: true, nulls: 'FIRST' }),
      asc({ kind: 'collate', operand: col('b'), collation: 'NOCASE' }, { nulls: 'LAST' }),
      asc(lit(1n)),
    ]);
  });

  it('reads LIMIT n, LIMIT n OFFSET m and LIMIT m, n', () => {
    expect(selectOf('SELECT 1 LIMIT 5')).toMatchObject({ limit: lit(5n), offset: undefined });
    expect(selectOf('SELECT 1 LIMIT 5 OFFSET 2')).toMatchObject({ limit: lit(5n), offset: lit(2n) });
    expect(selectOf('SELECT 1 LIMIT 2, 5')).toMatchObject({ limit: lit(5n), offset: lit(2n) });
  });
});

describe('compounds', () => {
  it('attaches the trailing ORDER BY and LIMIT to the whole compound', () => {
    expect(selectOf('SELECT a FROM t UNION ALL SELECT b FROM u INTERSECT VALUES (1) EXCEPT SELECT 2 UNION SELECT 3 ORDER BY 1 LIMIT 3')).toEqual(
      query(core([rc(col('a'), 'a')], { from: { items: [joined(table('t'))] } }), {
        compounds: [
          { op: 'UNION ALL', core: core([rc(col('b'), 'b')], { from: { items: [joined(table('u'))] } }) },
          { op: 'INTERSECT', core: { kind: 'values', rows: [[lit(1n)]] } },
          { op: 'EXCEPT', core: core([rc(lit(2n), '2')]) },
          { op: 'UNION', core: core([rc(lit(3n), '3')]) },
        ],
        orderBy: [asc(lit(1n))],
        limit: lit(3n),
      }),
    );
  });

  it('lets a parenthesized subquery carry its own ORDER BY and LIMIT', () => {
    const outer = coreOf('SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 1) UNION SELECT 2');
    expect(outer.from?.items[0]?.item).toMatchObject({ kind: 'subquery', query: { orderBy: [asc(col('a'))], limit: lit(1n) } });
  });

  it('reads VALUES as a statement', () => {
    expect(selectOf('VALUES (1, 2), (3, 4)')).toEqual(
      query({
        kind: 'values',
        rows: [
          [lit(1n), lit(2n)],
          [lit(3n), lit(4n)],
        ],
      }),
    );
  });
});

describe('WITH', () => {
  it('reads RECURSIVE, column lists and [NOT] MATERIALIZED', () => {
    const select = selectOf(
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3), m AS MATERIALIZED (SELECT 1), ' +
        'nm AS NOT MATERIALIZED (SELECT 2) SELECT n FROM c',
    );
    expect(select.with?.recursive).toBe(true);
    expect(select.with?.ctes.map((c) => [c.name, c.columns, c.materialized])).toEqual([
      ['c', ['n'], undefined],
      ['m', undefined, true],
      ['nm', undefined, false],
    ]);
    expect(select.with?.ctes[0]?.query.compounds[0]?.op).toBe('UNION ALL');
    expect(select.first).toEqual(core([rc(col('n'), 'n')], { from: { items: [joined(table('c'))] } }));
  });
});
