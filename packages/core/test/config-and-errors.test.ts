import { chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import {
  DatabaseError,
  DatabaseConfigSchema,
  DatabaseLockedError,
  DimensionMismatchError,
  LevelStorage,
  LockError,
  parseConfig,
  SochDBError,
  TransactionConflictError,
  TransactionError,
  ValidationError,
} from '@sochdb/core';
import * as core from '@sochdb/core';

describe('DatabaseConfig', () => {
  it('fills defaults', () => {
    expect(parseConfig(DatabaseConfigSchema, {}, 'database config')).toMatchObject({
      createIfMissing: true,
      syncMode: 'normal',
      walEnabled: true,
      memtableSizeBytes: 16 * 1024 * 1024,
    });
  });

  it('names the bad field in a ValidationError', () => {
    expect(() => parseConfig(DatabaseConfigSchema, { syncMode: 'sometimes' }, 'database config')).toThrow(
      expect.objectContaining({ code: 6000, field: 'syncMode' }),
    );
    expect(() => parseConfig(DatabaseConfigSchema, { memtableSizeBytes: -1 }, 'database config')).toThrow(/memtableSizeBytes/);
    expect(() => parseConfig(DatabaseConfigSchema, { sycnMode: 'full' }, 'database config')).toThrow(expect.objectContaining({ field: 'sycnMode' }));
  });

  it('LevelStorage.open validates its config before touching the disk', async () => {
    await expect(LevelStorage.open('/tmp/never-created-sochdb', { syncMode: 'x' as never })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('LevelStorage.open on a path it cannot use', () => {
  it('a NUL in the path is a ValidationError, not a raw TypeError', async () => {
    await expect(LevelStorage.open(join(tmpdir(), 'a\0b'))).rejects.toBeInstanceOf(ValidationError);
  });

  it('a folder that cannot be created is a DatabaseError with a remediation, not a raw errno', async () => {
    const dir = makeTempDir('sochdb-open-');
    try {
      writeFileSync(join(dir.path, 'file'), 'x');
      const error = await LevelStorage.open(join(dir.path, 'file', 'db')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).remediation).toMatch(/file is in the way/);
    } finally {
      dir.cleanup();
    }
  });

  // Root may write anywhere, so the permission case only runs for an ordinary user.
  it.skipIf(process.getuid?.() === 0)('a parent folder without write permission is a DatabaseError naming the cause', async () => {
    const dir = makeTempDir('sochdb-open-');
    try {
      chmodSync(dir.path, 0o500);
      const error = await LevelStorage.open(join(dir.path, 'db')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).remediation).toMatch(/not writable/);
    } finally {
      chmodSync(dir.path, 0o700);
      dir.cleanup();
    }
  });
});

describe('errors', () => {
  it('the API.md codes are stable', () => {
    const expected: Record<string, number> = {
      DatabaseError: 9003,
      TransactionError: 2001,
      TransactionConflictError: 2002,
      ConnectionError: 1001,
      ProtocolError: 1004,
      NamespaceNotFoundError: 3001,
      NamespaceExistsError: 3002,
      CollectionNotFoundError: 4001,
      CollectionExistsError: 4002,
      CollectionConfigError: 4003,
      QueryError: 5001,
      SqlSyntaxError: 5004,
      NoSuchTableError: 5005,
      NoSuchColumnError: 5006,
      ValidationError: 6000,
      DatabaseLockedError: 10001,
      LockTimeoutError: 10002,
      EpochMismatchError: 10003,
      SplitBrainError: 10004,
    };
    for (const [name, code] of Object.entries(expected)) {
      const Ctor = (core as unknown as Record<string, new (m: string) => SochDBError>)[name]!;
      const error = new Ctor('x');
      expect(error, name).toBeInstanceOf(SochDBError);
      expect(error.code, name).toBe(code);
      expect(error.name, name).toBe(name);
    }
  });

  it('carries hierarchy, remediation and cause', () => {
    const cause = new Error('low level');
    const e = new TransactionConflictError(undefined, { cause });
    expect(e).toBeInstanceOf(TransactionError);
    expect(e.cause).toBe(cause);
    expect(e.remediation).toMatch(/Retry/);
    expect(new DatabaseLockedError('x')).toBeInstanceOf(LockError);
    const dim = new DimensionMismatchError(384, 3);
    expect(dim).toMatchObject({ code: 6001, expected: 384, actual: 3 });
    expect(dim).toBeInstanceOf(ValidationError);
  });
});
