import { ChangeFeedGapError, type ChangeBatch, type ChangeFeedOptions, type CommitChange } from '@sochdb/core';
import { normalizeRange } from '@sochdb/core';
import { requireChangeFeedArguments } from '@sochdb/core/internal';
import { keyBounds } from './bounds.js';
import type { Statements } from './statements.js';

type Query = <R extends object>(what: string, text: string, values: readonly unknown[]) => Promise<R[]>;

const DEFAULT_LIMIT = 10_000;
/** Keys read per round trip; a commit with more is read whole by a query of its own. */
const ROWS_PER_READ = 10_000;

/**
 * The commit feed from the `changes` table: the keys of every commit after `afterLsn`, in LSN
 * order. The newest LSN is read in the same statement as the rows, so the batch is complete
 * through it (commits are serialized on the LSN row: none at or below it can still appear).
 */
export async function readChanges(query: Query, sql: Statements, afterLsn: bigint, options: ChangeFeedOptions = {}): Promise<ChangeBatch> {
  requireChangeFeedArguments(afterLsn, options);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const maxBytes = options.maxBytes ?? Infinity;
  const range = normalizeRange({ ...(options.gte === undefined ? {} : { gte: options.gte }), ...(options.lt === undefined ? {} : { lt: options.lt }) });
  const bounds = keyBounds(range, 3);
  const rows = await query<{ latest: string; floor: string; lsn: string | null; key: Buffer | null }>('read the commit feed', sql.feed(bounds.sql), [
    afterLsn.toString(),
    ROWS_PER_READ + 1,
    ...bounds.values,
  ]);
  const latest = BigInt(rows[0]!.latest);
  const floor = BigInt(rows[0]!.floor);
  if (afterLsn < floor) {
    throw new ChangeFeedGapError(`the commit feed keeps commits after LSN ${floor}; LSN ${afterLsn} is older`, {
      remediation: 'Reload what you keep in memory from the data, then follow the feed from the LSN you loaded at.',
    });
  }
  if (afterLsn > latest) {
    throw new ChangeFeedGapError(`LSN ${afterLsn} is ahead of the newest commit (${latest}): this database never had it`, {
      remediation: 'The reader followed another database (or one since restored from a backup): reload from the data.',
    });
  }
  const grouped = new Map<string, Buffer[]>();
  for (const row of rows) {
    if (row.lsn === null) continue;
    let keys = grouped.get(row.lsn);
    if (keys === undefined) grouped.set(row.lsn, (keys = []));
    keys.push(row.key!);
  }
  const full = rows.length > ROWS_PER_READ;
  const lsns = [...grouped.keys()];
  // A full read may have cut its last commit short: leave it for the next batch, unless it is
  // the only one, which is then read whole.
  if (full && lsns.length > 1) grouped.delete(lsns.pop()!);
  else if (full) {
    const only = lsns[0]!;
    const all = await query<{ key: Buffer }>('read the commit feed', sql.feedOfCommit(keyBounds(range, 2).sql), [only, ...bounds.values]);
    grouped.set(only, all.map((r) => r.key));
  }
  const commits: CommitChange[] = [];
  let bytes = 0;
  for (const [lsn, keys] of grouped) {
    const size = keys.reduce((n, k) => n + k.byteLength, 0);
    if (commits.length >= limit || (commits.length > 0 && bytes + size > maxBytes)) break;
    commits.push({ lsn: BigInt(lsn), keys });
    bytes += size;
  }
  // Covered through the last commit returned; through `latest` when nothing was left out.
  const leftOut = commits.length < grouped.size || full;
  const through = leftOut ? commits[commits.length - 1]!.lsn : latest;
  return { commits, lsn: through, more: through < latest };
}
