// `sochdb export <db>`: one table, KV prefix or collection, streamed to --out or stdout. The data
// is the output; the summary ("exported N rows") goes to stdout only when the data went to a
// file, and to stderr otherwise, so `sochdb export … > file` holds nothing but data.
import { rm } from 'node:fs/promises';
import { ValidationError } from '@sochdb/core';
import { exportCollection } from './export-collection.js';
import { exportKv } from './export-kv.js';
import { exportQueue } from './export-queue.js';
import { exportTable } from './export-table.js';
import { toJson } from './json.js';
import { kvSpace } from './kv-space.js';
import { withDatabase } from './open-database.js';
import { openSink } from './output.js';
import { progressBar } from './progress.js';
import { countRows } from './sql-tables.js';
import { dataSource, tableFormat, type SourceFlags } from './source.js';

export interface ExportFlags extends SourceFlags {
  readonly format?: 'jsonl' | 'csv';
  readonly namespace?: string;
  readonly out?: string;
  readonly vectors?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** What `export --json` prints as its summary. */
export interface ExportReport {
  readonly source: string;
  readonly rows: number;
  readonly format: 'jsonl' | 'csv';
  readonly out: string | null;
}

export async function exportCommand(db: string, flags: ExportFlags): Promise<void> {
  const source = dataSource(flags, 'export');
  const format = source.kind === 'table' ? tableFormat(flags.format, flags.out) : 'jsonl';
  if (source.kind !== 'table' && flags.format === 'csv') {
    throw new ValidationError('--format csv is for --table; KV pairs, collections and queues export as JSON Lines', { field: 'format' });
  }
  if (flags.vectors !== undefined && source.kind !== 'collection') {
    throw new ValidationError('--vectors (a .npy file) is for --collection', { field: 'vectors' });
  }
  if (flags.namespace !== undefined && source.kind !== 'kv') {
    throw new ValidationError('--namespace is for --kv (a collection names its namespace: --collection NS/NAME)', { field: 'namespace' });
  }
  const { rows, label } = await withDatabase(db, {}, async (database) => {
    // The database is checked (opened) before --out is created: a typo in <db> leaves no empty file.
    const sink = await openSink(flags.out);
    // A bar (on a terminal's stderr) for tables and collections, whose size one count tells; a
    // KV prefix's size is known only by reading it all.
    const bar = progressBar('exporting', source.kind === 'collection' ? 'documents' : 'rows', {
      quiet: flags.quiet || source.kind === 'kv' || source.kind === 'queue',
    });
    const onRow = (rows: number) => bar.update(rows);
    const run = async () => {
      switch (source.kind) {
        case 'table':
          if (bar.active) bar.start(await countRows(database, source.table));
          return { rows: await exportTable(database, source.table, format, sink, onRow), label: `table ${source.table}` };
        case 'kv':
          return {
            rows: await exportKv(await kvSpace(database, flags.namespace), source.prefix ?? '', sink, onRow),
            label: `KV prefix ${JSON.stringify(source.prefix ?? '')}${flags.namespace === undefined ? '' : ` of namespace ${flags.namespace}`}`,
          };
        case 'queue':
          return { rows: await exportQueue(database, source.queue, sink, onRow), label: `queue ${source.queue}` };
        case 'collection':
          return {
            rows: await exportCollection(
              database,
              source.namespace,
              source.collection,
              sink,
              onRow,
              (total) => {
                if (bar.active) bar.start(total);
              },
              flags.vectors,
            ),
            label: `collection ${source.namespace}/${source.collection}`,
          };
      }
    };
    try {
      const done = await run();
      bar.stop();
      await sink.close();
      return done;
    } catch (error) {
      bar.stop();
      // The first failure is the one to report; a close failing after it would only hide it.
      await sink.close().catch(() => undefined);
      // A partial export must not pass for a whole one: the file goes.
      if (flags.out !== undefined) await rm(flags.out, { force: true }).catch(() => undefined);
      if (flags.vectors !== undefined) await rm(flags.vectors, { force: true }).catch(() => undefined);
      throw error;
    }
  });
  if (flags.quiet && !flags.json) return;
  const summary: ExportReport = { source: label, rows, format, out: flags.out ?? null };
  const text = flags.json
    ? toJson(summary)
    : `exported ${rows} ${{ kv: 'pairs', collection: 'documents', queue: 'tasks', table: 'rows' }[source.kind]} of ${label}${flags.out ? ` to ${flags.out}` : ''}`;
  (flags.out === undefined ? process.stderr : process.stdout).write(`${text}\n`);
}
