// createMcpServer's options: checked at creation, defaults announced to the client.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Database, InvalidNamespaceNameError } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { PACKAGE_VERSION, checkMcpEndpoint, createMcpServer, serveHttp } from '../src/index.js';
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

describe('where serveHttp may listen', () => {
  let db: Database;
  beforeAll(async () => (db = await Database.open(':memory:')));
  afterAll(async () => db?.close());

  it('loopback in any spelling; anything else only with allowRemote; bad ports and hosts named', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'LOCALHOST']) expect(checkMcpEndpoint({ host }).remote, host).toBe(false);
    expect(checkMcpEndpoint({ host: '[::1]' }).host).toBe('::1');
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'example.com']) {
      expect(() => checkMcpEndpoint({ host }), host).toThrow(expect.objectContaining({ name: 'ValidationError', field: 'mcpHost' }));
      expect(checkMcpEndpoint({ host, allowRemote: true }).remote).toBe(true);
    }
    expect(() => checkMcpEndpoint({ port: 70_000 })).toThrow(expect.objectContaining({ field: 'mcpPort' }));
    expect(() => checkMcpEndpoint({ host: ' ' })).toThrow(expect.objectContaining({ field: 'mcpHost' }));
    expect(checkMcpEndpoint({})).toEqual({ port: 0, host: '127.0.0.1', namespace: 'default', allowWrites: false, remote: false });
  });

  it('refuses 0.0.0.0 without allowRemote before listening, and a taken port is a ConnectionError', async () => {
    await expect(serveHttp(db, { namespace: 'a', host: '0.0.0.0' })).rejects.toMatchObject({ name: 'ValidationError', field: 'mcpHost' });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(serveHttp(db, { namespace: 'a', port })).rejects.toMatchObject({ name: 'ConnectionError' });
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
