import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer } from '@sochdb/mcp';
import { Database } from '@sochdb/sdk';

const db = await Database.open(':memory:');
const support = await db.createNamespace('support');
await support.put('policy/refunds', 'Refunds are accepted within 30 days of delivery.');

// One namespace, writes enabled. An MCP client (Claude Desktop, an agent framework) would connect
// over stdio or HTTP; here the SDK's own client talks to it in the same process.
const server = createMcpServer(db, { namespace: 'support', allowWrites: true });
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
const client = new Client({ name: 'example', version: '1.0.0' });
await client.connect(clientSide);

async function tool(name: string, args: Record<string, unknown>): Promise<void> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  console.log(`${name}${result.isError ? ' (error)' : ''}: ${first?.type === 'text' ? first.text : ''}`);
}

await tool('sql_execute', { sql: 'CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT, status TEXT)' });
await tool('sql_execute', { sql: 'INSERT INTO tickets (subject, status) VALUES (?, ?), (?, ?)', params: ['Refund for order 7', 'open', 'Login fails', 'closed'] });
await tool('sql_query', { sql: "SELECT id, subject FROM tickets WHERE status = 'open'" });
await tool('sql_query', { sql: 'DELETE FROM tickets' }); // sql_query never writes
await tool('kv_get', { key: 'policy/refunds' });
await tool('context_build', {
  budget: 200,
  sections: [
    { name: 'policy', spec: { get: 'policy/refunds' } },
    { name: 'open_tickets', spec: { priority: 1, sql: "SELECT id, subject FROM tickets WHERE status = 'open'" } },
  ],
});

await client.close();
await db.close();
