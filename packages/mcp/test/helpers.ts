// Set-up shared by the MCP tests: a seeded database with two namespaces, and SDK clients.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Database, SqlEngine } from '@sochdb/sdk';

/** The CLI's source entry point (`sochdb`), run through tsx as a real child process. */
export const cli = join(import.meta.dirname, '..', '..', '..', 'apps', 'cli', 'src', 'cli.ts');

/** When the seeded temporal edges start. */
export const T0 = 1_700_000_000_000;

/**
 * Namespaces `a` and `b`, each with the same shapes of data but different values: KV, a collection
 * `docs` (dimension 3), SQL table `notes` in its own SQL namespace, graph nodes and edges, a
 * temporal edge, and a queue task. `b` also has a table `secrets` and a KV key `b-only`.
 */
export async function seed(folder: string): Promise<void> {
  const db = await Database.open(folder);
  try {
    for (const name of ['a', 'b']) {
      const ns = await db.createNamespace(name);
      await ns.put('greeting', `hello from ${name}`);
      await ns.put('user/1', `{"name":"${name}-one"}`);
      await ns.put('user/2', `{"name":"${name}-two"}`);
      const docs = await ns.createCollection({ name: 'docs', dimension: 3 });
      await docs.insertBatch({
        ids: [`${name}-d1`, `${name}-d2`, `${name}-d3`],
        vectors: [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        metadatas: [{ lang: 'en' }, { lang: 'fr' }, { lang: 'en' }],
        contents: [`${name} neural networks`, `${name} deep learning`, `${name} databases and storage`],
      });
      const sql = new SqlEngine(db.storage, { namespace: name });
      await sql.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      await sql.execute('INSERT INTO notes (body) VALUES (?), (?)', [`${name} first`, `${name} second`]);
      await db.graphAddNode({ namespace: name, nodeId: 'alice', nodeType: 'person', properties: { ns: name } });
      await db.graphAddNode({ namespace: name, nodeId: 'bob', nodeType: 'person' });
      await db.graphAddEdge({ namespace: name, fromId: 'alice', edgeType: 'KNOWS', toId: 'bob' });
      await db.addTemporalEdge({ namespace: name, fromId: 'alice', edgeType: 'WORKS_AT', toId: `${name}-corp`, validFrom: T0, validUntil: T0 + 1000 });
      await db.queue(`${name}:jobs`).enqueue({ priority: 1, payload: `job of ${name}` });
    }
    await (await db.namespace('b')).put('b-only', 'secret of b');
    await new SqlEngine(db.storage, { namespace: 'b' }).execute("CREATE TABLE secrets (s TEXT); INSERT INTO secrets VALUES ('b secret')");
    await db.graphAddNode({ namespace: 'b', nodeId: 'carol', nodeType: 'person' });
  } finally {
    await db.close();
  }
}

/** An SDK client connected to `sochdb mcp <folder> ...args` started as a child process. */
export async function cliClient(folder: string, ...args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--conditions=sochdb-source', '--import', tsx, cli, 'mcp', folder, ...args],
    env: getDefaultEnvironment(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'sochdb-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** The text of a tool result's first content item. */
export function text(result: unknown): string {
  const content = (result as CallToolResult).content[0];
  return content?.type === 'text' ? content.text : '';
}

/** Calls a tool and returns its result typed as a CallToolResult. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}
