// Namespace scoping: everything a tool touches goes through this object, which is fixed to one
// namespace when the server is made. Tools never take a namespace from their input, so a server
// started for namespace A can never reach B:
//   - KV and collections: through `db.namespace(A)`, whose methods stay under A's key prefixes.
//   - Graph and temporal edges: `db.graph*` / `queryTemporalGraph` with `namespace: A` set here.
//   - Queues: a queue has no namespace of its own (its name is its key prefix), so the tool's
//     queue `tasks` is the database queue `A:tasks`. Namespace names cannot contain ':', so no
//     other namespace's queue name can ever collide with one of A's.
//   - SQL: `db.execute` is database-wide (its tables live in the SQL engine's 'default' keyspace),
//     so this scope runs its own `SqlEngine` on the Database's Storage (`db.storage`, the public
//     field every package takes) with `{ namespace: A }`: A's tables live inside A's keys. For
//     namespace 'default' that is the same keyspace as `db.execute`'s tables.
import { NamespaceNotFoundError, SqlEngine, type Database, type Namespace, type PriorityQueue } from '@sochdb/sdk';

/** The Database seen through one namespace (see the file comment). */
export class NamespaceScope {
  readonly #db: Database;
  #ns: Namespace | undefined;
  #sql: SqlEngine | undefined;
  /** One queue object per name: they share state anyway, and this keeps the server from making one per call. */
  readonly #queues = new Map<string, PriorityQueue>();

  constructor(
    db: Database,
    /** The namespace every tool is fixed to. */
    readonly namespace: string,
  ) {
    this.#db = db;
  }

  /** The Database itself, for the graph and temporal calls (made with `namespace` from here). */
  get db(): Database {
    return this.#db;
  }

  /**
   * The namespace, for reads: NamespaceNotFoundError when it was never created (reads do not
   * create it: a read-only server leaves the database as it found it).
   */
  async reader(): Promise<Namespace> {
    if (this.#ns) return this.#ns;
    try {
      this.#ns = await this.#db.namespace(this.namespace);
    } catch (error) {
      if (!(error instanceof NamespaceNotFoundError)) throw error;
      throw new NamespaceNotFoundError(`namespace '${this.namespace}' does not exist yet: it has no KV or collections`, {
        remediation: 'Write to it first (a server with writes enabled creates it), or create it with db.createNamespace().',
        cause: error,
      });
    }
    return this.#ns;
  }

  /** The namespace, for writes: created on the first write when it does not exist. */
  async writer(): Promise<Namespace> {
    return (this.#ns ??= await this.#db.getOrCreateNamespace(this.namespace));
  }

  /** This namespace's SQL engine (its tables live inside the namespace's keys). */
  get sql(): SqlEngine {
    // The row cache is off: the server answers ad hoc queries, and a long-lived process would
    // otherwise hold whole tables in memory for statements that rarely repeat.
    return (this.#sql ??= new SqlEngine(this.#db.storage, { namespace: this.namespace, rowCacheRows: 0 }));
  }

  /** The database queue behind the tool's queue `name`: `<namespace>:<name>`. */
  queue(name: string): PriorityQueue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = this.#db.queue(queueName(this.namespace, name));
      this.#queues.set(name, queue);
    }
    return queue;
  }
}

/** The database queue name of queue `name` in namespace `namespace` (see the file comment). */
export function queueName(namespace: string, name: string): string {
  return `${namespace}:${name}`;
}
