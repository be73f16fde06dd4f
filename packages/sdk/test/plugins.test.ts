// Plugins fire from SQL writes: BEFORE hooks transform rows, a TriggerAbort aborts the statement.
import { describe, expect, it } from 'vitest';
import { GrpcStatus } from '@sochdb/grpc-client';
import { Database, fromServiceError, grpcStatusOf, PluginRegistry, toServiceStatus, TriggerAbort, TriggerEvent, ValidationError, type Row } from '@sochdb/sdk';

const validator = {
  name: 'user_validator',
  triggers: { users: [TriggerEvent.BEFORE_INSERT] },
  onBeforeInsert(row: Row) {
    if (typeof row.email === 'string') row.email = row.email.toLowerCase().trim();
    if (typeof row.age === 'number' && row.age < 0) throw new TriggerAbort('Age cannot be negative', 'INVALID_AGE');
    row.created_at = 1704182400;
    return row;
  },
};

describe('PluginRegistry', () => {
  it("fire() runs the guide's example", () => {
    const registry = new PluginRegistry();
    registry.register(validator);
    const result = registry.fire('users', TriggerEvent.BEFORE_INSERT, { name: 'Alice', email: ' ALICE@EXAMPLE.COM ', age: 30 });
    expect(result.email).toBe('alice@example.com');
    expect(result.created_at).toBe(1704182400);
    expect(() => registry.fire('users', TriggerEvent.BEFORE_INSERT, { age: -1 })).toThrow(expect.objectContaining({ abortCode: 'INVALID_AGE', code: 5003 }));
    expect(registry.fire('orders', TriggerEvent.BEFORE_INSERT, { age: -1 })).toEqual({ age: -1 });
  });

  it('rejects malformed plugins with ValidationError', () => {
    const registry = new PluginRegistry();
    expect(() => registry.register({ name: '', triggers: {} })).toThrow(ValidationError);
    expect(() => registry.register({ name: 'p', triggers: { t: ['ON INSERT' as never] } })).toThrow(/unknown trigger event/);
    expect(() => registry.register({ name: 'p', triggers: { t: [TriggerEvent.AFTER_DELETE] } })).toThrow(/onAfterDelete/);
    registry.register(validator);
    expect(() => registry.register(validator)).toThrow(/already registered/);
  });

  it('SQL INSERT/UPDATE/DELETE fire triggers; an abort writes nothing of the statement', async () => {
    await using db = await Database.open(':memory:');
    const seen: string[] = [];
    const registry = new PluginRegistry();
    registry.register(validator);
    registry.register({
      name: 'audit',
      triggers: { users: [TriggerEvent.AFTER_INSERT, TriggerEvent.BEFORE_UPDATE, TriggerEvent.AFTER_DELETE] },
      onAfterInsert: (row) => void seen.push(`insert ${String(row.name)}`),
      onBeforeUpdate: (row, ctx) => {
        seen.push(`update ${String(ctx.oldRow?.age)}->${String(row.age)}`);
        return { ...row, name: String(row.name).toUpperCase() };
      },
      onAfterDelete: (row) => void seen.push(`delete ${String(row.name)}`),
    });
    db.usePlugins(registry);
    await db.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, age INTEGER, created_at INTEGER)');
    await db.execute("INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', ' ALICE@EXAMPLE.COM ', 30)");
    expect((await db.execute('SELECT email, created_at FROM users WHERE id = 1')).rows).toEqual([{ email: 'alice@example.com', created_at: 1704182400 }]);

    const failure = await db.execute("INSERT INTO users (id, name, email, age) VALUES (2, 'Bob', 'b@x', 20), (3, 'Eve', 'e@x', -5)").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TriggerAbort);
    expect(failure).toMatchObject({ abortCode: 'INVALID_AGE', plugin: 'user_validator' });
    expect((await db.execute('SELECT COUNT(*) AS n FROM users')).rows).toEqual([{ n: 1 }]); // Bob was not written either

    await db.execute('UPDATE users SET age = 31 WHERE id = 1');
    expect((await db.execute('SELECT name, age FROM users')).rows).toEqual([{ name: 'ALICE', age: 31 }]);
    await db.execute('DELETE FROM users WHERE id = 1');
    expect(seen).toEqual(['insert Alice', 'update 30->31', 'delete ALICE']);
  });
});

it('a TriggerAbort crosses gRPC as FAILED_PRECONDITION and comes back as a TriggerAbort', () => {
  const abort = new TriggerAbort('Age cannot be negative', 'INVALID_AGE');
  abort.plugin = 'age_check';
  expect(grpcStatusOf(abort)).toBe(GrpcStatus.FAILED_PRECONDITION);
  const status = toServiceStatus(abort);
  const back = fromServiceError(Object.assign(new Error(status.details), status) as Parameters<typeof fromServiceError>[0], 'test');
  expect(back).toBeInstanceOf(TriggerAbort);
  expect({ code: back.code, abortCode: (back as TriggerAbort).abortCode, plugin: (back as TriggerAbort).plugin }).toEqual({
    code: 5003,
    abortCode: 'INVALID_AGE',
    plugin: 'age_check',
  });
});
