/**
 * SQLite's LIKE (`%` any run, `_` one character, ASCII letters case-insensitive, optional ESCAPE)
 * and GLOB (`*`, `?`, `[...]` classes, case-sensitive), matched without regular expressions.
 *
 * Written by hand because a RegExp built from the pattern backtracks exponentially on a failed
 * match (`'%a%a%a%a%a%a%a%a%a'` against 40 characters took 12 s, freezing the process). The
 * matcher below is the classic wildcard algorithm: each pattern token other than a run
 * wildcard matches exactly one character, so only the latest run wildcard needs to be retried,
 * which bounds the work by (pattern length × text length) whatever the input.
 */

/** One pattern position: a run wildcard, or a test of exactly one character (code point). */
type Token = { readonly star: true } | { readonly star: false; readonly test: (c: number) => boolean };

const STAR: Token = { star: true };
const ANY: Token = { star: false, test: () => true };

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function literal(c: number, caseless: boolean): Token {
  if (caseless) {
    const l = lowerAscii(c);
    return { star: false, test: (x) => lowerAscii(x) === l };
  }
  return { star: false, test: (x) => x === c };
}

/** Adjacent run wildcards mean the same as one: merged, so a pattern of stars costs nothing extra. */
function push(tokens: Token[], t: Token): void {
  if (t.star && tokens.length > 0 && tokens[tokens.length - 1]!.star) return;
  tokens.push(t);
}

function compileLike(pattern: string, escape: number | undefined): Token[] {
  const p = codePoints(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (escape !== undefined && c === escape) {
      // An escape at the very end matches nothing (SQLite's behaviour).
      if (i + 1 >= p.length) return [{ star: false, test: () => false }];
      push(tokens, literal(p[++i]!, true));
    } else if (c === 37) push(tokens, STAR);
    else if (c === 95) push(tokens, ANY);
    else push(tokens, literal(c, true));
  }
  return tokens;
}

/** `[...]`: ranges `a-z`, negation `^`, and `]` as the first member; an unclosed class never matches. */
function compileClass(p: readonly number[], start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === 94) {
    negate = true;
    i++;
  }
  const singles = new Set<number>();
  const ranges: [number, number][] = [];
  let first = true;
  for (; i < p.length; i++) {
    const c = p[i]!;
    if (c === 93 && !first) break;
    first = false;
    if (p[i + 1] === 45 && p[i + 2] !== undefined && p[i + 2] !== 93) {
      ranges.push([c, p[i + 2]!]);
      i += 2;
    } else singles.add(c);
  }
  if (i >= p.length) return undefined;
  const inClass = (x: number) => singles.has(x) || ranges.some(([lo, hi]) => x >= lo && x <= hi);
  return { token: { star: false, test: (x) => inClass(x) !== negate }, end: i };
}

function compileGlob(pattern: string): Token[] {
  const p = codePoints(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === 42) push(tokens, STAR);
    else if (c === 63) push(tokens, ANY);
    else if (c === 91) {
      const cls = compileClass(p, i);
      if (!cls) return [{ star: false, test: () => false }];
      push(tokens, cls.token);
      i = cls.end;
    } else push(tokens, literal(c, false));
  }
  return tokens;
}

/** Greedy match with one retry point: the latest run wildcard (see the file comment). */
function matches(tokens: readonly Token[], text: readonly number[]): boolean {
  let t = 0;
  let s = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (s < text.length) {
    const tok = tokens[t];
    if (tok !== undefined && tok.star) {
      starAt = t++;
      resumeAt = s;
    } else if (tok !== undefined && tok.test(text[s]!)) {
      t++;
      s++;
    } else if (starAt >= 0) {
      t = starAt + 1;
      s = ++resumeAt;
    } else return false;
  }
  while (t < tokens.length && tokens[t]!.star) t++;
  return t === tokens.length;
}

const likeCache = new Map<string, Token[]>();
const globCache = new Map<string, Token[]>();

function cached(cache: Map<string, Token[]>, key: string, build: () => Token[]): Token[] {
  let tokens = cache.get(key);
  if (!tokens) {
    tokens = build();
    if (cache.size > 1000) cache.clear();
    cache.set(key, tokens);
  }
  return tokens;
}

export function likeMatches(value: string, pattern: string, escape?: string): boolean {
  const esc = escape === undefined ? undefined : escape.codePointAt(0);
  const tokens = cached(likeCache, escape === undefined ? pattern : `${escape}\u0000${pattern}`, () => compileLike(pattern, esc));
  return matches(tokens, codePoints(value));
}

export function globMatches(value: string, pattern: string): boolean {
  return matches(
    cached(globCache, pattern, () => compileGlob(pattern)),
    codePoints(value),
  );
}
