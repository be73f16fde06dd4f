import { MemoryStorage } from '@sochdb/core';
import { GraphStore } from '@sochdb/graph';

const storage = await MemoryStorage.open(); // or LevelStorage.open('./agent_memory')
const graph = new GraphStore(storage);

await graph.addNode({ namespace: 'agent_001', nodeId: 'user_alice', nodeType: 'User', properties: { name: 'Alice', role: 'admin' } });
await graph.addNode({ namespace: 'agent_001', nodeId: 'conv_123', nodeType: 'Conversation', properties: { topic: 'Support request' } });
await graph.addEdge({
  namespace: 'agent_001',
  fromId: 'user_alice',
  edgeType: 'STARTED',
  toId: 'conv_123',
  properties: { timestamp: '2026-01-15T10:30:00Z' },
});

const results = await graph.traverse({ namespace: 'agent_001', startNode: 'user_alice', maxDepth: 3, order: 'bfs' });
for (const node of results) console.log(`Node: ${node.id} (${node.type}) depth ${node.depth}`);

const path = await graph.shortestPath({ namespace: 'agent_001', from: 'user_alice', to: 'conv_123' });
console.log(path?.edges.map((e) => `${e.fromId} -[${e.edgeType}]-> ${e.toId}`).join(', '));

await storage.close();
