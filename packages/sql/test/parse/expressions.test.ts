// Expression trees: literals, names, parameters, operators and the primary forms.
import { describe, expect, it } from 'vitest';
import { parseSql } from '../../src/parse/index.js';
import { NULL, asc, bin, col, coreOf, expr, fn, lit, un } from './builders.js';

describe('literals', () => {
  it('reads numbers with SQLite’s INTEGER / REAL rules', () => {
    expect(expr('42')).toEqual(lit(42n));
    expect(expr('007')).toEqual(lit(7n));
    expect(expr('1_000_000')).toEqual(lit(1000000n));
    expect(expr('9223372036854775807')).toEqual(lit(9223372036854775807n));
    expect(expr('9223372036854775808')).toEqual(lit(9223372036854775808));
    expect(expr('-9223372036854775808')).toEqual(lit(-9223372036854775808n));
    expect(expr('-(9223372036854775808)')).toEqual(lit(-9223372036854775808n));
    expect(expr('-9223372036854775809')).toEqual(un('-', lit(9223372036854775808)));
    expect(expr('-9223372036854775808.0')).toEqual(un('-', lit(9223372036854775808)));
    expect(expr('1.5')).toEqual(lit(1.5));
    expect(expr('.5')).toEqual(lit(0.5));
    expect(expr('1.')).toEqual(lit(1));
    expect(expr('1e3')).toEqual(lit(1000));
    expect(expr('1.5E-3')).toEqual(lit(0.0015));
    expect(expr('0x1F')).toEqual(lit(31n));
    expect(expr('0XFFFFFFFFFFFFFFFF')).toEqual(lit(-1n));
    expect(expr('0x8000000000000000')).toEqual(lit(-9223372036854775808n));
  });

  it('reads strings, blobs, NULL, TRUE/FALSE and the CURRENT_* keywords', () => {
    expect(expr("'it''s'")).toEqual(lit("it's"));
    expect(expr("''")).toEqual(lit(''));
    expect(expr("x'0aFF'")).toEqual(lit(new Uint8Array([10, 255])));
    expect(expr("X''")).toEqual(lit(new Uint8Array([])));
    expect(expr('NULL')).toEqual(NULL);
    expect(expr('TRUE')).toEqual(lit(1n));
    expect(expr('false')).toEqual(lit(0n));
    expect(expr('"true"')).toEqual(col('true', undefined, undefined, true));
    expect(expr('CURRENT_TIMESTAMP')).toEqual(fn('current_timestamp', [], { keyword: true }));
    expect(expr('current_date')).toEqual(fn('current_date', [], { keyword: true }));
  });
});

describe('names', () => {
  it('reads column references with one to three parts and every quoting style', () => {
    expect(expr('c')).toEqual(col('c'));
    expect(expr('t.c')).toEqual(col('c', 't'));
    expect(expr('s.t.c')).toEqual(col('c', 't', 's'));
    expect(expr('"My Col"')).toEqual(col('My Col', undefined, undefined, true));
    expect(expr('"a""b"')).toEqual(col('a"b', undefined, undefined, true));
    expect(expr('[a b]')).toEqual(col('a b'));
    expect(expr('`a``b`')).toEqual(col('a`b'));
    expect(expr('"t".c')).toEqual(col('c', 't'));
    expect(expr("'t'.c")).toEqual(col('c', 't'));
    expect(expr('t."c"')).toEqual(col('c', 't', undefined, true));
    expect(expr('ünïcode')).toEqual(col('ünïcode'));
    expect(expr('a$b')).toEqual(col('a$b'));
  });

  it('reads fallback keywords and join words as names where the grammar allows', () => {
    expect(coreOf("SELECT key, action, replace(a,'b','c') FROM t").columns).toEqual([
      { kind: 'expr', expr: col('key'), alias: undefined, text: 'key' },
      { kind: 'expr', expr: col('action'), alias: undefined, text: 'action' },
      { kind: 'expr', expr: fn('replace', [col('a'), lit('b'), lit('c')]), alias: undefined, text: "replace(a,'b','c')" },
    ]);
    expect(expr('left + right')).toEqual(bin('+', col('left'), col('right')));
    expect(expr('like(a, b)')).toEqual(fn('like', [col('a'), col('b')]));
    expect(expr('glob + end + window + over + filter')).toEqual(
      bin('+', bin('+', bin('+', bin('+', col('glob'), col('end')), col('window')), col('over')), col('filter')),
    );
    expect(expr('if(a, 1, 2)')).toEqual(fn('if', [col('a'), lit(1n), lit(2n)]));
    expect(expr('indexed')).toEqual(col('indexed'));
  });
});

