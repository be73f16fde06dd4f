import { sqlPrintf } from './printf/printf.js';
import { toText } from './values.js';
import type { ScalarFunction } from './scalar-function.js';

// printf()/format(), soundex() and sqlite_version().

/** The SQLite release whose behaviour this engine follows (the one its tests compare against). */
export const SQLITE_VERSION = '3.53.2';

/** Soundex codes of 'A'…'Z' (SQLite's table: H and W separate like vowels do). */
const SOUNDEX_CODES = '01230120022455012623010202';

/** SQLite's soundex(): bytes are masked to 7 bits, so a non-ASCII byte codes like an ASCII letter. */
function soundex(text: string | null): string {
  const z = Buffer.from(text ?? '', 'utf8');
  const code = (b: number): number => {
    const c = (b & 0x7f) | 0x20;
    return c >= 0x61 && c <= 0x7a && (b & 0x7f) >= 0x41 ? Number(SOUNDEX_CODES[c - 0x61]) : 0;
  };
  const isAlpha = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  let i = 0;
  while (i < z.length && z[i] !== 0 && !isAlpha(z[i]!)) i++;
  if (i >= z.length || z[i] === 0) return '?000';
  let prev = code(z[i]!);
  let result = String.fromCharCode(z[i]!).toUpperCase();
  for (; result.length < 4 && i < z.length && z[i] !== 0; i++) {
    const c = code(z[i]!);
    if (c > 0) {
      if (c !== prev) {
        prev = c;
        result += String(c);
      }
    } else prev = 0;
  }
  return result.padEnd(4, '0');
}

export const MISC_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['printf', { min: 0, max: Infinity, fn: sqlPrintf }],
  ['format', { min: 0, max: Infinity, fn: sqlPrintf }],
  ['soundex', { min: 1, max: 1, fn: (a) => soundex(toText(a[0] ?? null)) }],
  ['sqlite_version', { min: 0, max: 0, fn: () => SQLITE_VERSION }],
];
