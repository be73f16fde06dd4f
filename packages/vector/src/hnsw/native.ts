import { createRequire } from 'node:module';
import { NativeAddonError } from '@sochdb/core';
import type hnswlibModule from 'hnswlib-node';

type HnswlibNode = typeof hnswlibModule;

/** What to do when hnswlib-node's addon is missing, for each package manager. */
const HOW_TO_BUILD =
  'hnswlib-node compiles its native addon when it is installed, which needs python3, make and a C++ compiler (Debian/Ubuntu: apt install python3 make g++). ' +
  'npm: run `npm rebuild hnswlib-node` (installs with --ignore-scripts skip it). ' +
  'pnpm 10 skips build scripts unless allowed: add "pnpm": { "onlyBuiltDependencies": ["hnswlib-node", "classic-level"] } to your package.json, then `pnpm rebuild hnswlib-node`. ' +
  'yarn (berry): set `enableScripts: true` for it, then `yarn rebuild hnswlib-node`.';

let loaded: HnswlibNode | undefined;

/**
 * hnswlib-node, loaded on first use rather than at import: importing @sochdb/vector never fails,
 * and an addon that did not build is a NativeAddonError that says how to build it, instead of
 * `Could not locate the bindings file` from deep inside the `bindings` package.
 */
export function hnswlib(): HnswlibNode {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('hnswlib-node') as HnswlibNode;
  } catch (error) {
    throw new NativeAddonError(`the hnswlib-node native addon could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      cause: error,
      remediation: HOW_TO_BUILD,
    });
  }
  return loaded;
}
