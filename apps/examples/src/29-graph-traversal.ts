// Graph overlay — breadth-first (or depth-first) traversal from a node
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('agent_memory'));
const namespace = 'agent_001';
await db.graphAddNode({ namespace, nodeId: 'user_alice', nodeType: 'User', properties: { name: 'Alice' } });
await db.graphAddNode({ namespace, nodeId: 'conv_123', nodeType: 'Conversation', properties: { topic: 'Support request' } });
await db.graphAddNode({ namespace, nodeId: 'ticket_9', nodeType: 'Ticket', properties: { status: 'open' } });
await db.graphAddEdge({ namespace, fromId: 'user_alice', edgeType: 'STARTED', toId: 'conv_123' });
await db.graphAddEdge({ namespace, fromId: 'conv_123', edgeType: 'CREATED', toId: 'ticket_9' });

// BFS traversal from a node
const results = await db.graphTraverse({
  namespace,
  startNode: 'user_alice',
  maxDepth: 3,
  order: 'bfs', // or 'dfs'
});
for (const node of results) {
  console.log(`Node: ${node.id} (${node.type})`);
}
