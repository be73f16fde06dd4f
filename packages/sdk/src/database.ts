import {
  DatabaseError,
  ValidationError,
  encodeKey,
  isPostgresUrl,
  openStorage,
  type BackupOptions,
  type BackupResult,
  type DatabaseConfigInput,
  type Storage,
  type StorageStats,
  type Transaction as CoreTransaction,
} from '@sochdb/core';
import type { PostgresStorageOptions } from '@sochdb/postgres';
import {
  GraphStore,
  type AddEdgeOptions,
  type AddNodeOptions,
  type EdgeQuery,
  type EdgeRef,
  type ShortestPathOptions,
  type TraverseOptions,
} from '@sochdb/graph';
import { ConcurrentStorage, type ConcurrentOptions } from '@sochdb/ipc';
import { KvStore } from '@sochdb/kv';
import { PriorityQueue, provideQueueService, type QueueConfigInput, type QueueStats } from '@sochdb/queue';
import { SqlEngine, type OutputValue, type PreparedStatement, type SqlRow, type TriggerRow } from '@sochdb/sql';
import { TemporalGraph, type AddTemporalEdgeOptions, type EndTemporalEdgeOptions, type TemporalQuery } from '@sochdb/temporal';
import { fromToon, toToon, type ToonRecord } from '@sochdb/toon';
import { Collection } from '@sochdb/vector';
import { backupStorage, restoreBackup } from './backup.js';
import { databaseContext, databaseMemory, type ContextParts, type DatabaseContextOptions } from './context.js';
import type { AgentMemory, AgentMemoryOptions, ContextBuilder, SemanticCache } from '@sochdb/context';
import { SemanticCaches, type DatabaseSemanticCacheOptions } from './semantic-caches.js';
import { KeyValueMethods } from './kv-methods.js';
import { Namespace, type CollectionCache } from './namespace.js';
import { NamespaceRegistry, type NamespaceConfig, type NamespaceInfo } from './namespace-registry.js';
import type { PluginRegistry } from './plugins.js';
import { parseSqlOptions, type DatabaseSqlOptions } from './sql-options.js';
import type { SqlExecuteOptions, SqlParams, SqlResult } from './sql-types.js';
import { DatabaseTransaction } from './transaction.js';

/**
 * How to open: LevelDB's settings for a folder (or `':memory:'`); for a `postgres://` URL only
 * `postgres`, the PostgreSQL storage's settings (pool size, TLS, …; see @sochdb/postgres). `sql`
 * (the SQL engine's settings) applies to every kind of database.
 */
export type DatabaseOptions = DatabaseConfigInput & {
  /** Pool, TLS and feed settings for a `postgres://` URL; ValidationError when given with a folder or `':memory:'`. */
  readonly postgres?: PostgresStorageOptions;
  /** Settings of the SQL engine (its row cache); see DatabaseSqlOptions. */
  readonly sql?: DatabaseSqlOptions;
};

/** Where the Database's own KV lives; namespaces' KV lives under ('kv', name). */
export const ROOT_KV_PREFIX = encodeKey(['kv', null]);

/** What `stats()` reports: storage counters, the SQL statement cache, open collections and queues. */
export interface DatabaseStats extends StorageStats {
  /** Parsed-statement cache of the SQL engine. */
  readonly cacheHits: number;
  /** Statements parsed because they were not in the cache; 0 until SQL is first used. */
  readonly cacheMisses: number;
  /** The SQL engine's whole-table row cache (see DatabaseSqlOptions.rowCacheRows); all 0 until SQL is first used, or when it is off. */
  readonly rowCache: {
    /** Table scans and searches served from the cache. */
    readonly hits: number;
    /** Scans and searches that could have used the cache but read storage. */
    readonly misses: number;
    /** Tables held now. */
    readonly tables: number;
    /** Rows held now, over all tables (at most `rowCacheRows`). */
    readonly rows: number;
  };
  /** Each collection this Database has open, with its committed document count (every writer's). */
  readonly collections: readonly CollectionCount[];
  /** Each queue this Database opened with `queue(name)`, with its task counts (see QueueStats). */
  readonly queues: readonly QueueCount[];
}

/** An open collection in `DatabaseStats.collections`. */
export interface CollectionCount {
  /** The collection's namespace. */
  readonly namespace: string;
  /** Its name in the namespace. */
  readonly name: string;
  /** Committed documents. */
  readonly documents: number;
}

