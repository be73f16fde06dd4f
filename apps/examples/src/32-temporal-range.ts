// Temporal graph — every edge valid at some time in a window
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('temporal_db'));
await db.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'acme_corp',
  validFrom: 1704067200000,
  validUntil: 1735689600000,
  properties: { role: 'Engineer' },
});
await db.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'globex_inc',
  validFrom: 1735689600000,
  validUntil: 0,
  properties: { role: 'Senior Engineer' },
});

// "All jobs Alice had in 2024"
const results = await db.queryTemporalGraph({
  namespace: 'org',
  node: 'alice',
  mode: 'range',
  startTime: 1704067200000, // 2024-01-01
  endTime: 1735689599999, // 2024-12-31
  edgeType: 'WORKS_AT',
});
for (const edge of results) {
  console.log(`${edge.toId}: ${edge.validFrom} - ${edge.validUntil}`);
}
