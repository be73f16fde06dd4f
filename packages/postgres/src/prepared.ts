import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

const names = new Map<string, string>();

/**
 * A query as a named prepared statement: the server parses and plans each text once per
 * connection instead of on every call (the commit's write statement has six CTEs). The name is
 * the text's hash, so the same text always gets the same name. Not for PgBouncer in transaction
 * pooling mode, which cannot keep prepared statements per connection.
 */
export function prepared(text: string, values: readonly unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `sochdb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}
