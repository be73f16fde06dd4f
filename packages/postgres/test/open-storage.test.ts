// Core's openStorage picks this package for postgres:// URLs, whether or not the caller imported it.
import { fileURLToPath } from 'node:url';
import { openStorage, ValidationError } from '@sochdb/core';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../src/index.js';
import { freshSchema, serverUrl } from './factory.js';

const withSchema = (schema: string) => `${serverUrl()}?schema=${schema}`;

describe('openStorage with a URL', () => {
  it('opens PostgresStorage for postgres:// and postgresql://, with its options', async () => {
    const schema = freshSchema();
    const a = await openStorage(withSchema(schema) as `${string}://${string}`, { poolSize: 2 });
    try {
      expect(a).toBeInstanceOf(PostgresStorage);
      await a.put('k', 'v');
    } finally {
      await a.close();
    }
    const b = await openStorage(withSchema(schema).replace(/^postgres:/, 'postgresql:') as `${string}://${string}`);
    try {
      expect((await b.get('k'))?.toString()).toBe('v');
    } finally {
      await b.close();
    }
  });

  it('refuses wrong options and unknown schemes with a ValidationError', async () => {
    await expect(openStorage(serverUrl() as `${string}://${string}`, { poolSize: 0 })).rejects.toMatchObject({ code: 6000, field: 'poolSize' });
    await expect(openStorage(serverUrl() as `${string}://${string}`, { syncMode: 'full' })).rejects.toBeInstanceOf(ValidationError);
    const unknown = openStorage('redis://u:secret@127.0.0.1/0');
    await expect(unknown).rejects.toMatchObject({ code: 6000, field: 'location' });
    await expect(unknown).rejects.not.toThrow(/secret/);
  });

  it('loads @sochdb/postgres in a process that imported only @sochdb/core', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/open-by-url.ts', import.meta.url));
    const result = await waitForExit(spawnTs(fixture, [withSchema(freshSchema())]));
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'PostgresStorage yes\n' });
  });
});