describe('parameters', () => {
  it('numbers bare ? in text order across statements, after ?NNN continues from NNN', () => {
    const statements = parseSql('SELECT ?, ?; SELECT ?5, ?, :name, @x, $y, $1, :2, ?');
    const params = statements.flatMap((s) => (s.kind === 'select' && s.query.first.kind === 'select' ? s.query.first.columns : []));
    expect(params.map((c) => (c.kind === 'expr' ? c.expr : undefined))).toEqual([
      { kind: 'param', index: 1, name: undefined, text: '?' },
      { kind: 'param', index: 2, name: undefined, text: '?' },
      { kind: 'param', index: 5, name: undefined, text: '?5' },
      { kind: 'param', index: 6, name: undefined, text: '?' },
      { kind: 'param', index: undefined, name: 'name', text: ':name' },
      { kind: 'param', index: undefined, name: 'x', text: '@x' },
      { kind: 'param', index: undefined, name: 'y', text: '$y' },
      { kind: 'param', index: 1, name: '1', text: '$1' },
      { kind: 'param', index: 2, name: '2', text: ':2' },
      { kind: 'param', index: 7, name: undefined, text: '?' },
    ]);
  });
});

describe('operators', () => {
  it('normalizes == <> and the IS [NOT] DISTINCT FROM forms', () => {
    expect(expr('a == b')).toEqual(bin('=', col('a'), col('b')));
    expect(expr('a <> b')).toEqual(bin('!=', col('a'), col('b')));
    expect(expr('a IS DISTINCT FROM b')).toEqual(bin('IS NOT', col('a'), col('b')));
    expect(expr('a IS NOT DISTINCT FROM b')).toEqual(bin('IS', col('a'), col('b')));
    expect(expr('a -> b ->> c')).toEqual(bin('->>', bin('->', col('a'), col('b')), col('c')));
  });

  it('reads postfix ISNULL / NOTNULL / NOT NULL as IS [NOT] NULL', () => {
    expect(expr('a ISNULL')).toEqual(bin('IS', col('a'), NULL));
    expect(expr('a NOTNULL')).toEqual(bin('IS NOT', col('a'), NULL));
    expect(expr('a NOT NULL')).toEqual(bin('IS NOT', col('a'), NULL));
    expect(expr('a IS NOT NULL')).toEqual(bin('IS NOT', col('a'), NULL));
    expect(expr('NOT a IS NOT NULL')).toEqual(un('NOT', bin('IS NOT', col('a'), NULL)));
  });

  it('reads prefix operators', () => {
    expect(expr('- - 1')).toEqual(un('-', un('-', lit(1n))));
    expect(expr('~a')).toEqual(un('~', col('a')));
    expect(expr('+a')).toEqual(un('+', col('a')));
    expect(expr('- +a')).toEqual(un('-', col('a')));
    expect(expr('NOT NOT a')).toEqual(un('NOT', un('NOT', col('a'))));
    expect(expr('-a COLLATE nocase')).toEqual({ kind: 'collate', operand: un('-', col('a')), collation: 'NOCASE' });
  });

  it('reads LIKE, GLOB, REGEXP and MATCH with NOT and ESCAPE', () => {
    const like = (op: 'LIKE' | 'GLOB' | 'REGEXP' | 'MATCH', not: boolean, escape?: string) => ({
      kind: 'like',
      op,
      not,
      operand: col('a'),
      pattern: lit('x%'),
      escape: escape === undefined ? undefined : lit(escape),
    });
    expect(expr("a LIKE 'x%'")).toEqual(like('LIKE', false));
    expect(expr("a not like 'x%' escape '\\'")).toEqual(like('LIKE', true, '\\'));
    expect(expr("a GLOB 'x%'")).toEqual(like('GLOB', false));
    expect(expr("a NOT REGEXP 'x%'")).toEqual(like('REGEXP', true));
    expect(expr("a MATCH 'x%'")).toEqual(like('MATCH', false));
  });

  it('reads BETWEEN with an AND-free low bound', () => {
    expect(expr('a NOT BETWEEN 1 + 1 AND 3 AND b')).toEqual(
      bin('AND', { kind: 'between', not: true, operand: col('a'), low: bin('+', lit(1n), lit(1n)), high: lit(3n) }, col('b')),
    );
  });

  it('reads COLLATE with identifier or string names, upper-cased', () => {
    expect(expr("a || b COLLATE 'NoCase'")).toEqual(bin('||', col('a'), { kind: 'collate', operand: col('b'), collation: 'NOCASE' }));
  });
});

describe('IN', () => {
  const inExpr = (source: unknown, not = false) => ({ kind: 'in', not, operand: col('a'), source });
  it('accepts an empty list, a list, a subquery, a table and a table-valued function', () => {
    expect(expr('a IN ()')).toEqual(inExpr({ kind: 'list', items: [] }));
    expect(expr('a NOT IN (1, 2)')).toEqual(inExpr({ kind: 'list', items: [lit(1n), lit(2n)] }, true));
    expect(expr('a IN t')).toEqual(inExpr({ kind: 'table', schema: undefined, name: 't', args: undefined }));
    expect(expr('a IN main.t')).toEqual(inExpr({ kind: 'table', schema: 'main', name: 't', args: undefined }));
    expect(expr('a IN json_each(?)')).toEqual(
      inExpr({ kind: 'table', schema: undefined, name: 'json_each', args: [{ kind: 'param', index: 1, name: undefined, text: '?' }] }),
    );
    const sub = expr('a IN (SELECT b FROM t)');
    expect(sub).toMatchObject(inExpr({ kind: 'select', query: { first: { kind: 'select' } } }));
    // As in SQLite, a single parenthesized subquery in the list means membership in all its rows.
    expect(expr('a IN ((SELECT b FROM t))')).toEqual(sub);
  });
});

