/**
 * BM25's tokenizer: Unicode NFKC, lowercase, then runs of letters and digits (any script) are
 * tokens; everything else — punctuation, symbols, whitespace — separates them. `don't` gives
 * `don` and `t`; `e-mail` gives `e` and `mail`. No stemming and no stop words, so scores are
 * easy to predict and reproduce.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

/** Term → frequency for one document. */
export function termFrequencies(tokens: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}
