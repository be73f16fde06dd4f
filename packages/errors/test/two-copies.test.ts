// Two installed copies of @sochdb/errors (one SochDB package upgraded on its own installs a
// second): an error made by one copy must still be an instance of the other copy's class.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import * as here from '../src/index.js';

type ErrorsModule = typeof here;
const dist = fileURLToPath(new URL('../dist', import.meta.url));
let dir: string;
let a: ErrorsModule;
let b: ErrorsModule;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sochdb-errors-copies-'));
  // Each copy as npm lays out an installed package: its own folder, its own module instances.
  const load = async (name: string): Promise<ErrorsModule> => {
    const root = join(dir, name, 'node_modules', '@sochdb', 'errors');
    cpSync(dist, join(root, 'dist'), { recursive: true });
    cpSync(fileURLToPath(new URL('../package.json', import.meta.url)), join(root, 'package.json'));
    return (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as ErrorsModule;
  };
  [a, b] = [await load('app'), await load('vector')];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('errors from another copy of the package', () => {
  it('are two copies indeed (distinct classes)', () => {
    expect(a.ValidationError).not.toBe(b.ValidationError);
  });

  it('are instances of the same-named class and of every class above it', () => {
    const error = new b.DimensionMismatchError(3, 4);
    expect(error instanceof a.DimensionMismatchError).toBe(true);
    expect(error instanceof a.ValidationError).toBe(true);
    expect(error instanceof a.SochDBError).toBe(true);
    expect(error instanceof Error).toBe(true);
    expect(a.ValidationError.is(error)).toBe(true);
    expect(a.SochDBError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 6001, expected: 3, actual: 4, name: 'DimensionMismatchError' });
  });

  it('are not instances of unrelated or more derived classes', () => {
    const error = new b.ValidationError('bad', { field: 'x' });
    expect(error instanceof a.DimensionMismatchError).toBe(false);
    expect(error instanceof a.QueryError).toBe(false);
    expect(a.ConnectionError.is(error)).toBe(false);
    expect(a.DimensionMismatchError.is(error)).toBe(false);
  });

  it('a subclass defined outside SochDB on one copy is recognized by the other', () => {
    class PluginVeto extends b.QueryError {
      override readonly code = 5999;
    }
    const veto = new PluginVeto('vetoed');
    expect(veto instanceof a.QueryError).toBe(true);
    expect(a.SochDBError.is(veto)).toBe(true);
    expect(veto instanceof a.ConstraintError).toBe(false);
  });

  it('a look-alike that is not a SochDB error is not one', () => {
    class ValidationError extends Error {}
    expect(new ValidationError('x') instanceof a.ValidationError).toBe(false);
    expect(a.SochDBError.is({ code: 6000, name: 'ValidationError', message: 'x' })).toBe(false);
    expect(a.SochDBError.is(null)).toBe(false);
    expect(a.SochDBError.is('ValidationError')).toBe(false);
    expect(Symbol.for('sochdb.error')).toBe(here.SOCHDB_ERROR);
  });
});

describe('codes', () => {
  it('are typed by class, so TypeScript narrows on them', () => {
    expectTypeOf(new here.AuthenticationError('x').code).toEqualTypeOf<1002>();
    expectTypeOf(new here.NoSuchTableError('x').code).toEqualTypeOf<5005>();
    expectTypeOf<here.ConnectionError['code']>().toEqualTypeOf<1001 | 1002 | here.OtherErrorCode>();
    const error: unknown = new here.TransactionConflictError();
    if (here.TransactionError.is(error)) expectTypeOf(error).toEqualTypeOf<here.TransactionError>();
    expect(here.TransactionError.is(error) && error.code === 2002).toBe(true);
  });

  it('are the documented ones', () => {
    const codes = [
      [new here.SqlSyntaxError('x'), 5004],
      [new here.NoSuchTableError('x'), 5005],
      [new here.NoSuchColumnError('x'), 5006],
      [new here.ToonParseError('x', 0), 6002],
      [new here.DatabaseNotFoundError('x'), 9006],
    ] as const;
    for (const [error, code] of codes) expect(error.code).toBe(code);
  });
});
