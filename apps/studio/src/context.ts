import type { Database, PriorityQueue } from '@sochdb/sdk';

/** What every route reads: the database, whether changes are allowed, and the queues it opened. */
export interface StudioContext {
  /** The open database the studio shows; the studio never closes it. */
  readonly db: Database;
  /** False: every endpoint that changes data answers 403, and SQL runs in read-only transactions. */
  readonly write: boolean;
  /** The queue `name`, opened once (opening a queue builds its in-memory index). */
  queue(name: string): PriorityQueue;
}

/** A StudioContext over `db`. */
export function studioContext(db: Database, write: boolean): StudioContext {
  const queues = new Map<string, PriorityQueue>();
  return {
    db,
    write,
    queue(name) {
      let queue = queues.get(name);
      if (queue === undefined) {
        queue = db.queue(name);
        queues.set(name, queue);
      }
      return queue;
    },
  };
}
