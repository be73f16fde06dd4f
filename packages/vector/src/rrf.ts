import { ValidationError } from '@sochdb/core';

export interface RankedList {
  /** Ids best first; rank 1 is the first. */
  readonly ids: readonly string[];
  /** This list's weight in the fusion. */
  readonly weight: number;
}

export interface FusedHit {
  readonly id: string;
  readonly score: number;
}

/**
 * Weighted reciprocal-rank fusion: `score(d) = Σ weightᵢ / (rrfK + rankᵢ(d))` over the lists that
 * contain d (1-based ranks). Hybrid search uses `[{ vector ids, alpha }, { keyword ids, 1 − alpha }]`.
 * Sorted by score descending; ties keep the order in which ids were first seen.
 */
export function rrfFuse(lists: readonly RankedList[], options: { readonly rrfK?: number } = {}): FusedHit[] {
  const rrfK = options.rrfK ?? 60;
  if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) {
    throw new ValidationError(`rrfK must be a finite number ≥ 0, got ${String(rrfK)}`, { field: 'rrfK' });
  }
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new ValidationError('every list weight must be a finite number', { field: 'weight' });
    ids.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + weight / (rrfK + i + 1)));
  }
  return Array.from(scores, ([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
