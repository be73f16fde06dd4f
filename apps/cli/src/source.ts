// The one thing an export reads or an import writes: exactly one of --table, --kv, --collection, --queue.
import { ValidationError } from '@sochdb/core';

export type DataSource =
  | { readonly kind: 'table'; readonly table: string }
  | { readonly kind: 'kv'; readonly prefix: string | undefined }
  | { readonly kind: 'collection'; readonly namespace: string; readonly collection: string }
  | { readonly kind: 'queue'; readonly queue: string };

export interface SourceFlags {
  readonly table?: string;
  /** `true` when `--kv` was given without a prefix (import), else the prefix. */
  readonly kv?: string | true;
  readonly collection?: string;
  readonly queue?: string;
}

/** The source the flags name; ValidationError unless exactly one is given. */
export function dataSource(flags: SourceFlags, verb: 'export' | 'import'): DataSource {
  const given = (['table', 'kv', 'collection', 'queue'] as const).filter((k) => flags[k] !== undefined);
  if (given.length !== 1) {
    throw new ValidationError(
      given.length === 0
        ? `${verb} needs one of --table, --kv, --collection or --queue`
        : `${verb} takes one of ${given.map((g) => `--${g}`).join(', ')}, not several`,
      { remediation: `Run \`sochdb ${verb} --help\`.` },
    );
  }
  if (flags.table !== undefined) return { kind: 'table', table: flags.table };
  if (flags.kv !== undefined) return { kind: 'kv', prefix: flags.kv === true ? undefined : flags.kv };
  if (flags.queue !== undefined) return { kind: 'queue', queue: flags.queue };
  const [namespace, collection, ...rest] = flags.collection!.split('/');
  if (!namespace || !collection || rest.length > 0) {
    throw new ValidationError(`--collection ${flags.collection}: expected NAMESPACE/COLLECTION`, {
      field: 'collection',
      remediation: 'Name the collection with its namespace, e.g. --collection tenant_a/docs.',
    });
  }
  return { kind: 'collection', namespace, collection };
}

/** The format of a table's data: --format, else by the file's extension, else JSON Lines. */
export function tableFormat(format: string | undefined, file: string | undefined): 'jsonl' | 'csv' {
  if (format === 'jsonl' || format === 'csv') return format;
  return file?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}
