// Shared helpers for bench/*.ts: timing loops and a Markdown table that can be pasted into READMEs.

export const QUICK = process.env.BENCH_QUICK === '1';

/** Picks the full size, or the quick one under BENCH_QUICK=1. */
export function size(full: number, quick: number): number {
  return QUICK ? quick : full;
}

/** Runs `fn` `ops` times (or fn does `ops` operations itself) and returns operations per second. */
export async function opsPerSecond(ops: number, fn: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n < 10 ? 2 : 0);
}

export function percent(ours: number, theirs: number): string {
  return theirs > 0 && Number.isFinite(ours) ? `${((ours / theirs) * 100).toFixed(0)}%` : '—';
}

/** Prints a Markdown table; every row must have as many cells as `header`. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
