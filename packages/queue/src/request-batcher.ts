interface Waiting<Request, Result> {
  readonly request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Shared-mode group transactions: requests of one kind (dequeues, acks) made while a transaction
 * for earlier ones runs are served together by the next one, so N concurrent workers of a process
 * cost about one transaction — a handful of storage round trips in concurrent mode — instead of N
 * that would also conflict with each other on the queue's head. `serve` answers every request of
 * its batch, in order; if it throws, every request of that batch fails with the error.
 */
export class RequestBatcher<Request, Result> {
  #waiting: Waiting<Request, Result>[] = [];
  #active = 0;
  #scheduled = false;

  /**
   * `lanes`: batches served at once. With 2, requests that arrive while one batch's transaction
   * commits start the next batch instead of waiting for that commit (its caller must keep the
   * batches from claiming the same work).
   */
  constructor(
    private readonly serve: (requests: readonly Request[]) => Promise<readonly Result[]>,
    private readonly maxBatch: number,
    private readonly lanes = 1,
  ) {}

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#waiting.push({ request, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#scheduled || this.#active >= this.lanes) return;
    this.#scheduled = true;
    // Let the requests made in this tick join the batch.
    queueMicrotask(() => {
      this.#scheduled = false;
      while (this.#active < this.lanes && this.#waiting.length > 0) {
        this.#active++;
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting.splice(0, this.maxBatch);
        try {
          const results = await this.serve(batch.map((w) => w.request));
          batch.forEach((w, i) => w.resolve(results[i] as Result));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.#active--;
      this.#pump();
    }
  }
}
