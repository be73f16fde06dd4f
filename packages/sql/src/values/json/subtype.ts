import type { SqlValue } from '../values.js';
import { MAX_JSON_TEXT, textTooBig } from './render.js';

/**
 * SQLite's JSON "subtype": text returned by a JSON function (json(), json_array(), ->, …) is
 * embedded as JSON when passed directly to another JSON function, while any other text is
 * quoted as a string (`json_array(json('[1]'))` is `[[1]]`, `json_array('[1]')` is `["[1]"]`).
 * SqlValue has no room for it, so each JSON function records the text it returned with the
 * subtype here, and a caller that reads an argument's subtype (expr/json-subtype.ts) clears this
 * before evaluating the argument and compares afterwards: only text that the last JSON function
 * to return produced, with the subtype, counts. Evaluation is synchronous, so nothing else runs
 * in between.
 */
let lastJson: string | null = null;

/** Returns `text` as JSON with the subtype. */
export function asJson(text: string): string {
  if (text.length > MAX_JSON_TEXT) throw textTooBig();
  lastJson = text;
  return text;
}

/** Returns `v` without the subtype. */
export function plain<T extends SqlValue>(v: T): T {
  lastJson = null;
  return v;
}

export function clearSubtype(): void {
  lastJson = null;
}

/** Whether `v` is the text the last JSON function returned with the subtype. */
export function carriesSubtype(v: SqlValue): boolean {
  return typeof v === 'string' && v === lastJson;
}