/** A queue in `DatabaseStats.queues`: its task counts. */
export interface QueueCount extends QueueStats {
  /** The queue's name. */
  readonly name: string;
}

/**
 * SochDB, embedded: one Storage (a LevelDB folder, or `':memory:'`) shared by KV, SQL, vector
 * collections in namespaces, the graph and temporal graph, and queues — and one transaction
 * manager, so a single transaction can span all of them.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/app');
 * await db.put('settings/theme', 'dark');
 * await db.execute('CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
 * await db.execute('INSERT INTO users (name) VALUES (?)', ['Alice']);
 * const docs = await (await db.getOrCreateNamespace('tenant_a')).getOrCreateCollection('docs', { dimension: 384 });
 * await db.close();
 * ```
 */
export class Database extends KeyValueMethods implements AsyncDisposable, CollectionCache {
  readonly #kv: KvStore;
  readonly #namespaces: NamespaceRegistry;
  readonly #collections = new Map<string, Promise<Collection>>();
  /** The last queue object `queue(name)` gave for each name, for `stats()`. */
  readonly #queues = new Map<string, PriorityQueue>();
  #sql: SqlEngine | undefined;
  #graph: GraphStore | undefined;
  #temporal: TemporalGraph | undefined;
  #plugins: PluginRegistry | undefined;
  #closed = false;
  /** What the SQL engine is created with, on first use. */
  readonly #sqlOptions: DatabaseSqlOptions;
  /** The semantic caches opened through this database. */
  readonly #caches: SemanticCaches;

  protected constructor(
    /** The Storage everything lives in; pass it to any `@sochdb` package to use it directly. */
    readonly storage: Storage,
    /** The folder, ':memory:', or the PostgreSQL URL (its password masked). */
    readonly path: string,
    /**
     * True when other processes may use the same data at once: opened with `openConcurrent`, or on
     * a PostgreSQL server. Queues then default to their shared mode.
     */
    readonly isConcurrent = false,
    sqlOptions: DatabaseSqlOptions = {},
  ) {
    super();
    this.#sqlOptions = sqlOptions;
    this.#kv = new KvStore(storage, { prefix: ROOT_KV_PREFIX });
    this.#namespaces = new NamespaceRegistry(storage);
    this.#caches = new SemanticCaches(storage);
  }

  /**
   * Opens (creating by default) the database in `path`, an in-memory one for `':memory:'`, or
   * one on a PostgreSQL-wire server for `postgres://user:password@host/database[?schema=…]`
   * (shared by every process on every machine that opens the same URL and schema).
   *
   * @example
   * ```ts
   * const local = await Database.open('./data/app', { syncMode: 'full', cacheSizeBytes: 64 * 1024 * 1024 });
   * const scratch = await Database.open(':memory:');
   * // A process that reads each table once (an export) needs no row cache.
   * const reader = await Database.open('./data/app', { sql: { rowCacheRows: 0 } });
   * // A postgres:// URL takes only `postgres`, the PostgreSQL storage's own options.
   * const shared = await Database.open('postgres://app:secret@db.internal/app?schema=tenant_a', { postgres: { poolSize: 20 } });
   * ```
   */
  static async open(path: string, options?: DatabaseOptions): Promise<Database> {
    const { sql, ...storageOptions } = options ?? {};
    const sqlOptions = parseSqlOptions(sql);
    if (isPostgresUrl(path)) {
      const { postgres, ...levelOptions } = storageOptions;
      const misplaced = Object.keys(levelOptions);
      if (misplaced.length > 0) {
        throw new ValidationError(`'${misplaced[0]}' is a LevelDB setting; a postgres:// database takes only { postgres: { … }, sql: { … } }`, {
          field: misplaced[0],
          remediation: 'Pass PostgreSQL settings as { postgres: { poolSize, ssl, … } } (see @sochdb/postgres).',
        });
      }
      // Loaded only here: an embedded database never loads the PostgreSQL driver.
      const { PostgresStorage } = await import('@sochdb/postgres');
      const storage = await PostgresStorage.open(path, postgres);
      return new Database(storage, storage.location, true, sqlOptions);
    }
    if (storageOptions.postgres !== undefined) {
      throw new ValidationError('the postgres option applies only to a postgres:// URL', { field: 'postgres' });
    }
    return new Database(await openStorage(path, storageOptions), path, false, sqlOptions);
  }

