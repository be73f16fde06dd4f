// Complete example 1 — multi-tenant SaaS with SQL + key-value
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('saas_db'));

// SQL for tenant metadata
await db.executeSql(`
  CREATE TABLE IF NOT EXISTS tenants (
    id INTEGER PRIMARY KEY,
    name TEXT,
    created_at TEXT
  )
`);
await db.executeSql("INSERT INTO tenants VALUES (1, 'ACME Corp', '2026-01-01')");
await db.executeSql("INSERT INTO tenants VALUES (2, 'Globex Inc', '2026-01-01')");

// Key-value for tenant-specific data
await db.put('tenants/1/users/alice', '{"role":"admin","email":"alice@acme.com"}');
await db.put('tenants/1/users/bob', '{"role":"user","email":"bob@acme.com"}');
await db.put('tenants/2/users/charlie', '{"role":"admin","email":"charlie@globex.com"}');

// Query SQL
const tenants = await db.executeSql('SELECT * FROM tenants ORDER BY name');

for (const tenant of tenants) {
  // Scan the tenant's key-value data
  const users = await db.scan(`tenants/${String(tenant.id)}/`, `tenants/${String(tenant.id)};`).toArray();

  console.log(`\n${String(tenant.name)} (${users.length} users):`);
  for (const [key, value] of users) {
    const userData = JSON.parse(value.toString()) as { email: string; role: string };
    console.log(`  ${key.toString()}: ${userData.email} (${userData.role})`);
  }
}
