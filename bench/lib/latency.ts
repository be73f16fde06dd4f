// Per-operation latency for the scale benches: a few warm-up calls, then `n` timed ones, one at a time.

/** Median and 99th percentile of one operation, ms. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

/**
 * Times `n` sequential calls of `fn(i)` after `warmup` untimed ones. The warm-up calls get indices
 * n … n + warmup − 1 of their own, so an operation that needs fresh keys (an INSERT) never repeats one.
 */
export async function latency(n: number, fn: (i: number) => Promise<unknown>, warmup = 10): Promise<Latency> {
  for (let i = n; i < n + warmup; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p99: times[Math.floor(n * 0.99)]! };
}
