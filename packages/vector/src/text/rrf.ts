import { ValidationError } from '@sochdb/core';
import { isArray } from '../shared/validate.js';

/** One ranking given to `rrfFuse`. */
export interface RankedList {
  /** Ids best first; rank 1 is the first. */
  readonly ids: readonly string[];
  /** This list's weight in the fusion. */
  readonly weight: number;
}

/** One result of `rrfFuse`. */
export interface FusedHit {
  /** An id from at least one of the lists. */
  readonly id: string;
  /** Σ weight / (rrfK + rank) over the lists holding the id; larger is better. */
  readonly score: number;
}

/**
 * Weighted reciprocal-rank fusion: `score(d) = Σ weightᵢ / (rrfK + rankᵢ(d))` over the lists that
 * contain d (1-based ranks). Hybrid search uses `[{ vector ids, alpha }, { keyword ids, 1 − alpha }]`.
 * Sorted by score descending; ties keep the order in which ids were first seen.
 *
 * @example
 * ```ts
 * const fused = rrfFuse([
 *   { ids: ['a', 'b', 'c'], weight: 0.7 },
 *   { ids: ['c', 'a'], weight: 0.3 },
 * ]); // ids a, c, b: 'a' leads both lists, 'c' is in both
 * ```
 */
export function rrfFuse(lists: readonly RankedList[], options: { readonly rrfK?: number } = {}): FusedHit[] {
  const rrfK = options.rrfK ?? 60;
  if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) {
    throw new ValidationError(`rrfK must be a finite number ≥ 0, got ${String(rrfK)}`, { field: 'rrfK' });
  }
  if (!isArray(lists)) throw new ValidationError('rrfFuse takes an array of ranked lists { ids, weight }', { field: 'lists' });
  const scores = new Map<string, number>();
  lists.forEach((list: RankedList | null, l) => {
    if (list === null || typeof list !== 'object') throw new ValidationError(`lists[${l}] must be { ids, weight }`, { field: `lists[${l}]` });
    const { ids, weight } = list;
    if (typeof weight !== 'number' || !Number.isFinite(weight))
      throw new ValidationError('every list weight must be a finite number', { field: `lists[${l}].weight` });
    if (!isArray(ids)) throw new ValidationError(`lists[${l}].ids must be an array of ids, best first`, { field: `lists[${l}].ids` });
    // A ranking holds each id once: a repeated id would add its score twice.
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const field = `lists[${l}].ids[${i}]`;
      if (typeof id !== 'string') throw new ValidationError(`${field} must be a string, got ${typeof id}`, { field });
      if (seen.has(id))
        throw new ValidationError(`${field} '${id}' is ranked twice in one list`, {
          field,
          remediation: 'Remove repeated ids from each list (keep the best rank).',
        });
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + weight / (rrfK + i + 1));
    }
  });
  return Array.from(scores, ([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
