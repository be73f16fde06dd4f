import type { Storage, WriteOp } from '@sochdb/core';

interface Group {
  readonly ops: WriteOp[];
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Queue-level group commit: writes submitted while another write of this queue is in flight are
 * merged into the next Storage batch, so N concurrent workers cost about one commit instead of N.
 * Each operation's writes stay atomic (a batch is all or nothing); an operation only learns that
 * its write is durable when its whole group is. Core's pipeline groups commits too, but every
 * commit still pays for its own normalization, key counting and LSN; this pays it once per group.
 */
export class WriteCoalescer {
  #next: Group | undefined;
  #flushing = false;

  constructor(private readonly storage: Storage) {}

  submit(ops: readonly WriteOp[]): Promise<void> {
    let group = this.#next;
    if (group === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      group = this.#next = { ops: [], done, resolve, reject };
      // Wait for this tick's other submissions before the first flush.
      if (!this.#flushing) queueMicrotask(() => void this.#flush());
    }
    for (const op of ops) group.ops.push(op);
    return group.done;
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (let group = this.#next; group !== undefined; group = this.#next) {
        this.#next = undefined;
        try {
          await this.storage.batch(group.ops);
          group.resolve();
        } catch (error) {
          group.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
