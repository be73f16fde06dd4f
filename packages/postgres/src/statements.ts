/**
 * Every SQL statement this storage sends, for one schema. Only SQL that CockroachDB and YugabyteDB
 * also run: bytea keys and values, `unnest` of arrays, `INSERT … ON CONFLICT`, data-modifying
 * CTEs; no advisory locks, no LISTEN/NOTIFY, no PL/pgSQL.
 *
 * Tables:
 * - `kv(key bytea primary key, value bytea)`: the data. bytea sorts bytewise, as SochDB keys do.
 * - `changes(lsn, ord, key)`: the keys of each commit in its order, for the commit feed and
 *   conflict checks.
 * - `meta(id, value)`: row 1 is the LSN of the last commit, row 2 the oldest LSN `changes`
 *   still holds every commit after (older ones are pruned).
 */
export interface Statements {
  readonly setup: readonly string[];
  /**
   * Begins a commit of `count` SochDB commits: takes the LSN row's lock (so commits happen one at
   * a time, in LSN order) and returns the last of the LSNs taken.
   */
  readonly beginCommit: (count: number) => string;
  /**
   * $1 deleted keys, $2 put keys, $3 their values, $4 and $5 the commits' LSNs and keys (one
   * pair per key of each commit), $6 the keys to check, $7 the snapshot LSN (null: no check).
   */
  readonly write: string;
  /** Deletes a key range; $1 the LSN, then the bounds. */
  readonly clear: (bounds: string) => string;
  readonly beginSnapshot: string;
  readonly get: string;
  readonly getMany: string;
  readonly latestLsn: string;
  /** `limit`: `$1` by default, or a number written in (for a page sent with other statements). */
  readonly page: (bounds: string, descending: boolean, limit?: string) => string;
  readonly feed: (bounds: string) => string;
  readonly feedOfCommit: (bounds: string) => string;
  /** Moves the feed's floor up to `floor` and drops the keys of commits at or below it. */
  readonly prune: (floor: bigint) => string;
  readonly countKeys: string;
}

export const LSN_ROW = 1;
export const FLOOR_ROW = 2;

export function statementsFor(schema: string): Statements {
  const s = `"${schema}"`;
  const kv = `${s}.kv`;
  const changes = `${s}.changes`;
  const meta = `${s}.meta`;
  return {
    setup: [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${kv} (key bytea PRIMARY KEY, value bytea NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${changes} (lsn bigint NOT NULL, ord integer NOT NULL, key bytea NOT NULL, PRIMARY KEY (lsn, ord))`,
      `CREATE INDEX IF NOT EXISTS changes_by_key ON ${changes} (key, lsn)`,
      `CREATE TABLE IF NOT EXISTS ${meta} (id integer PRIMARY KEY, value bigint NOT NULL)`,
      `INSERT INTO ${meta} (id, value) VALUES (${LSN_ROW}, 0), (${FLOOR_ROW}, 0) ON CONFLICT (id) DO NOTHING`,
    ],
    beginCommit: (count) => `BEGIN ISOLATION LEVEL READ COMMITTED; UPDATE ${meta} SET value = value + ${String(count)} WHERE id = ${LSN_ROW} RETURNING value`,
    // One statement after the lock: under READ COMMITTED its snapshot holds every earlier commit,
    // so the check sees them all, and the DELETE finds rows committed while this one waited.
    write: `WITH conflict AS (
        SELECT key FROM ${changes} WHERE $7::bigint IS NOT NULL AND key = ANY($6::bytea[]) AND lsn > $7::bigint LIMIT 1
      ), gap AS (
        SELECT 1 FROM ${meta} WHERE $7::bigint IS NOT NULL AND id = ${FLOOR_ROW} AND value > $7::bigint
      ), ok AS (
        SELECT NOT EXISTS (SELECT 1 FROM conflict) AND NOT EXISTS (SELECT 1 FROM gap) AS ok
      ), deleted AS (
        DELETE FROM ${kv} WHERE key = ANY($1::bytea[]) AND (SELECT ok FROM ok)
      ), put AS (
        INSERT INTO ${kv} (key, value) SELECT k, v FROM unnest($2::bytea[], $3::bytea[]) AS u(k, v) WHERE (SELECT ok FROM ok)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
      ), logged AS (
        INSERT INTO ${changes} (lsn, ord, key) SELECT l, n, k FROM unnest($4::bigint[], $5::bytea[]) WITH ORDINALITY AS u(l, k, n) WHERE (SELECT ok FROM ok)
      )
      SELECT (SELECT ok FROM ok) AS ok, (SELECT key FROM conflict) AS conflict, EXISTS (SELECT 1 FROM gap) AS gap`,
    clear: (bounds) => `WITH deleted AS (DELETE FROM ${kv} WHERE ${bounds} RETURNING key)
      INSERT INTO ${changes} (lsn, ord, key) SELECT $1::bigint, row_number() OVER (ORDER BY key), key FROM deleted`,
    beginSnapshot: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT value FROM ${meta} WHERE id = ${LSN_ROW}`,
    get: `SELECT value FROM ${kv} WHERE key = $1`,
    getMany: `SELECT key, value FROM ${kv} WHERE key = ANY($1::bytea[])`,
    latestLsn: `SELECT value FROM ${meta} WHERE id = ${LSN_ROW}`,
    page: (bounds, descending, limit = '$1') => `SELECT key, value FROM ${kv} WHERE ${bounds} ORDER BY key ${descending ? 'DESC' : 'ASC'} LIMIT ${limit}`,
    // One statement, so the LSN read and the rows are of one snapshot: every commit through that
    // LSN is in it (commits are serialized on the LSN row, so none below it can commit later).
    feed: (bounds) => `WITH m AS (SELECT (SELECT value FROM ${meta} WHERE id = ${LSN_ROW}) AS lsn, (SELECT value FROM ${meta} WHERE id = ${FLOOR_ROW}) AS floor)
      SELECT m.lsn AS latest, m.floor AS floor, c.lsn, c.key FROM m LEFT JOIN LATERAL (
        SELECT lsn, ord, key FROM ${changes} WHERE lsn > $1::bigint AND lsn <= m.lsn AND ${bounds} ORDER BY lsn, ord LIMIT $2
      ) c ON true ORDER BY c.lsn, c.ord`,
    feedOfCommit: (bounds) => `SELECT key FROM ${changes} WHERE lsn = $1::bigint AND ${bounds} ORDER BY ord`,
    // A bigint of ours, written into the text: several statements cannot take parameters.
    prune: (floor) => `BEGIN ISOLATION LEVEL READ COMMITTED;
      UPDATE ${meta} SET value = GREATEST(value, ${floor.toString()}) WHERE id = ${FLOOR_ROW};
      DELETE FROM ${changes} WHERE lsn <= ${floor.toString()};
      COMMIT`,
    countKeys: `SELECT count(*) AS n FROM ${kv}`,
  };
}
