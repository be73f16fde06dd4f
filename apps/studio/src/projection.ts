// A 2-D picture of a collection: PCA (ml-pca) of a sample of its vectors onto their first two
// principal components. PCA rather than UMAP: deterministic, fast on a few thousand vectors, and
// the axes mean something (explained variance is reported).
import { PCA } from 'ml-pca';
import type { CollectionDocument, JsonValue } from '@sochdb/sdk';

/** One plotted document. */
export interface ProjectedPoint {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** The `color` metadata field's value (null when the document has none, or no field was asked for). */
  readonly color: JsonValue;
}

/** What the projection endpoint answers (plus the collection's total count). */
export interface Projection {
  readonly points: readonly ProjectedPoint[];
  /** Share of the sample's variance along x and along y (0 … 1). */
  readonly explainedVariance: readonly [number, number];
  /** The metadata field the points are coloured by, when one was asked for. */
  readonly colorField: string | null;
  /** The distinct colour values, in first-seen order (for the legend). */
  readonly colors: readonly JsonValue[];
}

/** Projects `docs` onto two axes; fewer than two documents (or one dimension) need no PCA. */
export function project(docs: readonly CollectionDocument[], colorField: string | undefined): Projection {
  const colorOf = (doc: CollectionDocument): JsonValue => (colorField === undefined ? null : (doc.metadata[colorField] ?? null));
  let coordinates: number[][];
  let explained: [number, number] = [0, 0];
  const dimension = docs[0]?.vector.length ?? 0;
  if (docs.length < 2 || dimension < 2) {
    coordinates = docs.map((d) => [d.vector[0] ?? 0, 0]);
  } else {
    const data = docs.map((d) => d.vector);
    const pca = new PCA(data);
    coordinates = pca.predict(data, { nComponents: 2 }).to2DArray();
    const variance = pca.getExplainedVariance();
    explained = [variance[0] ?? 0, variance[1] ?? 0];
  }
  const points = docs.map((doc, i) => ({ id: doc.id, x: coordinates[i]?.[0] ?? 0, y: coordinates[i]?.[1] ?? 0, color: colorOf(doc) }));
  const colors: JsonValue[] = [];
  const seen = new Set<string>();
  for (const p of points) {
    const key = JSON.stringify(p.color);
    if (!seen.has(key)) {
      seen.add(key);
      colors.push(p.color);
    }
  }
  return { points, explainedVariance: explained, colorField: colorField ?? null, colors };
}
