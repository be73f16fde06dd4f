// Scripts, transactions, savepoints, PRAGMA, EXPLAIN and the maintenance statements.
import { describe, expect, it } from 'vitest';
import { parseSql } from '../../src/parse/index.js';
import { lit, one } from './builders.js';

describe('scripts', () => {
  it('skips empty statements and comments, and returns [] for blank input', () => {
    expect(parseSql('')).toEqual([]);
    expect(parseSql('  \n\t ')).toEqual([]);
    expect(parseSql(';;  ;')).toEqual([]);
    expect(parseSql('-- only a comment')).toEqual([]);
    expect(parseSql('/* unterminated comment')).toEqual([]);
    expect(parseSql(';SELECT 1;;SELECT 2;')).toHaveLength(2);
    expect(parseSql("SELECT ';' -- ;\n; SELECT 2")).toHaveLength(2);
  });
});

describe('transactions and savepoints', () => {
  it('reads BEGIN with every mode', () => {
    expect(one('BEGIN')).toEqual({ kind: 'begin', mode: undefined });
    expect(one('BEGIN DEFERRED TRANSACTION')).toEqual({ kind: 'begin', mode: 'DEFERRED' });
    expect(one('begin immediate')).toEqual({ kind: 'begin', mode: 'IMMEDIATE' });
    expect(one('BEGIN EXCLUSIVE TRANSACTION tx')).toEqual({ kind: 'begin', mode: 'EXCLUSIVE' });
  });

  it('reads COMMIT, END and ROLLBACK [TO [SAVEPOINT] name]', () => {
    expect(one('COMMIT')).toEqual({ kind: 'commit' });
    expect(one('END TRANSACTION')).toEqual({ kind: 'commit' });
    expect(one('ROLLBACK')).toEqual({ kind: 'rollback', savepoint: undefined });
    expect(one('ROLLBACK TRANSACTION TO SAVEPOINT sp')).toEqual({ kind: 'rollback', savepoint: 'sp' });
    expect(one('ROLLBACK TO sp')).toEqual({ kind: 'rollback', savepoint: 'sp' });
  });

  it('reads SAVEPOINT and RELEASE [SAVEPOINT]', () => {
    expect(one('SAVEPOINT sp')).toEqual({ kind: 'savepoint', name: 'sp' });
    expect(one('RELEASE sp')).toEqual({ kind: 'release', name: 'sp' });
    expect(one('RELEASE SAVEPOINT "sp"')).toEqual({ kind: 'release', name: 'sp' });
  });
});

describe('PRAGMA', () => {
  it('reads every value form', () => {
    expect(one('PRAGMA Table_Info')).toEqual({ kind: 'pragma', schema: undefined, name: 'table_info', value: undefined });
    expect(one('PRAGMA main.table_info(t)')).toEqual({ kind: 'pragma', schema: 'main', name: 'table_info', value: 't' });
    expect(one('PRAGMA cache_size = -2000')).toEqual({ kind: 'pragma', schema: undefined, name: 'cache_size', value: -2000n });
    expect(one('PRAGMA x = +1.5')).toMatchObject({ value: 1.5 });
    expect(one("PRAGMA journal_mode = 'wal'")).toMatchObject({ value: 'wal' });
    expect(one('PRAGMA journal_mode = wal')).toMatchObject({ value: 'wal' });
    expect(one('PRAGMA foreign_keys = ON')).toMatchObject({ value: 'ON' });
    expect(one('PRAGMA foreign_keys = true')).toMatchObject({ value: 'true' });
    expect(one('PRAGMA secure_delete(DELETE)')).toMatchObject({ value: 'DELETE' });
  });
});

describe('EXPLAIN', () => {
  it('wraps the statement and notes QUERY PLAN', () => {
    expect(one('EXPLAIN SELECT 1')).toMatchObject({ kind: 'explain', queryPlan: false, statement: { kind: 'select' } });
    expect(one('EXPLAIN QUERY PLAN DELETE FROM t')).toMatchObject({ kind: 'explain', queryPlan: true, statement: { kind: 'delete' } });
  });
});

describe('maintenance statements', () => {
  it('reads REINDEX, ANALYZE and VACUUM', () => {
    expect(one('REINDEX')).toEqual({ kind: 'reindex', schema: undefined, name: undefined });
    expect(one('REINDEX nocase')).toEqual({ kind: 'reindex', schema: undefined, name: 'nocase' });
    expect(one('REINDEX main.t')).toEqual({ kind: 'reindex', schema: 'main', name: 't' });
    expect(one('ANALYZE')).toEqual({ kind: 'analyze', schema: undefined, name: undefined });
    expect(one('ANALYZE t')).toEqual({ kind: 'analyze', schema: undefined, name: 't' });
    expect(one('VACUUM')).toEqual({ kind: 'vacuum', schema: undefined, into: undefined });
    expect(one("VACUUM main INTO 'copy.db'")).toEqual({ kind: 'vacuum', schema: 'main', into: lit('copy.db') });
  });
});
