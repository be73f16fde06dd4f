// createMcpServer's options: checked at creation, defaults announced to the client.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Database, InvalidNamespaceNameError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION, createMcpServer, serveHttp } from '../src/index.js';
import { call, text } from './helpers.js';

describe('createMcpServer options', () => {
  let db: Database;
  beforeAll(async () => (db = await Database.open(':memory:')));
  afterAll(async () => db?.close());

  it('PACKAGE_VERSION is the package.json version', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });

  it('refuses a bad namespace before serving anything', async () => {
    expect(() => createMcpServer(db, { namespace: 'a/b' })).toThrow(InvalidNamespaceNameError);
    expect(() => createMcpServer(db, { namespace: '' })).toThrow(InvalidNamespaceNameError);
    await expect(serveHttp(db, { namespace: 'no spaces' })).rejects.toThrow(InvalidNamespaceNameError);
  });

  it('announces its name and version; reads of a namespace never created say so, and create nothing', async () => {
    const server = createMcpServer(db, { namespace: 'fresh', name: 'my-db', version: '9.9.9' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'my-db', version: '9.9.9' });
      expect(text(await call(client, 'kv_get', { key: 'x' }))).toMatch(/^NamespaceNotFoundError \(3001\): namespace 'fresh' does not exist yet/);
      expect(text(await call(client, 'sql_query', { sql: 'SELECT 1 AS x' }))).toBe('rows[1]{x}:1');
      expect((await client.readResource({ uri: 'sochdb://fresh/collections' })).contents[0]).toMatchObject({ text: 'collections[0]{}:' });
      expect(await db.listNamespaces()).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
