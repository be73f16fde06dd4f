// The public Storage conformance suites on concurrent mode's storages: the owner's, and a client
// of it (every call through the owner's socket, as in another process).
import { join } from 'node:path';
import {
  describeCommitFeedConformance,
  describeStorageConformance,
  describeTransactionConformance,
  makeTempDir,
  type StorageFactory,
} from '@sochdb/core/testing';
import { ConcurrentStorage } from '../src/concurrent/concurrent-storage.js';

function concurrentFactory(role: 'owner' | 'client'): () => StorageFactory {
  return () => {
    let dir: ReturnType<typeof makeTempDir> | undefined;
    let owner: ConcurrentStorage | undefined;
    return {
      name: `concurrent ${role}`,
      persistent: true,
      async open(config) {
        const path = join((dir ??= makeTempDir('sochdb-conc-suite-')).path, 'db');
        if (role === 'owner') return ConcurrentStorage.open(path, config);
        // The suite closed the last client: a new owner takes this open's config.
        await owner?.close();
        owner = await ConcurrentStorage.open(path, config);
        const client = await ConcurrentStorage.open(path, config);
        if (client.isOwner) throw new Error('the second open should be a client');
        return client;
      },
      async cleanup() {
        await owner?.close();
        dir?.cleanup();
      },
    };
  };
}

const factories = [concurrentFactory('owner'), concurrentFactory('client')];
describeStorageConformance(factories);
describeTransactionConformance(factories);
describeCommitFeedConformance(factories);
