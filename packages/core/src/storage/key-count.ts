/** A key count and the LSN it is exact at. */
export interface CountedKeys {
  readonly lsn: bigint;
  readonly count: number;
}

/**
 * `keysCount` when the commit pipeline does not keep it (`trackKeyCount: false`, the default):
 * counted on demand by a scan of a snapshot and remembered with the LSN the scan saw, so asking
 * again before the next commit costs nothing, and concurrent askers share one scan.
 *
 * Why on demand rather than an estimate: a count maintained without reads (puts minus deletes)
 * drifts without bound on overwrites — a queue rewrites each task's state several times — and an
 * exact count kept on every write costs one existence read per written key (what
 * `trackKeyCount: true` pays). A monitoring read is rare next to writes, so it pays instead.
 */
export class OnDemandKeyCount {
  #known: CountedKeys | undefined;
  #running: Promise<CountedKeys> | undefined;

  constructor(known: CountedKeys | undefined) {
    this.#known = known;
  }

  /** The last count taken (or the one the metadata held at open), if any. */
  get known(): CountedKeys | undefined {
    return this.#known;
  }

  /** The count at `lsn` or later: the remembered one when it is that recent, else a new scan. */
  async at(lsn: bigint, scan: () => Promise<CountedKeys>): Promise<CountedKeys> {
    if (this.#known !== undefined && this.#known.lsn >= lsn) return this.#known;
    this.#running ??= scan()
      .then((counted) => {
        if (this.#known === undefined || counted.lsn >= this.#known.lsn) this.#known = counted;
        return counted;
      })
      .finally(() => (this.#running = undefined));
    const counted = await this.#running;
    // A scan that started before `lsn` was applied is too old for this caller: one more.
    return counted.lsn >= lsn ? counted : this.at(lsn, scan);
  }
}
