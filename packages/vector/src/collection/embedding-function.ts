import type { VectorLike } from '../shared/validate.js';

/**
 * Turns texts into vectors, one per text in order, each of the collection's dimension: what a
 * provider (OpenAI, Cohere, a local model) is wrapped in. Give it to a collection
 * (`create({ …, embed })`, `open(…, { embed })`, `useEmbedding`) and `insert({ content })` and
 * `search({ text })` need no vector. It is not stored: give it again on each open. SochDB never
 * downloads or runs a model itself.
 *
 * @example
 * ```ts
 * const embed: EmbeddingFunction = async (texts) => {
 *   const res = await openai.embeddings.create({ model: 'text-embedding-3-small', input: [...texts] });
 *   return res.data.map((d) => d.embedding);
 * };
 * ```
 */
export type EmbeddingFunction = (texts: readonly string[]) => Promise<readonly VectorLike[]> | readonly VectorLike[];
