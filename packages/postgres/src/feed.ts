import { ChangeFeedGapError, type ChangeBatch, type ChangeFeedOptions, type CommitChange } from '@sochdb/core';
import { normalizeRange } from '@sochdb/core';
import { requireChangeFeedArguments } from '@sochdb/core/internal';
import { keyBounds } from './bounds.js';
import type { Statements } from './statements.js';

type Query = <R extends object>(what: string, text: string, values: readonly unknown[]) => Promise<R[]>;

const DEFAULT_LIMIT = 10_000;
/** Commits read per call at most (a reader that asks for more gets `more` and reads again). */
const COMMITS_PER_READ = 1_000;

/**
 * The commit feed from the `commits` table: the keys of every commit after `afterLsn`, in LSN
 * order, a row a commit. The newest LSN is read in the same statement as the rows, so the batch
 * is complete through it (commits are serialized on the LSN row: none at or below it can still
 * appear).
 */
export async function readChanges(query: Query, sql: Statements, afterLsn: bigint, options: ChangeFeedOptions = {}): Promise<ChangeBatch> {
  requireChangeFeedArguments(afterLsn, options);
  const limit = Math.min(options.limit ?? DEFAULT_LIMIT, COMMITS_PER_READ);
  const maxBytes = options.maxBytes ?? Infinity;
  const range = normalizeRange({ ...(options.gte === undefined ? {} : { gte: options.gte }), ...(options.lt === undefined ? {} : { lt: options.lt }) });
  const bounds = keyBounds(range, 3);
  // One commit more than asked for: whether any was left out decides what the batch covers.
  const rows = await query<{ latest: string; floor: string; lsn: string | null; keys: Buffer[] | null }>('read the commit feed', sql.feed(bounds.sql), [
    afterLsn.toString(),
    limit + 1,
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
  const read = rows.filter((row) => row.lsn !== null);
  const commits: CommitChange[] = [];
  let bytes = 0;
  for (const row of read) {
    const size = row.keys!.reduce((n, k) => n + k.byteLength, 0);
    if (commits.length >= limit || (commits.length > 0 && bytes + size > maxBytes)) break;
    commits.push({ lsn: BigInt(row.lsn!), keys: row.keys! });
    bytes += size;
  }
  // Covered through the last commit returned; through `latest` when nothing was left out.
  const through = commits.length < read.length ? commits[commits.length - 1]!.lsn : latest;
  return { commits, lsn: through, more: through < latest };
}
