import type { SearchRequest as SearchRequestShape } from '@sochdb/vector';

/**
 * The original SDK's SearchRequest as a class. `collection.search()` takes this or the same
 * fields as a plain object: `new SearchRequest({ vector, textQuery: 'neural', k: 10, alpha: 0.7 })`.
 */
export class SearchRequest implements SearchRequestShape {
  readonly vector?: SearchRequestShape['vector'];
  readonly textQuery?: string;
  readonly text?: string;
  readonly k?: number;
  readonly filter?: SearchRequestShape['filter'];
  readonly alpha?: number;
  readonly minScore?: number;
  readonly efSearch?: number;
  readonly rrfK?: number;
  readonly candidates?: number;
  readonly filterStrategy?: SearchRequestShape['filterStrategy'];

  constructor(init: SearchRequestShape) {
    Object.assign(this, init);
  }
}
