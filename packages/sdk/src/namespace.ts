import { CollectionNotFoundError, ValidationError, type Storage } from '@sochdb/core';
import { KvStore } from '@sochdb/kv';
import { Collection, requireSameSettings, type CollectionConfig, type CollectionInfo, type OpenCollectionOptions } from '@sochdb/vector';
import { KeyValueMethods } from './kv-methods.js';
import type { NamespaceInfo } from './namespace-registry.js';

/** The Database side a Namespace needs: one shared Collection object per (namespace, name). */
export interface CollectionCache {
  cachedCollection(namespace: string, name: string, open: () => Promise<Collection>): Promise<Collection>;
  /** Drops the cached object of a collection being deleted; resolves once it is closed (after `dropped`). */
  forgetCollection(namespace: string, name: string, dropped: Promise<unknown>): Promise<void>;
}

/**
 * A tenant's isolated space: its collections, its KV (the same methods as the Database's: put/get/
 * delete, the path forms, scan/scanPrefix/scanBatched and query) and — through the Database's
 * `graph*` methods with `namespace` — its graph, all under key prefixes of its own. No method
 * reaches another namespace's data, whatever the ids or keys contain.
 */
export class Namespace extends KeyValueMethods {
  readonly #kv: KvStore;

  constructor(
    /** The namespace's record as read when this object was made (not refreshed). */
    readonly info: NamespaceInfo,
    private readonly storage: Storage,
    private readonly cache: CollectionCache,
  ) {
    super();
    this.#kv = KvStore.namespaced(storage, info.name);
  }

  protected override kvStore(): KvStore {
    return this.#kv;
  }

  /** The name it was created with; the key of its data, never changed. */
  get name(): string {
    return this.info.name;
  }

  /** `createCollection({ name, dimension, metric, m, efConstruction })` or `createCollection(name, options)`. */
  async createCollection(config: CollectionConfig | string, options: Omit<CollectionConfig, 'name'> = {}): Promise<Collection> {
    const resolved: CollectionConfig = typeof config === 'string' ? { ...options, name: config } : config;
    if (resolved === null || typeof resolved !== 'object') throw new ValidationError('createCollection needs a config or a name', { field: 'config' });
    if (resolved.existOk === true) {
      // An existing one is checked against the settings given, then opened once (its graph may
      // be large: it is not loaded twice); a missing one is created, race-safe.
      const ref = { namespace: this.name, name: resolved.name };
      const existing = await Collection.info(this.storage, ref).catch((error: unknown) => {
        if (error instanceof CollectionNotFoundError) return undefined;
        throw error;
      });
      if (existing !== undefined) {
        requireSameSettings(existing, resolved);
        const { embed, vectorCacheMB } = resolved;
        return this.collection(resolved.name, { ...(embed === undefined ? {} : { embed }), ...(vectorCacheMB === undefined ? {} : { vectorCacheMB }) });
      }
      return this.cache.cachedCollection(this.name, resolved.name, () => Collection.create(this.storage, { ...resolved, namespace: this.name }));
    }
    const collection = await Collection.create(this.storage, { ...resolved, namespace: this.name });
    return this.cache.cachedCollection(this.name, resolved.name, async () => collection);
  }

  /** The collection `name`, created with `config` first when it does not exist (Chroma's get_or_create). */
  getOrCreateCollection(name: string, config: Omit<CollectionConfig, 'name' | 'existOk'> = {}): Promise<Collection> {
    return this.createCollection({ ...config, name, existOk: true });
  }

  /**
   * The collection `name`; throws CollectionNotFoundError when it does not exist. With `{ embed }`,
   * the (shared) collection object embeds with that function from now on. `vectorCacheMB` applies
   * when this call opens it (the object is shared: a later call finds it open).
   */
  async collection(name: string, options: OpenCollectionOptions = {}): Promise<Collection> {
    if (!(await Collection.exists(this.storage, { namespace: this.name, name }))) {
      throw new CollectionNotFoundError(`collection '${name}' does not exist in namespace '${this.name}'`, {
        remediation: `Create it with ns.createCollection({ name: '${name}', dimension }).`,
      });
    }
    const collection = await this.cache.cachedCollection(this.name, name, () => Collection.open(this.storage, { namespace: this.name, name }, options));
    if (options?.embed !== undefined) collection.useEmbedding(options.embed);
    return collection;
  }

  /** The settings and counts of this namespace's collections, read from storage (not only those opened). */
  listCollections(): Promise<CollectionInfo[]> {
    return Collection.list(this.storage, this.name);
  }

  /** Deletes the collection and all its vectors and documents; CollectionNotFoundError when it does not exist. */
  async deleteCollection(name: string): Promise<void> {
    if (!(await Collection.exists(this.storage, { namespace: this.name, name }))) {
      throw new CollectionNotFoundError(`collection '${name}' does not exist in namespace '${this.name}'`);
    }
    const drop = Collection.drop(this.storage, { namespace: this.name, name });
    await this.cache.forgetCollection(this.name, name, drop);
    await drop;
  }
}
