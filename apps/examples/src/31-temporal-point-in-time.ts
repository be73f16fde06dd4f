// Temporal graph — where did Alice work on a given day?
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

// "Where did Alice work on 2024-06-15?"
const timestamp = 1718409600000; // 2024-06-15 in ms

const results = await db.queryTemporalGraph({
  namespace: 'org',
  node: 'alice',
  mode: 'point_in_time',
  timestamp,
  edgeType: 'WORKS_AT',
});
for (const edge of results) {
  const { role } = edge.properties as { role: string };
  console.log(`Worked at: ${edge.toId} as ${role}`);
}
// Output: Worked at: acme_corp as Engineer
