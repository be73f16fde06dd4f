/**
 * Every SQL statement this storage sends, for one schema. Only SQL that CockroachDB and YugabyteDB
 * also run: bytea keys and values, `unnest` of arrays, `substring` of bytea, array subscripts (no
 * slices), `INSERT … ON CONFLICT`, data-modifying CTEs; no advisory locks, no LISTEN/NOTIFY, no
 * PL/pgSQL.
 *
 * Tables:
 * - `kv(key bytea primary key, value bytea)`: the data. bytea sorts bytewise, as SochDB keys do.
 * - `commits(lsn, keys)`: the keys each commit wrote, in its order, as one array, for the commit
 *   feed and conflict checks. One row a commit, not a row a key: a 1,000-key batch then writes
 *   1,001 rows, not 2,000, which measured a third faster (bench/postgres.ts).
 * - `meta(id, value)`: row 1 is the LSN of the last commit, row 2 the oldest LSN `commits`
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
   * Writes a group of commits (see `WriteParameters` in committer.ts for $1–$12): the final
   * state of each key, and each commit's keys into `commits`, unless a checked key changed after
   * the snapshot or the snapshot is older than the log.
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
  /** The commits after $1 (at most $2 of them that wrote keys within `bounds`), with the LSN and floor. */
  readonly feed: (bounds: string) => string;
  /** Moves the feed's floor up to `floor` and drops the keys of commits at or below it. */
  readonly prune: (floor: bigint) => string;
  readonly countKeys: string;
}

export const LSN_ROW = 1;
export const FLOOR_ROW = 2;

export function statementsFor(schema: string): Statements {
  const s = `"${schema}"`;
  const kv = `${s}.kv`;
  const commits = `${s}.commits`;
  const meta = `${s}.meta`;
  return {
    setup: [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${kv} (key bytea PRIMARY KEY, value bytea NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${commits} (lsn bigint PRIMARY KEY, keys bytea[] NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${meta} (id integer PRIMARY KEY, value bigint NOT NULL)`,
      `INSERT INTO ${meta} (id, value) VALUES (${LSN_ROW}, 0), (${FLOOR_ROW}, 0) ON CONFLICT (id) DO NOTHING`,
    ],
    beginCommit: (count) => `BEGIN ISOLATION LEVEL READ COMMITTED; UPDATE ${meta} SET value = value + ${String(count)} WHERE id = ${LSN_ROW} RETURNING value`,
    // One statement after the lock: under READ COMMITTED its snapshot holds every earlier commit,
    // so the check sees them all, and the DELETE finds rows committed while this one waited.
    write: `WITH state AS (
        SELECT substring($1::bytea FROM ks FOR kl) AS key, CASE WHEN vl < 0 THEN NULL ELSE substring($4::bytea FROM vs FOR vl) END AS value
        FROM unnest($2::int[], $3::int[], $5::int[], $6::int[]) AS u(ks, kl, vs, vl)
      ), logged_keys AS (
        SELECT n, coalesce(($10::bigint[])[n], $11::bigint) AS lsn, substring(coalesce($7::bytea, $1::bytea) FROM ks FOR kl) AS key
        FROM unnest(coalesce($8::int[], $2::int[]), coalesce($9::int[], $3::int[])) WITH ORDINALITY AS u(ks, kl, n)
      ), conflict AS (
        SELECT u.key FROM ${commits} c CROSS JOIN LATERAL unnest(c.keys) AS u(key)
        WHERE $13::bigint IS NOT NULL AND c.lsn > $13::bigint AND u.key = ANY($12::bytea[]) LIMIT 1
      ), gap AS (
        SELECT 1 FROM ${meta} WHERE $13::bigint IS NOT NULL AND id = ${FLOOR_ROW} AND value > $13::bigint
      ), ok AS (
        SELECT NOT EXISTS (SELECT 1 FROM conflict) AND NOT EXISTS (SELECT 1 FROM gap) AS ok
      ), deleted AS (
        DELETE FROM ${kv} WHERE key IN (SELECT key FROM state WHERE value IS NULL) AND (SELECT ok FROM ok)
      ), put AS (
        INSERT INTO ${kv} (key, value) SELECT key, value FROM state WHERE value IS NOT NULL AND (SELECT ok FROM ok)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
      ), logged AS (
        INSERT INTO ${commits} (lsn, keys) SELECT lsn, array_agg(key ORDER BY n) FROM logged_keys WHERE (SELECT ok FROM ok) GROUP BY lsn
      )
      SELECT (SELECT ok FROM ok) AS ok, (SELECT key FROM conflict) AS conflict, EXISTS (SELECT 1 FROM gap) AS gap`,
    clear: (bounds) => `WITH deleted AS (DELETE FROM ${kv} WHERE ${bounds} RETURNING key)
      INSERT INTO ${commits} (lsn, keys) SELECT $1::bigint, array_agg(key ORDER BY key) FROM deleted HAVING count(*) > 0`,
    beginSnapshot: `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT value FROM ${meta} WHERE id = ${LSN_ROW}`,
    get: `SELECT value FROM ${kv} WHERE key = $1`,
    getMany: `SELECT key, value FROM ${kv} WHERE key = ANY($1::bytea[])`,
    latestLsn: `SELECT value FROM ${meta} WHERE id = ${LSN_ROW}`,
    page: (bounds, descending, limit = '$1') => `SELECT key, value FROM ${kv} WHERE ${bounds} ORDER BY key ${descending ? 'DESC' : 'ASC'} LIMIT ${limit}`,
    // One statement, so the LSN read and the rows are of one snapshot: every commit through that
    // LSN is in it (commits are serialized on the LSN row, so none below it can commit later).
    feed: (bounds) => `WITH m AS (SELECT (SELECT value FROM ${meta} WHERE id = ${LSN_ROW}) AS lsn, (SELECT value FROM ${meta} WHERE id = ${FLOOR_ROW}) AS floor)
      SELECT m.lsn AS latest, m.floor AS floor, c.lsn, c.keys FROM m LEFT JOIN LATERAL (
        SELECT lsn, keys FROM (
          SELECT lsn, ${bounds === 'true' ? 'keys' : `ARRAY(SELECT key FROM unnest(keys) WITH ORDINALITY AS u(key, n) WHERE ${bounds} ORDER BY n) AS keys`}
          FROM ${commits} WHERE lsn > $1::bigint AND lsn <= m.lsn ORDER BY lsn
        ) f WHERE cardinality(f.keys) > 0 ORDER BY lsn LIMIT $2
      ) c ON true ORDER BY c.lsn`,
    // A bigint of ours, written into the text: several statements cannot take parameters.
    prune: (floor) => `BEGIN ISOLATION LEVEL READ COMMITTED;
      UPDATE ${meta} SET value = GREATEST(value, ${floor.toString()}) WHERE id = ${FLOOR_ROW};
      DELETE FROM ${commits} WHERE lsn <= ${floor.toString()};
      COMMIT`,
    countKeys: `SELECT count(*) AS n FROM ${kv}`,
  };
}
