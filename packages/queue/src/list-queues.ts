import { decodeKey, keyRange, type KeyValueReader } from '@sochdb/core';

/**
 * The names of the queues stored in `store`, in name order: every queue that holds a task or
 * ever counted one (a purged queue keeps its counters). One seek per queue: after a queue's first
 * key the scan jumps past its whole key range, so the cost does not grow with its tasks.
 */
export async function listQueues(store: KeyValueReader): Promise<string[]> {
  const all = keyRange(['q']);
  const names: string[] = [];
  let from = all.gte;
  for (;;) {
    let name: string | undefined;
    for await (const [key] of store.iterator({ gte: from, lt: all.lt, limit: 1 })) name = String(decodeKey(key)[1]);
    if (name === undefined) return names;
    names.push(name);
    from = keyRange(['q', name]).lt;
  }
}