  /**
   * Opens `path` for use by several processes at once. The first process becomes the owner (it
   * holds the folder and serves `<path>/sochdb.sock`, mode 0600); the others reach the data
   * through it, with transactions and conflict detection shared across processes. If the owner
   * goes away, the next request elsewhere fails once with ConnectionError and another process
   * takes over. See ConcurrentStorage for what is shared and what stays per process.
   *
   * @example
   * ```ts
   * // The same call in every process (a web server's workers, say): the first one becomes the owner.
   * const db = await Database.openConcurrent('./data/app');
   * await db.transaction(async (txn) => txn.put('visits', '1'), { retries: 5 }); // conflicts across processes are detected
   * ```
   */
  static async openConcurrent(path: string, options?: ConcurrentOptions): Promise<Database> {
    if (isPostgresUrl(path)) {
      throw new ValidationError('openConcurrent shares a LevelDB folder between processes; a postgres:// database is shared already', {
        field: 'path',
        remediation: "Use Database.open('postgres://…') in every process.",
      });
    }
    // The service reads `db` only when another process calls it, which cannot happen before the
    // synchronous lines between `open` resolving and `db` being assigned have run.
    const storage = await ConcurrentStorage.open(path, options, () => ({
      sql: async (sql, params, txn) => db.executeSql(sql, params as SqlParams, txn ? { txn } : {}),
      stats: async () => db.stats(),
    }));
    // Every process serves queue claims whenever it is the owner (see provideQueueService).
    provideQueueService(storage);
    const db = new Database(storage, path, true);
    return db;
  }

  // ── Key-value ────────────────────────────────────────────────────────────────────────────
  // put / get / delete, putPath / getPath / deletePath, scan / scanPrefix / scanBatched and query
  // come from KeyValueMethods, on the database's own keyspace (ROOT_KV_PREFIX).
  protected override kvStore(): KvStore {
    return this.#live();
  }

