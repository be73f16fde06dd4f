import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Storage } from './storage/types.js';

/** Opens a server-backed Storage from a URL; `options` are the backend's own, validated by it. */
export type StorageOpener = (url: string, options: unknown) => Promise<Storage>;

/**
 * The packages that open each URL scheme, so `openStorage` can load one that is installed but
 * not yet imported. A package registers its schemes when it is imported (registerStorageOpener).
 */
const PACKAGE_OF_SCHEME: Readonly<Record<string, string>> = {
  postgres: '@sochdb/postgres',
  postgresql: '@sochdb/postgres',
};

// On globalThis under a registered symbol, not in a module variable: with two copies of
// @sochdb/core installed (one package upgraded on its own), the backend may register itself with
// a different copy than the one the application calls openStorage from.
const REGISTRY_KEY = Symbol.for('sochdb.storageOpeners');

function registry(): Map<string, StorageOpener> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, StorageOpener> };
  return (holder[REGISTRY_KEY] ??= new Map<string, StorageOpener>());
}

/** The scheme of a URL (`postgres` of `postgres://…`), lower-cased; undefined for a folder path. */
export function urlScheme(location: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
}

/** Makes `openStorage(url)` open URLs of these schemes with `opener`. Backends call it on import. */
export function registerStorageOpener(schemes: readonly string[], opener: StorageOpener): void {
  for (const scheme of schemes) registry().set(scheme.toLowerCase(), opener);
}

/** The package that serves a scheme, whether or not it is installed. */
export function packageOfScheme(scheme: string): string | undefined {
  return PACKAGE_OF_SCHEME[scheme];
}

/**
 * The opener of a scheme, importing its package first when it has not registered yet. The
 * package is looked up from @sochdb/core's own location (npm's flat node_modules) and then from
 * the application's folder (pnpm, where core cannot see packages it does not depend on).
 */
export async function findStorageOpener(scheme: string): Promise<StorageOpener | undefined> {
  const known = registry().get(scheme);
  if (known !== undefined) return known;
  const name = PACKAGE_OF_SCHEME[scheme];
  if (name === undefined) return undefined;
  const candidates: (() => Promise<unknown>)[] = [
    () => import(name),
    () => import(pathToFileURL(createRequire(join(process.cwd(), 'noop.js')).resolve(name)).href),
  ];
  for (const load of candidates) {
    try {
      await load();
    } catch {
      continue; // not installed where this candidate looks: try the next place
    }
    const opener = registry().get(scheme);
    if (opener !== undefined) return opener;
  }
  return undefined;
}
