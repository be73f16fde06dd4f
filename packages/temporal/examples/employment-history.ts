import { MemoryStorage } from '@sochdb/core';
import { TemporalGraph } from '@sochdb/temporal';

const storage = await MemoryStorage.open(); // or LevelStorage.open('./temporal_db')
const graph = new TemporalGraph(storage);

await graph.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'acme_corp',
  validFrom: 1704067200000, // 2024-01-01
  validUntil: 1735689600000, // 2025-01-01
  properties: { role: 'Engineer' },
});
await graph.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'globex_inc',
  validFrom: 1735689600000, // 2025-01-01
  validUntil: 0, // 0 = no end (current)
  properties: { role: 'Senior Engineer' },
});

// Where did Alice work on 2024-06-15?
const then = await graph.query({ namespace: 'org', node: 'alice', mode: 'point_in_time', timestamp: 1718409600000, edgeType: 'WORKS_AT' });
for (const edge of then) console.log(`Worked at: ${edge.toId} as ${(edge.properties as { role: string }).role}`);

// All jobs Alice had in 2024.
const in2024 = await graph.query({ namespace: 'org', node: 'alice', mode: 'range', startTime: 1704067200000, endTime: 1735689599999, edgeType: 'WORKS_AT' });
for (const edge of in2024) console.log(`${edge.toId}: ${edge.validFrom} - ${edge.validUntil}`);

// Where does she work now? Who works at globex_inc now?
const now = await graph.query({ namespace: 'org', node: 'alice', mode: 'current' });
console.log(`Now at: ${now.map((e) => e.toId).join(', ')}`);
const staff = await graph.query({ namespace: 'org', node: 'globex_inc', mode: 'current', direction: 'in' });
console.log(`globex_inc staff: ${staff.map((e) => e.fromId).join(', ')}`);

await storage.close();
