// Graph overlay — nodes and edges for agent memory
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('agent_memory'));

// Create nodes
await db.graphAddNode({
  namespace: 'agent_001',
  nodeId: 'user_alice',
  nodeType: 'User',
  properties: { name: 'Alice', role: 'admin' },
});
await db.graphAddNode({
  namespace: 'agent_001',
  nodeId: 'conv_123',
  nodeType: 'Conversation',
  properties: { topic: 'Support request' },
});

// Create an edge
await db.graphAddEdge({
  namespace: 'agent_001',
  fromId: 'user_alice',
  edgeType: 'STARTED',
  toId: 'conv_123',
  properties: { timestamp: '2026-01-15T10:30:00Z' },
});

const edges = await db.graphGetEdges({ namespace: 'agent_001', nodeId: 'user_alice' });
for (const edge of edges) console.log(`${edge.fromId} -[${edge.edgeType}]-> ${edge.toId} ${JSON.stringify(edge.properties)}`);
