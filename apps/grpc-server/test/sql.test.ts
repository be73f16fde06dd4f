import { status as Status } from '@grpc/grpc-js';
import { ConstraintError, NoSuchTableError, QueryError, SqlSyntaxError, ValidationError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUnary, rejection, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.stop());

describe('SqlService', () => {
  it('runs DDL and DML with positional and named parameters', async () => {
    await t.client.executeSql('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, score REAL, avatar BLOB, big INTEGER)');
    const insert = await t.client.executeSql('INSERT INTO users (name, score, avatar, big) VALUES (?, ?, ?, ?)', [
      'alice',
      9.5,
      Buffer.from([0, 1, 255]),
      2n ** 62n,
    ]);
    expect(insert.rowsAffected).toBe(1);
    expect(insert.lastInsertRowid).toBe(1);
    await t.client.executeSql('INSERT INTO users (name, score) VALUES (:name, :score)', { name: 'bob', score: 7 });

    const result = await t.client.executeSql('SELECT id, name, score, avatar, big FROM users ORDER BY id');
    expect(result.columns).toEqual(['id', 'name', 'score', 'avatar', 'big']);
    expect(result.rows).toEqual([
      { id: 1, name: 'alice', score: 9.5, avatar: Buffer.from([0, 1, 255]), big: 2n ** 62n },
      { id: 2, name: 'bob', score: 7, avatar: null, big: null },
    ]);
    expect([...result].length).toBe(2);
  });

  it('returns the same result as the embedded engine, also in array row mode', async () => {
    const sql = 'SELECT name, score * 2 AS doubled, name FROM users WHERE score > ? ORDER BY name';
    const remote = await t.client.executeSql(sql, [1], { rowMode: 'array' });
    const local = await t.server.db.executeSql(sql, [1], { rowMode: 'array' });
    expect(remote.columns).toEqual(local.columns);
    expect(remote.rows).toEqual(local.rows);
    expect(remote.rows[0]).toEqual(['alice', 19, 'alice']);
  });

  it('reports bad SQL as QueryError (INVALID_ARGUMENT) with its position', async () => {
    const error = await rejection(t.client.executeSql('SELEC name FROM users'));
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toBeInstanceOf(SqlSyntaxError);
    expect((error as QueryError).code).toBe(5004);
    expect((error as QueryError).line).toBe(1);
    expect(await rejection(t.client.executeSql('SELECT * FROM missing_table'))).toBeInstanceOf(NoSuchTableError);
    const raw = await rawUnary(t.server, 'SqlService/Execute', { sql: 'SELEC 1' });
    expect(raw.code).toBe(Status.INVALID_ARGUMENT);
    expect(raw.metadata.get('sochdb-error')).toEqual(['SqlSyntaxError']);
  });

  it('reports a constraint violation as ConstraintError (FAILED_PRECONDITION)', async () => {
    const error = await rejection(t.client.executeSql("INSERT INTO users (name) VALUES ('alice')"));
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error).toMatchObject({ code: 5002, table: 'users' });
    expect((await rawUnary(t.server, 'SqlService/Execute', { sql: "INSERT INTO users (name) VALUES ('alice')" })).code).toBe(Status.FAILED_PRECONDITION);
  });

  it('refuses parameters it cannot bind, and mixed parameter styles', async () => {
    const error = await rejection(t.client.executeSql('SELECT ?', [{ nested: true }]));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('params[0]');
    const mixed = await rawUnary(t.server, 'SqlService/Execute', {
      sql: 'SELECT ?',
      positional: [{ text: 'a' }],
      named: [{ name: 'x', value: { text: 'b' } }],
    });
    expect(mixed.code).toBe(Status.INVALID_ARGUMENT);
  });
});
