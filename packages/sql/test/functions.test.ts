// Scalar functions against SQLite: every function over every combination of a set of awkward
// arguments (NULL, zero, negatives, reals, numeric and non-numeric text, huge numbers), value and
// type compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase } from './helpers.js';

let ours: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;
beforeAll(async () => {
  const db = await openEngine();
  ours = db.sql;
  close = db.close;
  lite = new BetterSqlite(':memory:');
});
afterAll(async () => {
  lite.close();
  await close();
});

const ARGS = ['NULL', '0', '1', '-1', '2', '2.5', '-2.5', "'3.7'", "'abc'", '100', '1e308', '0.5', "''"];
const UNARY = [
  'length',
  'lower',
  'upper',
  'trim',
  'ltrim',
  'rtrim',
  'quote',
  'unicode',
  'typeof',
  'char',
  'sqrt',
  'exp',
  'ln',
  'log',
  'log10',
  'log2',
  'floor',
  'ceil',
  'ceiling',
  'trunc',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'degrees',
  'radians',
  'likely',
  'unlikely',
  'octet_length',
  'unhex',
  'zeroblob',
  'sign',
  'abs',
  'hex',
];
const BINARY = [
  'instr',
  'substr',
  'ifnull',
  'nullif',
  'trim',
  'ltrim',
  'rtrim',
  'coalesce',
  'max',
  'min',
  'pow',
  'power',
  'log',
  'mod',
  'atan2',
  'likelihood',
  'concat_ws',
  'round',
];

const close9 = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number'
    ? Object.is(a, b) || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))
    : JSON.stringify(a) === JSON.stringify(b);

async function compare(expr: string): Promise<void> {
  const sql = `SELECT ${expr}, typeof(${expr})`;
  let expected: unknown[] | string;
  try {
    expected = lite.prepare(sql).raw(true).get() as unknown[];
  } catch (error) {
    expected = `error: ${(error as Error).message}`;
  }
  let got: unknown[] | string;
  try {
    got = (await ours.execute(sql, [], { rowMode: 'array' })).rows[0] as unknown[];
  } catch (error) {
    got = `error: ${(error as Error).message}`;
  }
  if (typeof expected === 'string' || typeof got === 'string') {
    expect(typeof got === 'string', `${expr}: ours ${JSON.stringify(got)}, SQLite ${JSON.stringify(expected)}`).toBe(typeof expected === 'string');
    return;
  }
  const [v, t] = got;
  const [ev, et] = expected;
  expect(t, `typeof ${expr}`).toBe(et);
  expect(
    close9(Buffer.isBuffer(v) ? v.toString('hex') : v, Buffer.isBuffer(ev) ? ev.toString('hex') : ev),
    `${expr}: ours ${String(v)}, SQLite ${String(ev)}`,
  ).toBe(true);
}

describe('scalar functions agree with SQLite', () => {
  it('math and blob functions of one argument', async () => {
    for (const f of UNARY) for (const a of ARGS) if (!(f === 'zeroblob' && a === '1e308')) await compare(`${f}(${a})`);
  });

  it('functions of two arguments', async () => {
    for (const f of BINARY) for (const a of ARGS) for (const b of ARGS) await compare(`${f}(${a}, ${b})`);
  });

  it('constants and text helpers', async () => {
    for (const expr of [
      'pi()',
      "concat(1, NULL, 'a', 2.5)",
      "concat_ws('-', 1, NULL, 2)",
      "unhex('41 42', ' ')",
      "unhex('4142', 'x')",
      "unhex('414')",
      'length(randomblob(4))',
      'length(randomblob(0))',
      'zeroblob(-1)',
    ]) {
      await compare(expr);
    }
  });
});
