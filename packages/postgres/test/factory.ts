import { randomBytes } from 'node:crypto';
import type { DatabaseConfigInput } from '@sochdb/core';
import type { StorageFactory } from '@sochdb/core/testing';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresStorage } from '../src/index.js';

export const serverUrl = (): string => inject('postgresUrl');

/** A fresh schema name: every test's database is its own. */
export const freshSchema = (): string => `t_${randomBytes(6).toString('hex')}`;

/**
 * The conformance suites' factory: each factory is one SochDB database (a schema of its own), and
 * a reopen opens the same one. LevelDB's `changeLogBytes` maps to a commit count here, roughly.
 * A pool of 40: the suites start tens of transactions at once, as they may on LevelDB.
 */
export function postgresFactory(): StorageFactory {
  const schema = freshSchema();
  return {
    name: 'postgres',
    persistent: true,
    traits: { exactSnapshots: true, feedRetention: 'commits', fairness: false },
    open: (config?: DatabaseConfigInput) =>
      PostgresStorage.open(serverUrl(), {
        schema,
        poolSize: 40,
        ...(config?.changeLogBytes === undefined ? {} : { changeLogCommits: Math.max(1, Math.floor(config.changeLogBytes / 100)) }),
      }),
    async cleanup() {
      const client = new pg.Client({ connectionString: serverUrl() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}
