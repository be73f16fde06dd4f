// Test helpers shared by every SochDB package's tests (imported as `@sochdb/core/testing`).
// They run the real thing: real LevelDB folders in temp dirs and real child processes.
import { readFileSync } from 'node:fs';

export { makeTempDir, levelFactory, memoryFactory, persistentFactory, storageFactories, usePersistentFactory, type StorageFactory } from './factories.js';
export { describeStorageConformance } from './storage-suite.js';
export { describeTransactionConformance } from './transaction-suite.js';
export { describeCommitFeedConformance } from './commit-feed-suite.js';
export { describeInstalledCli } from './installed-cli.js';
export { spawnTs, waitForExit } from './process.js';

/** The example's code as it must appear, verbatim, inside a fenced block of the README. */
export function readmeIncludesExample(readmePath: string, examplePath: string): boolean {
  const normalize = (text: string) => text.replace(/\r\n/g, '\n').trim();
  return normalize(readFileSync(readmePath, 'utf8')).includes(normalize(readFileSync(examplePath, 'utf8')));
}