  // ── Transactions ─────────────────────────────────────────────────────────────────────────
  /**
   * Commits when `fn` returns, aborts (and rethrows) when it throws; `retries` re-runs on conflict.
   *
   * @example
   * ```ts
   * // SQL, KV and a queue task in one commit: all of it lands, or none of it.
   * await db.transaction(
   *   async (txn) => {
   *     await txn.execute('UPDATE stock SET count = count - 1 WHERE item = ?', [42]);
   *     await txn.put('orders/1001', '{"item":42}');
   *     await db.queue('shipping').enqueue({ priority: 1, payload: 'order 1001' }, { txn });
   *   },
   *   { retries: 3 },
   * );
   * ```
   */
  async transaction<T>(fn: (txn: DatabaseTransaction) => Promise<T>, options: { readonly retries?: number } = {}): Promise<T> {
    this.#live();
    return this.storage.transaction((core) => fn(new DatabaseTransaction(core, this.#scope())), options);
  }
  /**
   * A transaction you commit or abort yourself (`transaction(fn)` does both for you, and retries).
   * Until it ends it holds a snapshot; end it with `await using`, `commit()` or `abort()`.
   */
  beginTransaction(): DatabaseTransaction {
    this.#live();
    return new DatabaseTransaction(this.storage.beginTransaction(), this.#scope());
  }

  // ── SQL ──────────────────────────────────────────────────────────────────────────────────
  /** Runs one or more `;`-separated SQL statements (SQLite semantics); see @sochdb/sql. */
  executeSql(sql: string, params: SqlParams | undefined, options: SqlExecuteOptions & { readonly rowMode: 'array' }): Promise<SqlResult<OutputValue[]>>;
  executeSql(sql: string, params?: SqlParams, options?: SqlExecuteOptions): Promise<SqlResult>;
  async executeSql(sql: string, params?: SqlParams, options: SqlExecuteOptions = {}): Promise<SqlResult | SqlResult<OutputValue[]>> {
    this.#live();
    const engine = this.#sqlEngine();
    return options.rowMode === 'array' ? engine.execute(sql, params, { ...options, rowMode: 'array' }) : engine.execute(sql, params, options);
  }
  /** Same as executeSql. */
  execute(sql: string, params: SqlParams | undefined, options: SqlExecuteOptions & { readonly rowMode: 'array' }): Promise<SqlResult<OutputValue[]>>;
  execute(sql: string, params?: SqlParams, options?: SqlExecuteOptions): Promise<SqlResult>;
  execute(sql: string, params?: SqlParams, options: SqlExecuteOptions = {}): Promise<SqlResult | SqlResult<OutputValue[]>> {
    return options.rowMode === 'array' ? this.executeSql(sql, params, { ...options, rowMode: 'array' }) : this.executeSql(sql, params, options);
  }
  /**
   * One SQL statement, parsed (and compiled) once and run many times with new parameters:
   * better-sqlite3's `prepare`, with promises (`await st.all(params)`, `await st.run(params)`),
   * because the engine reads storage asynchronously. See @sochdb/sql's PreparedStatement. In
   * concurrent mode it runs on this process's engine over the shared storage, as executeSql does.
   *
   * @example
   * ```ts
   * const insert = db.prepare('INSERT INTO events (kind, at) VALUES (?, ?)');
   * for (const e of events) await insert.run(e.kind, e.at);
   * const recent = await db.prepare('SELECT kind, at FROM events WHERE at > :since ORDER BY at').all({ since: Date.now() - 60_000 });
   * ```
   */
  prepare(sql: string): PreparedStatement {
    this.#live();
    return this.#sqlEngine().prepare(sql);
  }
  /** Wires a plugin registry's triggers into every later SQL INSERT/UPDATE/DELETE. */
  usePlugins(registry: PluginRegistry): void {
    this.#live();
    this.#plugins = registry;
  }

  // ── Namespaces ───────────────────────────────────────────────────────────────────────────
  /** Creates a namespace: NamespaceExistsError when it exists, unless `existOk`, which opens it. */
  async createNamespace(config: NamespaceConfig | string): Promise<Namespace> {
    const resolved = typeof config === 'string' ? { name: config } : config;
    // With existOk, a create racing another process's conflicts, and the retry finds it made.
    const options = resolved?.existOk === true ? { retries: 5 } : {};
    const info = await this.#live().transaction((_kv, txn) => this.#namespaces.create(resolved, txn), options);
    return new Namespace(info, this.storage, this);
  }
  /** The namespace `name`, created first when it does not exist (Chroma's get_or_create). */
  getOrCreateNamespace(config: Omit<NamespaceConfig, 'existOk'> | string): Promise<Namespace> {
    return this.createNamespace({ ...(typeof config === 'string' ? { name: config } : config), existOk: true });
  }
  /** The namespace `name`; throws NamespaceNotFoundError when it does not exist. */
  async namespace(name: string): Promise<Namespace> {
    this.#live();
    return new Namespace(await this.#namespaces.get(name), this.storage, this);
  }
  /** Every namespace's record, sorted by name (read from one snapshot). */
  async listNamespaces(): Promise<NamespaceInfo[]> {
    this.#live();
    return this.#namespaces.list();
  }
  /** Deletes the namespace and everything in it: collections, semantic caches, KV and graph. */
  async deleteNamespace(name: string): Promise<void> {
    await this.#namespaces.get(name);
    const open: Promise<Collection>[] = [];
    for (const [key, collection] of this.#collections) {
      if (!key.startsWith(`${name}\0`)) continue;
      open.push(collection);
      this.#collections.delete(key);
    }
    await this.#caches.closeNamespace(name);
    const dropped = this.storage.transaction(async (txn) => {
      await this.#namespaces.remove(name, txn);
      await this.#caches.dropNamespace(name, txn);
      await Collection.dropNamespace(this.storage, name, { txn });
      await KvStore.namespaced(txn, name).clear();
      await this.#graphStore().dropNamespace(name, { txn });
      await this.#temporalGraph().dropNamespace(name, { txn });
    });
    await Promise.all([dropped, ...open.map((collection) => closeAfter(collection, dropped))]);
  }

  /**
   * CollectionCache: one Collection object (one in-memory index) per collection.
   * Called by Namespace; not for applications.
   *
   * @internal
   */
  cachedCollection(namespace: string, name: string, open: () => Promise<Collection>): Promise<Collection> {
    const key = `${namespace}\0${name}`;
    let collection = this.#collections.get(key);
    if (!collection) {
      collection = open();
      this.#collections.set(key, collection);
      collection.catch(() => this.#collections.delete(key));
    }
    return collection;
  }
  /**
   * CollectionCache: drops the cached Collection of a deleted collection.
   * Called by Namespace; not for applications.
   *
   * @internal
   */
  async forgetCollection(namespace: string, name: string, dropped: Promise<unknown>): Promise<void> {
    const key = `${namespace}\0${name}`;
    const open = this.#collections.get(key);
    this.#collections.delete(key);
    await closeAfter(open, dropped);
  }

  // ── Graph and temporal graph ─────────────────────────────────────────────────────────────
  /** `graph.addNode` on its own commit (use `db.graph.addNode(options, { txn })` inside a transaction). */
  async graphAddNode(options: AddNodeOptions) {
    return this.#graphStore().addNode(options);
  }
  /** `graph.getNode`: the node, or null when it does not exist. */
  async graphGetNode(namespace: string, nodeId: string) {
    return this.#graphStore().getNode(namespace, nodeId);
  }
  /** `graph.deleteNode`: removes the node and all its edges in one commit; false when it did not exist. */
  async graphDeleteNode(namespace: string, nodeId: string) {
    return this.#graphStore().deleteNode(namespace, nodeId);
  }
  /** `graph.addEdge` on its own commit; GraphNodeNotFoundError when either node is missing. */
  async graphAddEdge(options: AddEdgeOptions) {
    return this.#graphStore().addEdge(options);
  }
  /** `graph.deleteEdge`: false when there was no such edge. */
  async graphDeleteEdge(options: EdgeRef) {
    return this.#graphStore().deleteEdge(options);
  }
  /** `graph.getEdges`: the node's edges (outgoing by default), sorted by type then the other node's id. */
  async graphGetEdges(query: EdgeQuery) {
    return this.#graphStore().getEdges(query);
  }
  /** `graph.neighbors`: the adjacent nodes with their edges; GraphNodeNotFoundError when the node is missing. */
  async graphNeighbors(query: EdgeQuery) {
    return this.#graphStore().neighbors(query);
  }
  /** `graph.traverse`: every node within `maxDepth` hops (default 3), each once, with its depth and the edge that reached it. */
  async graphTraverse(options: TraverseOptions) {
    return this.#graphStore().traverse(options);
  }
  /** `graph.shortestPath`: a path with the fewest hops, or null when there is none within `maxDepth`. */
  async graphShortestPath(options: ShortestPathOptions) {
    return this.#graphStore().shortestPath(options);
  }
  /** `temporal.addTemporalEdge` on its own commit; TemporalOverlapError when it overlaps another version of the edge. */
  async addTemporalEdge(options: AddTemporalEdgeOptions) {
    return this.#temporalGraph().addTemporalEdge(options);
  }
  /** `temporal.endTemporalEdge`: closes the open version at `at` (default now); TemporalEdgeNotFoundError when none is open. */
  async endTemporalEdge(options: EndTemporalEdgeOptions) {
    return this.#temporalGraph().endTemporalEdge(options);
  }
  /** `temporal.query`: the edge versions valid at a time, during a window, or now, read from one snapshot. */
  async queryTemporalGraph(query: TemporalQuery) {
    return this.#temporalGraph().query(query);
  }
  /** The GraphStore and TemporalGraph themselves, for `{ txn }` use and everything else they offer. */
  get graph(): GraphStore {
    return this.#graphStore();
  }
  /** The database's TemporalGraph (created on first use); DatabaseError once the database is closed. */
  get temporal(): TemporalGraph {
    return this.#temporalGraph();
  }

  // ── Queues ───────────────────────────────────────────────────────────────────────────────
  /**
   * The durable priority queue `name` in this database (same as PriorityQueue.fromDatabase).
   *
   * @example
   * ```ts
   * const emails = db.queue('emails', { visibilityTimeoutMs: 60_000, maxAttempts: 5, deadLetterQueue: 'emails-dead' });
   * await emails.enqueue({ priority: 0, payload: JSON.stringify({ to: 'alice@example.com' }) });
   * const task = await emails.dequeue({ workerId: 'mailer-1' });
   * if (task) await emails.ack(task);
   * ```
   */
  queue(name: string, config?: QueueConfigInput): PriorityQueue {
    this.#live();
    const queue = PriorityQueue.fromDatabase(this, name, config);
    this.#queues.set(queue.name, queue);
    return queue;
  }

  // ── AI layer ────────────────────────────────────────────────────────────────────────────
  /**
   * A context builder over this database (see @sochdb/context): add sections of live data, then
   * `build()` fetches them in one snapshot and fits them to the token budget.
   *
   * @example
   * ```ts
   * const ctx = await db
   *   .context({ budget: 4096, tokenizer: 'o200k_base', format: 'toon', namespace: 'support' })
   *   .section('system', { priority: 0, text: 'You answer questions about orders.' })
   *   .section('docs', { priority: 1, search: { collection: 'faq', query: 'refund policy', k: 5 } })
   *   .section('orders', { priority: 2, sql: 'SELECT id, status, total FROM orders ORDER BY id DESC LIMIT 100', truncation: 'tail_drop' })
   *   .build();
   * console.log(ctx.tokens, ctx.sections); // tokens <= 4096
   * ```
   */
  context(options: DatabaseContextOptions): ContextBuilder {
    return databaseContext(this.#contextParts(), options);
  }

  /**
   * An agent's memory in an existing namespace (see @sochdb/context): episodes searched within a
   * thread, and facts as temporal edges, so a superseded fact is never returned as current.
   *
   * @example
   * ```ts
   * const memory = await db.agentMemory({ namespace: 'agents', dimension: 384, embed });
   * await memory.addEpisode({ thread: 'chat-1', role: 'user', content: 'I moved to Berlin', facts: [{ subject: 'ada', predicate: 'lives_in', object: 'berlin' }] });
   * const { episodes, facts } = await memory.recall({ thread: 'chat-1', query: 'where does Ada live?' });
   * ```
   */
  agentMemory(options: AgentMemoryOptions): Promise<AgentMemory> {
    return databaseMemory(this.#contextParts(), options);
  }

  /**
   * The semantic cache `name` (see @sochdb/context): JSON values looked up by the meaning of a
   * question (its vector), on an HNSW index, with a similarity threshold, TTL and an LRU bound;
   * persisted, and shared by every process of a concurrent database. One object per cache: a second
   * call returns the open one (ValidationError if with other settings). Opens on first use.
   *
   * @example
   * ```ts
   * const cache = db.semanticCache('answers', { dimension: 384, threshold: 0.92, ttlMs: 3_600_000, maxEntries: 10_000 });
   * const hit = await cache.get(questionVector);
   * if (hit === null) await cache.put(question, await askModel(question), questionVector);
   * ```
   */
  semanticCache(name: string, options: DatabaseSemanticCacheOptions): SemanticCache {
    this.#live();
    return this.#caches.get(name, options);
  }

  #contextParts(): ContextParts {
    return {
      storage: this.storage,
      kv: this.#live(),
      sql: this.#sqlEngine(),
      graph: this.#graphStore(),
      temporal: this.#temporalGraph(),
      namespace: (name) => this.namespace(name),
    };
  }

  // ── Durability, stats, lifecycle ─────────────────────────────────────────────────────────
  /** Makes every earlier commit durable on disk; resolves with the LSN. */
  async checkpoint(): Promise<bigint> {
    this.#live();
    return this.storage.checkpoint();
  }
  /**
   * The storage's counters (read from the owner process or PostgreSQL server when there is one)
   * plus this process's SQL statement-cache hits and misses and its row-cache counters.
   */
  async stats(): Promise<DatabaseStats> {
    this.#live();
    const cache = this.#sql?.cacheStats() ?? { hits: 0, misses: 0 };
    const storage = await this.storage.currentStats();
    const collections = [];
    for (const settled of await Promise.allSettled(this.#collections.values())) {
      if (settled.status !== 'fulfilled' || settled.value.closed) continue;
      const c = settled.value;
      // A collection dropped since it was opened has no count: it is left out.
      const documents = await c.count().catch(() => undefined);
      if (documents !== undefined) collections.push({ namespace: c.namespace, name: c.name, documents });
    }
    const queues = [];
    for (const [name, queue] of this.#queues) {
      // A queue object the application closed has no counts: it is left out.
      const counts = await queue.stats().catch(() => undefined);
      if (counts !== undefined) queues.push({ name, ...counts });
    }
    const rowCache = this.#sql?.rowCacheStats() ?? { hits: 0, misses: 0, tables: 0, rows: 0 };
    return { ...storage, cacheHits: cache.hits, cacheMisses: cache.misses, rowCache, collections, queues };
  }
  /**
   * Copies the whole database (KV, SQL, collections with their graphs and postings, queues,
   * graphs) as of one commit into the new folder `destination` while reads and writes go on;
   * resolves with the LSN it holds. Open collections save their graphs first, so the copy opens
   * without rebuilding them. Never overwrites; a backup killed mid-way leaves nothing at
   * `destination`. `Database.restore` (or `Database.open` on the folder) brings it back.
   *
   * @example
   * ```ts
   * const { lsn, bytes } = await db.backup('./backups/app-2026-12-06', { onProgress: ({ keys }) => bar.update(keys) });
   * await Database.restore('./backups/app-2026-12-06', './data/app-restored');
   * ```
   */
  async backup(destination: string, options?: BackupOptions): Promise<BackupResult> {
    this.#live();
    const collections = await Promise.allSettled(this.#collections.values());
    for (const c of collections) if (c.status === 'fulfilled' && !c.value.closed) await c.value.flush();
    return backupStorage(this.storage, destination, options);
  }
  /** Makes `destination` a new database holding exactly what the backup at `backupPath` holds (see `backup`). */
  static async restore(backupPath: string, destination: string): Promise<BackupResult> {
    return restoreBackup(backupPath, destination);
  }
  /** Finishes pending commits and closes everything. Later calls throw DatabaseError('database is closed'). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#caches.closeAll();
    const collections = await Promise.allSettled(this.#collections.values());
    for (const c of collections) if (c.status === 'fulfilled') await c.value.close();
    this.#collections.clear();
    await this.storage.close();
  }
  /** `close()`, for `await using db = await Database.open(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Compact TOON for prompts. Takes TOON records or SQL rows directly: a 64-bit integer becomes a
   * number when it is exact as one and its decimal text otherwise, and a BLOB its base64 text.
   */
  static toToon(table: string, records: readonly (ToonRecord | SqlRow)[], fields?: readonly string[]): string {
    return toToon(table, records.map(toonRecordOf), fields);
  }
  /** Parses TOON text (as `toToon` writes it) back into its table; ToonParseError when it is malformed. */
  static fromToon(text: string): ReturnType<typeof fromToon> {
    return fromToon(text);
  }

  #live(): KvStore {
    if (this.#closed) throw new DatabaseError('database is closed', { remediation: 'Open it again with Database.open().' });
    return this.#kv;
  }
  #scope() {
    return {
      kv: this.#kv,
      executeSql: (sql: string, params: SqlParams | undefined, options: SqlExecuteOptions) => this.executeSql(sql, params, options),
      prepare: (sql: string, txn: CoreTransaction) => {
        this.#live();
        return this.#sqlEngine().prepare(sql, { txn });
      },
    };
  }
  #sqlEngine(): SqlEngine {
    this.#sql ??= new SqlEngine(this.storage, {
      ...this.#sqlOptions,
      triggers: {
        has: (table, event) => this.#plugins?.has(table, event) ?? false,
        // Plugins may return any JS values; the engine checks them like any other row it writes.
        fire: (table, event, row, context) => this.#plugins?.fire(table, event, row, context.oldRow) as TriggerRow | undefined,
      },
    });
    return this.#sql;
  }
  #graphStore(): GraphStore {
    this.#live();
    return (this.#graph ??= new GraphStore(this.storage));
  }
  #temporalGraph(): TemporalGraph {
    this.#live();
    return (this.#temporal ??= new TemporalGraph(this.storage));
  }
}

/**
 * Closes a cached collection object once its collection is dropped (closing first would save a
 * graph about to be deleted): its index and commit listener are freed, not kept until the
 * database closes. A failed drop leaves it closed too; the next `collection()` opens it again.
 */
async function closeAfter(collection: Promise<Collection> | undefined, dropped: Promise<unknown>): Promise<void> {
  // Waited on (and its failure left to the caller, who awaits it too) before anything else.
  await dropped.catch(() => undefined);
  if (collection === undefined) return;
  const opened = await collection.catch(() => undefined);
  await opened?.close().catch(() => undefined);
}

function toonRecordOf(record: ToonRecord | SqlRow): ToonRecord {
  let copy: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(record)) {
    if (typeof value !== 'bigint' && !Buffer.isBuffer(value)) continue;
    copy ??= { ...record };
    copy[field] = typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value.toString('base64');
  }
  return (copy ?? record) as ToonRecord;
}
