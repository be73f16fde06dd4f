import type { JsonValue, Metadata } from '../metadata/filter.js';

/**
 * The text BM25 indexes for a document: its content plus every string in its metadata (top-level
 * values and strings inside top-level arrays), so `{ tags: ['ml'] }` is found by "ml".
 */
export function searchableText(content: string | undefined, metadata: Metadata): string {
  const strings: string[] = [];
  for (const value of Object.values(metadata)) {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) for (const v of value as readonly JsonValue[]) if (typeof v === 'string') strings.push(v);
  }
  // Most documents have no string metadata: their content is the text, without a copy.
  if (strings.length === 0) return content ?? '';
  return (content === undefined ? strings : [content, ...strings]).join('\n');
}
