import { ValidationError } from '@sochdb/core';
import { stem } from 'porter2';
import { eng } from 'stopword';
import { tokenize } from './tokenizer.js';

/** A stemmer BM25 can apply to each token: `'english'` is Snowball English (Porter2), `'none'` keeps tokens as they are. */
export type Stemming = 'none' | 'english';

/**
 * Stop words BM25 drops: `'none'`, `'english'` (the `stopword` package's English list, 108 words
 * such as "the", "a", "of", "is") or your own list of words.
 */
export type StopWords = 'none' | 'english' | readonly string[];

/**
 * How BM25 analyses text, as given to `Bm25Index` or `Collection.create` (`text: { … }`). Both
 * default to `'none'`: the plain `tokenize` output, whose scores match rank-bm25's defaults.
 */
export interface TextAnalysisOptions {
  /** Stem each token after stop words are dropped; default `'none'`. */
  readonly stemming?: Stemming;
  /**
   * Tokens to drop before stemming, compared with tokens as `tokenize` makes them (NFKC,
   * lowercase); default `'none'`. A custom word must be one such token (`'Don'` is fine,
   * `"don't"` is two tokens and is rejected).
   */
  readonly stopWords?: StopWords;
}

/**
 * Text analysis with every option resolved, as a `Bm25Index` or a collection keeps it: a custom
 * stop word list is normalised (NFKC, lowercase), deduplicated and sorted, and an empty one is `'none'`.
 */
export interface TextAnalysis {
  /** The stemmer in effect. */
  readonly stemming: Stemming;
  /** The stop words in effect. */
  readonly stopWords: StopWords;
}

const STEMMINGS: readonly Stemming[] = ['none', 'english'];
const NAMED_STOP_WORDS = ['none', 'english'] as const;

/** No stemming, no stop words: what BM25 did before these options existed. */
export const NO_TEXT_ANALYSIS: TextAnalysis = Object.freeze({ stemming: 'none', stopWords: 'none' });

/**
 * Checks and resolves text-analysis options (undefined: the defaults). Throws ValidationError
 * naming the field (`text.stemming`, `text.stopWords[2]`, …; `field` is the prefix).
 */
export function resolveTextAnalysis(options: unknown, field = 'text'): TextAnalysis {
  if (options === undefined || options === null) return NO_TEXT_ANALYSIS;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(`${field} must be an object { stemming?, stopWords? }`, {
      field,
      remediation: "Pass { stemming: 'english', stopWords: 'english' }, or omit it.",
    });
  }
  const given = options as { readonly stemming?: unknown; readonly stopWords?: unknown };
  const stemming = given.stemming ?? 'none';
  if (!STEMMINGS.includes(stemming as Stemming)) {
    throw new ValidationError(`${field}.stemming must be one of ${STEMMINGS.map((s) => `'${s}'`).join(', ')}, got ${describe(stemming)}`, {
      field: `${field}.stemming`,
      remediation: "Use 'english' (Snowball English, Porter2) or 'none'.",
    });
  }
  return { stemming: stemming as Stemming, stopWords: resolveStopWords(given.stopWords ?? 'none', `${field}.stopWords`) };
}

function resolveStopWords(stopWords: unknown, field: string): StopWords {
  if (typeof stopWords === 'string' && (NAMED_STOP_WORDS as readonly string[]).includes(stopWords)) return stopWords as 'none' | 'english';
  if (!Array.isArray(stopWords)) {
    throw new ValidationError(`${field} must be 'none', 'english' or an array of words, got ${describe(stopWords)}`, {
      field,
      remediation: "Use 'english', 'none' or a list such as ['the', 'a'].",
    });
  }
  const words = new Set<string>();
  (stopWords as readonly unknown[]).forEach((word, i) => {
    if (typeof word !== 'string') throw new ValidationError(`${field}[${i}] must be a string, got ${describe(word)}`, { field: `${field}[${i}]` });
    const tokens = tokenize(word);
    if (tokens.length !== 1) {
      throw new ValidationError(`${field}[${i}] must be one token as tokenize() makes it, got ${JSON.stringify(word)} (${tokens.length} tokens)`, {
        field: `${field}[${i}]`,
        remediation: 'Give words of letters and digits only: BM25 compares stop words with its tokens.',
      });
    }
    words.add(tokens[0]!);
  });
  return words.size === 0 ? 'none' : [...words].sort();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Whether two resolved analyses index text the same way. */
export function sameTextAnalysis(a: TextAnalysis, b: TextAnalysis): boolean {
  if (a.stemming !== b.stemming) return false;
  if (typeof a.stopWords === 'string' || typeof b.stopWords === 'string') return a.stopWords === b.stopWords;
  return a.stopWords.length === b.stopWords.length && a.stopWords.every((w, i) => w === b.stopWords[i]);
}

/** Compiled analysers by resolved options (as JSON), so each write or query does not rebuild its stop word set. */
const compiled = new Map<string, (text: string) => string[]>();
let englishStopWords: ReadonlySet<string> | undefined;

/**
 * The analyser of resolved options: `tokenize`, then stop words dropped, then stemming. Without
 * stemming and stop words it is `tokenize` itself.
 */
export function analyzerOf(analysis: TextAnalysis): (text: string) => string[] {
  const { stemming, stopWords } = analysis;
  if (stemming === 'none' && stopWords === 'none') return tokenize;
  const key = JSON.stringify([stemming, stopWords]);
  let analyzer = compiled.get(key);
  if (analyzer) return analyzer;
  const stop: ReadonlySet<string> | undefined =
    stopWords === 'none' ? undefined : stopWords === 'english' ? (englishStopWords ??= new Set(eng.flatMap((w) => tokenize(w)))) : new Set(stopWords);
  const stems = stemming === 'english';
  analyzer = (text: string) => {
    const tokens = tokenize(text);
    let n = 0;
    for (const token of tokens) {
      if (stop?.has(token)) continue;
      tokens[n++] = stems ? stem(token) : token;
    }
    tokens.length = n;
    return tokens;
  };
  // A process uses a handful of analyses; a bound keeps one that makes many from growing this.
  if (compiled.size >= 64) compiled.clear();
  compiled.set(key, analyzer);
  return analyzer;
}

/**
 * Splits text into BM25 terms as an index with these options does, at index and at query time
 * alike: `tokenize(text)` (NFKC, lowercase, runs of letters and digits), then the stop words are
 * dropped (before stemming, so a document's BM25 length does not count them, as in Lucene), then
 * each remaining token is stemmed. Without options it equals `tokenize(text)`. Throws
 * ValidationError for a non-string text or invalid options.
 *
 * @example
 * ```ts
 * analyze('The runners were running', { stemming: 'english', stopWords: 'english' }); // ['runner', 'run']
 * ```
 */
export function analyze(text: string, options?: TextAnalysisOptions): string[] {
  return analyzerOf(resolveTextAnalysis(options))(text);
}
