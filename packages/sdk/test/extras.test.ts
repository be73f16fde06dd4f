// SDK conveniences: TOON from SQL rows, the SearchRequest class, and binary paths from the env.
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeTempDir } from '@sochdb/core/testing';
import { binaryPath, Database, SearchRequest, ValidationError } from '@sochdb/sdk';

it('toToon takes SQL rows as they come, 64-bit integers and BLOBs included', async () => {
  await using db = await Database.open(':memory:');
  await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, big INTEGER, data BLOB)');
  await db.execute("INSERT INTO t VALUES (1, 9007199254740993, x'CAFE'), (2, 5, NULL)");
  const { rows } = await db.execute('SELECT * FROM t ORDER BY id');
  expect(Database.toToon('t', rows)).toBe('t[2]{id,big,data}:1,"9007199254740993",yv4=;2,5,null');
});

it('collection.search accepts a SearchRequest instance like a plain object', async () => {
  await using db = await Database.open(':memory:');
  const ns = await db.createNamespace('n');
  const col = await ns.createCollection({ name: 'c', dimension: 2 });
  await col.insertBatch({
    ids: ['a', 'b'],
    vectors: [
      [1, 0],
      [0, 1],
    ],
    contents: ['apple pie', 'banana bread'],
  });
  const viaClass = await col.search(new SearchRequest({ vector: [1, 0], textQuery: 'apple', k: 1, alpha: 0.7 }));
  const viaObject = await col.search({ vector: [1, 0], textQuery: 'apple', k: 1, alpha: 0.7 });
  expect(viaClass).toEqual(viaObject);
  expect(viaClass[0]?.id).toBe('a');
});

it('binaryPath honours SOCHDB_*_PATH and refuses one that does not exist', () => {
  expect(binaryPath('sochdb-server', {})).toBe('sochdb-server');
  expect(binaryPath('sochdb-bulk', { SOCHDB_BULK_PATH: process.execPath })).toBe(process.execPath);
  expect(() => binaryPath('sochdb-grpc-server', { SOCHDB_GRPC_SERVER_PATH: '/nope/sochdb-grpc-server' })).toThrow(ValidationError);
  expect(() => binaryPath('sochdb-nope' as never)).toThrow(/unknown SochDB binary/);
});

it('binaryPath finds the tool in its installed npm package, else falls back to the name on PATH', () => {
  const dir = makeTempDir('sochdb-bin-');
  try {
    expect(binaryPath('sochdb-server', {}, dir.path)).toBe('sochdb-server');
    // As npm installs @sochdb/server: node_modules/@sochdb/server (here a link to the app).
    mkdirSync(join(dir.path, 'node_modules', '@sochdb'), { recursive: true });
    const app = join(import.meta.dirname, '..', '..', '..', 'apps', 'server');
    symlinkSync(app, join(dir.path, 'node_modules', '@sochdb', 'server'), 'dir');
    expect(binaryPath('sochdb-server', {}, dir.path)).toBe(join(realpathSync(app), 'dist', 'cli.js'));
    expect(binaryPath('sochdb-server', { SOCHDB_SERVER_PATH: process.execPath }, dir.path)).toBe(process.execPath);
  } finally {
    dir.cleanup();
  }
});
