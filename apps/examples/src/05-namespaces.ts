// Namespaces — create a tenant's namespace, or get an existing one
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('multi_tenant'));

// Create a namespace for a tenant
let ns = await db.createNamespace({
  name: 'tenant_123',
  displayName: 'Acme Corp',
  labels: { tier: 'enterprise' },
});
console.log(`Created namespace: ${ns.name} (${ns.info.displayName}, tier=${ns.info.labels.tier})`);

// Or get an existing one
ns = await db.namespace('tenant_123');
console.log(`Namespaces: ${(await db.listNamespaces()).map((n) => n.name).join(', ')}`);
