// serveHttp: the streamable HTTP transport on 127.0.0.1, with the SDK's own client; one server,
// two clients (one session each), and the loopback-only host check.
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Database } from '@sochdb/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type HttpServer } from '../src/index.js';
import { call, text } from './helpers.js';

describe('serveHttp', () => {
  let db: Database;
  let http: HttpServer;
  beforeAll(async () => {
    db = await Database.open(':memory:');
    await (await db.createNamespace('a')).put('greeting', 'hello over http');
    http = await serveHttp(db, { namespace: 'a' });
  });
  afterAll(async () => {
    await http?.close();
    await db?.close();
  });

  const connect = async () => {
    const client = new Client({ name: 'sochdb-http-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
    return client;
  };

  it('listens on loopback and serves tools to several sessions', async () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const [one, two] = [await connect(), await connect()];
    try {
      expect((await one.listTools()).tools.map((t) => t.name)).toContain('kv_get');
      expect(text(await call(one, 'kv_get', { key: 'greeting' }))).toBe('hello over http');
      expect(text(await call(two, 'sql_query', { sql: 'SELECT 1 + 1 AS two' }))).toBe('rows[1]{two}:2');
      expect((await call(two, 'kv_put', { key: 'x', value: 'y' })).isError).toBe(true);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    // node:http, not fetch: fetch does not let a caller set the Host header.
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        http.url,
        { method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
    expect(status).toBe(403);
  });

  it('answers 404 off the /mcp path and for an unknown session', async () => {
    expect((await fetch(new URL('/other', http.url))).status).toBe(404);
    const response = await fetch(http.url, { method: 'POST', headers: { 'mcp-session-id': 'nope', 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
  });
});
