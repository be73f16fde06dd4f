// `sochdb import <db> --kv [PREFIX]`: key/value pairs from JSON Lines in the format
// `sochdb export --kv` writes (see export-kv.ts). Keys are written exactly as in the file; a
// PREFIX, when given, is a guard: every key must start with it, so an import meant for one part
// of the keyspace cannot write elsewhere.
import { ValidationError } from '@sochdb/core';
import type { KvStore } from '@sochdb/sdk';
import type { ImportTarget } from './import-run.js';
import { decodeBase64 } from './values.js';

export function kvTarget(kv: KvStore, prefix: string | undefined): ImportTarget<unknown> {
  const guard = prefix === undefined || prefix === '' ? undefined : Buffer.from(prefix, 'utf8');
  return {
    async write({ value }, txn) {
      const { key, value: stored } = parseKvLine(value);
      if (guard && !key.subarray(0, guard.byteLength).equals(guard)) {
        throw new ValidationError(`key ${JSON.stringify(key.toString('utf8'))} does not start with --kv ${JSON.stringify(prefix)}`, {
          field: 'key',
          remediation: 'Import into the right prefix, or leave the prefix out to write keys as they are.',
        });
      }
      await kv.put(key, stored, { txn: txn.core });
    },
  };
}

function parseKvLine(line: unknown): { key: Buffer; value: Buffer } {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) {
    throw new ValidationError('expected {"key": "…", "value": "…"}', { remediation: 'Write one object per line, as `sochdb export --kv` does.' });
  }
  const record = line as Record<string, unknown>;
  return { key: bytesOf(record, 'key'), value: bytesOf(record, 'value') };
}

function bytesOf(record: Record<string, unknown>, field: 'key' | 'value'): Buffer {
  const text = record[field];
  const encoding = record[`${field}Encoding`];
  if (typeof text !== 'string') throw new ValidationError(`"${field}" must be a string`, { field });
  if (encoding === 'base64') return decodeBase64(text, field);
  if (encoding !== undefined && encoding !== 'utf8') {
    throw new ValidationError(`"${field}Encoding" must be "base64" (or absent for UTF-8 text)`, { field: `${field}Encoding` });
  }
  return Buffer.from(text, 'utf8');
}
