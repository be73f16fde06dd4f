import { ValidationError } from '@sochdb/core';

/**
 * BM25's tokenizer: Unicode NFKC, lowercase, then runs of letters and digits (any script) are
 * tokens; everything else — punctuation, symbols, whitespace — separates them. `don't` gives
 * `don` and `t`; `e-mail` gives `e` and `mail`. No stemming and no stop words, so scores are
 * easy to predict and reproduce.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/** Splits text into BM25 tokens, in order, repeats kept (see the rules above); `''` gives `[]`. Throws ValidationError for a non-string. */
export function tokenize(text: string): string[] {
  if (typeof text !== 'string') throw new ValidationError(`text must be a string, got ${text === null ? 'null' : typeof text}`, { field: 'text' });
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}
