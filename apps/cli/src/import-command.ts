// `sochdb import <db>`: one table, KV keyspace or collection, filled from --in or stdin. See
// import-run.ts for what is atomic, and import-table/kv/collection.ts for each input format.
import { ValidationError } from '@sochdb/core';
import { NpyReader, type Metric } from '@sochdb/sdk';
import { collectionTarget } from './import-collection.js';
import { kvTarget } from './import-kv.js';
import { queueTarget } from './import-queue.js';
import { runImport, type ImportTarget } from './import-run.js';
import { tableTarget } from './import-table.js';
import { csvRecords, jsonLines, openInput, type Input, type InputRecord } from './input.js';
import { kvSpace } from './kv-space.js';
import { withDatabase } from './open-database.js';
import { report } from './output.js';
import { progressBar } from './progress.js';
import { dataSource, tableFormat, type DataSource, type SourceFlags } from './source.js';

export interface ImportFlags extends SourceFlags {
  readonly in?: string;
  readonly format?: 'jsonl' | 'csv';
  readonly batch?: number;
  readonly namespace?: string;
  readonly dimension?: number;
  readonly metric?: Metric;
  readonly vectors?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** What `import --json` prints. */
export interface ImportReport {
  readonly target: string;
  readonly rows: number;
  /** Commits made: 1 unless --batch. */
  readonly commits: number;
}

export async function importCommand(db: string, flags: ImportFlags): Promise<void> {
  const source = dataSource(flags, 'import');
  const format = source.kind === 'table' ? tableFormat(flags.format, flags.in) : 'jsonl';
  if (source.kind !== 'table' && flags.format === 'csv') {
    throw new ValidationError('--format csv is for --table; KV pairs and collections import from JSON Lines', { field: 'format' });
  }
  if (flags.namespace !== undefined && source.kind !== 'kv') {
    throw new ValidationError('--namespace is for --kv (a collection names its namespace: --collection NS/NAME)', { field: 'namespace' });
  }
  if (flags.vectors !== undefined && source.kind !== 'collection') {
    throw new ValidationError('--vectors (a .npy file) is for --collection', { field: 'vectors' });
  }
  if ((flags.dimension !== undefined || flags.metric !== undefined) && source.kind !== 'collection') {
    throw new ValidationError('--dimension and --metric are for --collection', { field: flags.dimension !== undefined ? 'dimension' : 'metric' });
  }
  if (flags.in === undefined && process.stdin.isTTY) {
    // Waiting for someone to type JSON Lines is never what was meant.
    throw new ValidationError('import reads --in FILE or data piped to stdin, and stdin is a terminal', {
      field: 'in',
      remediation: 'Pass --in FILE, or pipe the data: `sochdb export … | sochdb import …`.',
    });
  }
  // The inputs are opened first: a missing --in or --vectors file must not create a database folder.
  const input = openInput(flags.in);
  const vectors = flags.vectors === undefined ? undefined : await NpyReader.open(flags.vectors);
  try {
    await importInto(db, flags, source, format, input, vectors);
  } finally {
    await vectors?.close();
  }
}

async function importInto(
  db: string,
  flags: ImportFlags,
  source: DataSource,
  format: 'jsonl' | 'csv',
  input: Input,
  vectors: NpyReader | undefined,
): Promise<void> {
  // A table must exist before rows can go into it, and so must its database: only a KV or
  // collection import creates the folder.
  const result = await withDatabase(db, { create: source.kind !== 'table' }, async (database) => {
    let target: ImportTarget<unknown>;
    // Takes back what opening the target created (a namespace, a collection), for a failed import.
    let undo: (() => Promise<void>) | undefined;
    let label: string;
    switch (source.kind) {
      case 'table':
        target = await tableTarget(database, source.table, format === 'csv');
        label = `table ${source.table}`;
        break;
      case 'kv': {
        // A namespace named for a KV import is created when missing, as a collection's is (and
        // taken back, like it, when the import fails having committed nothing).
        const ns = flags.namespace;
        if (ns !== undefined && !(await database.listNamespaces()).some((info) => info.name === ns)) {
          await database.createNamespace(ns);
          undo = () => database.deleteNamespace(ns);
        }
        target = kvTarget(await kvSpace(database, ns), source.prefix);
        label = flags.namespace === undefined ? 'KV' : `KV of namespace ${flags.namespace}`;
        break;
      }
      case 'collection': {
        ({ target, undo } = await collectionTarget(database, source.namespace, source.collection, {
          ...(flags.dimension === undefined ? {} : { dimension: flags.dimension }),
          ...(flags.metric === undefined ? {} : { metric: flags.metric }),
          ...(vectors === undefined ? {} : { vectors }),
        }));
        label = `collection ${source.namespace}/${source.collection}`;
        break;
      }
      case 'queue':
        target = queueTarget(database, source.queue);
        label = `queue ${source.queue}`;
        break;
    }
    const records: AsyncIterable<InputRecord<unknown>> = format === 'csv' ? csvRecords(input) : jsonLines(input);
    // By bytes read, so only when the size is known (a file, not a pipe).
    const bar = progressBar('importing', 'bytes', { quiet: flags.quiet || input.size === undefined });
    if (input.size !== undefined) bar.start(input.size);
    // Whether any commit happened: then the namespace and collection it made hold data and stay.
    let committed = false;
    try {
      const done = await runImport(database, records, target, {
        ...(flags.batch === undefined ? {} : { batch: flags.batch }),
        // The bar redraws at its own rate; every 256 records is often enough to feed it.
        onRecord: (rows) => {
          if (rows % 256 === 0) bar.update(input.bytesRead());
        },
        onCommit: () => (committed = true),
      });
      bar.update(input.bytesRead());
      return { ...done, label };
    } catch (error) {
      // A failed import that committed nothing also takes back the namespace and collection it made.
      if (!committed && undo) await undo().catch(() => undefined);
      throw error;
    } finally {
      bar.stop();
      input.stream.destroy();
    }
  });
  const data: ImportReport = { target: result.label, rows: result.rows, commits: result.commits };
  report(flags.json, data, () => `imported ${result.rows} records into ${result.label}${result.commits > 1 ? ` in ${result.commits} commits` : ''}`);
}
