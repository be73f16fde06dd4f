// Temporal graph — edges with a validity interval
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('temporal_db'));

// A temporal edge valid for 2024: [validFrom, validUntil) in ms
await db.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'acme_corp',
  validFrom: 1704067200000, // 2024-01-01
  validUntil: 1735689600000, // 2025-01-01
  properties: { role: 'Engineer' },
});

// Another edge, still current
await db.addTemporalEdge({
  namespace: 'org',
  fromId: 'alice',
  edgeType: 'WORKS_AT',
  toId: 'globex_inc',
  validFrom: 1735689600000, // 2025-01-01
  validUntil: 0, // 0 = no end (current)
  properties: { role: 'Senior Engineer' },
});

for (const edge of await db.queryTemporalGraph({ namespace: 'org', node: 'alice', mode: 'current' })) {
  console.log(`Currently: ${edge.toId} since ${new Date(edge.validFrom).toISOString().slice(0, 10)}`);
}