describe('primary forms', () => {
  it('reads row values, scalar subqueries and EXISTS', () => {
    expect(expr('(a, b) = (1, 2)')).toEqual(bin('=', { kind: 'row', items: [col('a'), col('b')] }, { kind: 'row', items: [lit(1n), lit(2n)] }));
    expect(expr('((a))')).toEqual(col('a'));
    expect(expr('(SELECT 1)')).toMatchObject({ kind: 'subquery', query: { first: { kind: 'select' } } });
    expect(expr('NOT EXISTS (SELECT 1)')).toMatchObject({ kind: 'unary', op: 'NOT', operand: { kind: 'exists' } });
  });

  it('reads both CASE forms', () => {
    expect(expr('CASE a WHEN 1 THEN 2 WHEN 3 THEN 4 ELSE 5 END')).toEqual({
      kind: 'case',
      operand: col('a'),
      whens: [
        { when: lit(1n), then: lit(2n) },
        { when: lit(3n), then: lit(4n) },
      ],
      otherwise: lit(5n),
    });
    expect(expr('CASE WHEN a THEN 1 END')).toEqual({ kind: 'case', operand: undefined, whens: [{ when: col('a'), then: lit(1n) }], otherwise: undefined });
  });

  it('reads CAST type names as written', () => {
    const cast = (type: string) => ({ kind: 'cast', operand: col('a'), type });
    expect(expr('CAST(a AS VARCHAR( 20 ))')).toEqual(cast('VARCHAR(20)'));
    expect(expr('CAST(a AS double   precision)')).toEqual(cast('double precision'));
    expect(expr('CAST(a AS DECIMAL(10, -5))')).toEqual(cast('DECIMAL(10,-5)'));
    expect(expr('CAST(a AS UNSIGNED BIG INT)')).toEqual(cast('UNSIGNED BIG INT'));
    expect(expr('CAST(a AS)')).toEqual(cast(''));
  });

  it('reads RAISE', () => {
    expect(expr('RAISE(IGNORE)')).toEqual({ kind: 'raise', action: 'IGNORE', message: undefined });
    expect(expr("RAISE(ABORT, 'no')")).toEqual({ kind: 'raise', action: 'ABORT', message: lit('no') });
  });
});

describe('function calls', () => {
  it('reads count(*), DISTINCT / ALL and ordered aggregates', () => {
    expect(expr('COUNT(*)')).toEqual(fn('count', [], { star: true }));
    expect(expr('count()')).toEqual(fn('count', []));
    expect(expr('sum(DISTINCT a)')).toEqual(fn('sum', [col('a')], { distinct: true }));
    expect(expr('sum(ALL a)')).toEqual(fn('sum', [col('a')]));
    expect(expr("group_concat(a, ',' ORDER BY b DESC)")).toEqual(fn('group_concat', [col('a'), lit(',')], { orderBy: [asc(col('b'), { desc: true })] }));
    expect(expr('"Abs"(1)')).toEqual(fn('abs', [lit(1n)]));
  });

  it('reads FILTER and OVER with a named window or a full window spec', () => {
    expect(expr('count(*) FILTER (WHERE a > 1) OVER w')).toEqual(
      fn('count', [], { star: true, filter: bin('>', col('a'), lit(1n)), over: { base: 'w', partitionBy: [], orderBy: [], frame: undefined } }),
    );
    expect(expr('sum(a) OVER (w PARTITION BY b ORDER BY c NULLS LAST ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)')).toEqual(
      fn('sum', [col('a')], {
        over: {
          base: 'w',
          partitionBy: [col('b')],
          orderBy: [asc(col('c'), { nulls: 'LAST' })],
          frame: {
            units: 'ROWS',
            start: { kind: 'PRECEDING', offset: lit(1n) },
            end: { kind: 'UNBOUNDED FOLLOWING', offset: undefined },
            exclude: 'TIES',
          },
        },
      }),
    );
    expect(expr('rank() OVER (RANGE UNBOUNDED PRECEDING EXCLUDE NO OTHERS)')).toEqual(
      fn('rank', [], {
        over: {
          base: undefined,
          partitionBy: [],
          orderBy: [],
          frame: {
            units: 'RANGE',
            start: { kind: 'UNBOUNDED PRECEDING', offset: undefined },
            end: { kind: 'CURRENT ROW', offset: undefined },
            exclude: 'NO OTHERS',
          },
        },
      }),
    );
    expect(expr('f(a) OVER (GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING EXCLUDE CURRENT ROW)')).toMatchObject({
      over: { frame: { units: 'GROUPS', start: { kind: 'CURRENT ROW' }, end: { kind: 'FOLLOWING', offset: lit(2n) }, exclude: 'CURRENT ROW' } },
    });
  });
});
