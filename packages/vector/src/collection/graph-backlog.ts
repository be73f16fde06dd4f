import type { AppliedWrite } from './documents.js';

/** How long one background turn may insert queued vectors before yielding to the event loop. */
const DRAIN_SLICE_MS = 4;

interface Queued {
  readonly write: AppliedWrite;
  readonly lsn: bigint;
  /** The write's next document to insert. */
  next: number;
}

/**
 * Committed writes whose vectors are not all in the graph yet, oldest first, each with its next
 * document to insert. `CollectionState.applyInserts` queues a write and a background task inserts
 * its vectors a few at a time, so the graph work of one write runs on the main thread while the
 * next write's LevelDB commit runs on libuv's thread pool. Only committed documents are queued,
 * and every reader of the graph catches up first (`CollectionState.graph()`). One entry per
 * write, not per document, so queueing a write allocates nothing per vector.
 */
export class GraphBacklog {
  #backlog: Queued[] = [];
  #backlogHead = 0;
  /** Vectors queued since the backlog was created, and how many of them are not inserted yet. */
  #queued = 0;
  #waiting = 0;
  #drainScheduled = false;
  #drainFailed = false;
  #discarded = false;

  /**
   * `insert` puts document `i` of a write committed at `lsn` into the graph (or skips it when the
   * collection no longer holds that version). When it throws, the document stays queued.
   */
  constructor(private readonly insert: (write: AppliedWrite, i: number, lsn: bigint) => void) {}

  /** Vectors queued so far: pass to `catchUp` to insert everything queued before now. */
  get queued(): number {
    return this.#queued;
  }

  /** Queues a committed write's vectors and schedules their insertion in the background. */
  push(write: AppliedWrite, lsn: bigint): void {
    if (this.#discarded) return;
    if (write.docs.length > 0) {
      this.#backlog.push({ write, lsn, next: 0 });
      this.#queued += write.docs.length;
      this.#waiting += write.docs.length;
    }
    this.#scheduleDrain();
  }

  /** Forgets every queued vector and queues none from now on (the graph is being freed). */
  discard(): void {
    this.#discarded = true;
    this.#backlog = [];
    this.#backlogHead = 0;
    this.#queued -= this.#waiting;
    this.#waiting = 0;
  }

  /** Inserts queued vectors into the graph, synchronously: all, or those queued before `mark`. */
  catchUp(mark = Infinity): void {
    const done = this.#queued - this.#waiting;
    for (let n = Math.min(mark, this.#queued) - done; n > 0; n--) this.#insertNext();
  }

  #insertNext(): void {
    const queued = this.#backlog[this.#backlogHead]!;
    this.insert(queued.write, queued.next, queued.lsn);
    this.#advance(queued);
  }

  #advance(queued: Queued): void {
    queued.next++;
    this.#waiting--;
    if (queued.next < queued.write.docs.length) return;
    this.#backlog[this.#backlogHead++] = undefined!;
    if (this.#backlogHead === this.#backlog.length) {
      this.#backlog = [];
      this.#backlogHead = 0;
    } else if (this.#backlogHead >= 1024 && this.#backlogHead * 2 >= this.#backlog.length) {
      this.#backlog = this.#backlog.slice(this.#backlogHead);
      this.#backlogHead = 0;
    }
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled || this.#drainFailed) return;
    this.#drainScheduled = true;
    setImmediate(() => {
      this.#drainScheduled = false;
      // A few milliseconds per turn, so LevelDB completions and other callbacks are not delayed.
      const until = performance.now() + DRAIN_SLICE_MS;
      try {
        while (this.#waiting > 0 && performance.now() < until) this.#insertNext();
      } catch {
        // Left queued: the next `catchUp`, run by a caller, inserts it again and throws to that caller.
        this.#drainFailed = true;
        return;
      }
      if (this.#waiting > 0) this.#scheduleDrain();
    });
  }
}
