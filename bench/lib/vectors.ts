/** A deterministic, well-spread pseudo-random vector per index (no two indexes come close). */
export function benchVector(i: number, dim: number): number[] {
  return Array.from({ length: dim }, (_, d) => {
    const x = Math.sin((i + 1) * 12.9898 + (d + 1) * 78.233) * 43758.5453;
    return x - Math.floor(x) - 0.5;
  });
}
