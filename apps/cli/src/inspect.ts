// `sochdb inspect <db>`: what a database holds — namespaces with their collections and KV key
// counts, SQL tables with row counts, queues with their task counts, and the database's own KV
// key count.
import { listQueues, type Database, type Metric, type QueueStats } from '@sochdb/sdk';
import { withDatabase } from './open-database.js';
import { report } from './output.js';
import { countRows, listTables } from './sql-tables.js';
import { textTable } from './table.js';

/** What `inspect --json` prints. */
export interface InspectReport {
  readonly path: string;
  /** Keys in the database's own KV keyspace (db.put / db.get). */
  readonly kvKeys: number;
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  readonly namespaces: readonly NamespaceReport[];
  readonly queues: readonly ({ readonly name: string } & QueueStats)[];
}

export interface NamespaceReport {
  readonly name: string;
  readonly displayName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Keys in the namespace's KV keyspace (ns.put / ns.get). */
  readonly kvKeys: number;
  readonly collections: readonly { readonly name: string; readonly dimension: number | null; readonly metric: Metric; readonly documents: number }[];
}

export async function inspectCommand(db: string, flags: { readonly json?: boolean }): Promise<void> {
  const data = await withDatabase(db, {}, (database) => inspect(database, db));
  report(flags.json, data, () => describe(data));
}

async function inspect(db: Database, path: string): Promise<InspectReport> {
  const tables = [];
  for (const name of await listTables(db)) {
    tables.push({ name, rows: await countRows(db, name) });
  }
  const namespaces: NamespaceReport[] = [];
  for (const info of await db.listNamespaces()) {
    const ns = await db.namespace(info.name);
    const collections = [];
    for (const c of await ns.listCollections()) {
      // count() needs the collection open (it follows commits); opening loads its saved graph.
      const documents = await (await ns.collection(c.name)).count();
      collections.push({ name: c.name, dimension: c.dimension, metric: c.metric, documents });
    }
    namespaces.push({ name: info.name, displayName: info.displayName, labels: info.labels, kvKeys: await countKeys(ns), collections });
  }
  const queues = [];
  for (const name of await listQueues(db.storage)) queues.push({ name, ...(await db.queue(name).stats()) });
  return { path, kvKeys: await countKeys(db), tables, namespaces, queues };
}

/** Keys of a KV keyspace, counted a batch at a time (no key is kept). */
async function countKeys(kv: Pick<Database, 'scanPrefix'>): Promise<number> {
  let n = 0;
  for await (const batch of kv.scanPrefix('').batches()) n += batch.length;
  return n;
}

function describe(data: InspectReport): string {
  const lines = [`database ${data.path}`, `KV keys: ${data.kvKeys}`, ''];
  if (data.tables.length === 0) lines.push('SQL tables: none');
  else
    lines.push(
      textTable(
        ['SQL table', 'rows'],
        data.tables.map((t) => [t.name, String(t.rows)]),
      ),
    );
  lines.push('');
  if (data.namespaces.length === 0) lines.push('namespaces: none');
  for (const ns of data.namespaces) {
    lines.push(`namespace ${ns.name}${ns.displayName === ns.name ? '' : ` (${ns.displayName})`}: ${ns.kvKeys} KV keys, ${ns.collections.length} collections`);
    if (ns.collections.length === 0) continue;
    lines.push(
      textTable(
        ['collection', 'dimension', 'metric', 'documents'],
        ns.collections.map((c) => [c.name, c.dimension === null ? '(not set)' : String(c.dimension), c.metric, String(c.documents)]),
      ),
    );
  }
  lines.push('');
  if (data.queues.length === 0) lines.push('queues: none');
  else
    lines.push(
      textTable(
        ['queue', 'pending', 'delayed', 'claimed', 'completed', 'dead-lettered'],
        data.queues.map((q) => [q.name, ...[q.pending, q.delayed, q.claimed, q.completed, q.deadLettered].map(String)]),
      ),
    );
  return lines.join('\n');
}
