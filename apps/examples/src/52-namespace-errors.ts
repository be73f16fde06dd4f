// Error handling — missing and duplicate namespaces
import { Database, NamespaceExistsError, NamespaceNotFoundError, type Namespace } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('multi_tenant'));
await db.createNamespace('tenant_123');

let ns: Namespace;
try {
  ns = await db.namespace('tenant_999');
} catch (error) {
  if (!(error instanceof NamespaceNotFoundError)) throw error;
  // Create it if it does not exist
  console.log(`Not found (${error.code}), creating it`);
  ns = await db.createNamespace('tenant_999');
}
console.log(`Using namespace ${ns.name}`);

try {
  await db.createNamespace('tenant_123');
} catch (error) {
  if (!(error instanceof NamespaceExistsError)) throw error;
  console.log('Namespace already exists');
}
