/**
 * How deep a filter (`$and` / `$or` inside each other) may nest, in kv queries and vector
 * collections alike. Walking a filter recurses; 256 leaves a wide margin below the ~2,000 levels
 * at which a JavaScript stack overflows (a vector filter runs inside hnswlib's callback, on top
 * of whatever stack the caller used), and is far beyond any filter a person writes.
 */
export const MAX_FILTER_DEPTH = 256;
