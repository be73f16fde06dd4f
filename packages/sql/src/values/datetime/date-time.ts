import { statementNow, UNIX_EPOCH_JD_MS } from './clock.js';
import type { StatementClock } from '../scalar-function.js';

// SQLite's date/time state machine (its date.c), kept step for step: the answer for odd input
// (day 31 of a 30-day month, a modifier after an overflow, 'localtime' after an error) is
// whatever that sequence of steps gives, so the steps are the specification. A time is held as
// a Julian day number in milliseconds (iJD) and/or as Y-M-D and h:m:s fields; each side is
// computed from the other on demand. Integer arithmetic is C's (division truncates toward zero).

export interface DateTime {
  /** Julian day number times 86400000. */
  iJD: number;
  Y: number;
  M: number;
  D: number;
  h: number;
  m: number;
  /** Time zone offset in minutes. */
  tz: number;
  s: number;
  validJD: boolean;
  validYMD: boolean;
  validHMS: boolean;
  /** Days to subtract for the 'floor' modifier (day-of-month overflow). */
  nFloor: number;
  /** `s` holds a raw number not yet read as a Julian day or a Unix time. */
  rawS: boolean;
  isError: boolean;
  useSubsec: boolean;
  isUtc: boolean;
  isLocal: boolean;
}

export function newDateTime(): DateTime {
  return {
    iJD: 0,
    Y: 0,
    M: 0,
    D: 0,
    h: 0,
    m: 0,
    tz: 0,
    s: 0,
    validJD: false,
    validYMD: false,
    validHMS: false,
    nFloor: 0,
    rawS: false,
    isError: false,
    useSubsec: false,
    isUtc: false,
    isLocal: false,
  };
}

/** memset(p, 0, …) of the C code: every field back to its zero value. */
export function resetDateTime(p: DateTime): void {
  Object.assign(p, newDateTime());
}

/** 9999-12-31 23:59:59.999 as a Julian day in ms: the last instant SQLite represents. */
export const MAX_JD_MS = 464269060799999;
export const DAY_MS = 86400000;

const idiv = (a: number, b: number): number => Math.trunc(a / b);

/** sqlite3Isspace: ASCII whitespace only. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** ASCII-only case-insensitive equality with a lower-case constant (sqlite3StrICmp == 0). */
export function iequals(z: string, lower: string): boolean {
  return z.length === lower.length && asciiLower(z) === lower;
}

/** Lower-cases ASCII letters only, as SQLite's case-insensitive comparisons do. */
export function asciiLower(z: string): string {
  return z.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** One field of getDigits: its digit count, minimum, maximum and the separator that must follow. */
type DigitSpec = readonly [count: number, min: number, max: number, next: string];

/**
 * Reads fixed-width numbers separated by given characters from z at i; returns those read
 * before the first that fails (SQLite's getDigits returns the count and fills that many).
 */
export function getDigits(z: string, i: number, specs: readonly DigitSpec[]): number[] {
  const out: number[] = [];
  for (const [count, min, max, next] of specs) {
    let val = 0;
    for (let k = 0; k < count; k++) {
      const c = z[i];
      if (!isDigit(c)) return out;
      val = val * 10 + (c!.charCodeAt(0) - 48);
      i++;
    }
    if (val < min || val > max || (next !== '' && z[i] !== next)) return out;
    out.push(val);
    i++;
  }
  return out;
}

export function datetimeError(p: DateTime): void {
  resetDateTime(p);
  p.isError = true;
}

export function clearYMD_HMS_TZ(p: DateTime): void {
  p.validYMD = false;
  p.validHMS = false;
  p.tz = 0;
}

export function validJulianDay(iJD: number): boolean {
  return iJD >= 0 && iJD <= MAX_JD_MS;
}

/** Y-M-D h:m:s → Julian day (Meeus, proleptic Gregorian calendar). */
export function computeJD(p: DateTime): void {
  if (p.validJD) return;
  let Y = 2000;
  let M = 1;
  let D = 1;
  if (p.validYMD) {
    Y = p.Y;
    M = p.M;
    D = p.D;
  }
  if (Y < -4713 || Y > 9999 || p.rawS) {
    datetimeError(p);
    return;
  }
  if (M <= 2) {
    Y--;
    M += 12;
  }
  const A = idiv(Y + 4800, 100);
  const B = 38 - A + idiv(A, 4);
  const X1 = idiv(36525 * (Y + 4716), 100);
  const X2 = idiv(306001 * (M + 1), 10000);
  p.iJD = Math.trunc((X1 + X2 + D + B - 1524.5) * DAY_MS);
  p.validJD = true;
  if (p.validHMS) {
    p.iJD += p.h * 3600000 + p.m * 60000 + Math.trunc(p.s * 1000 + 0.5);
    if (p.tz) {
      p.iJD -= p.tz * 60000;
      p.validYMD = false;
      p.validHMS = false;
      p.tz = 0;
      p.isUtc = true;
      p.isLocal = false;
    }
  }
}

/** How many days past the end of its month Y-M-D is (what 'floor' takes back). */
export function computeFloor(p: DateTime): void {
  if (p.D <= 28) p.nFloor = 0;
  else if ((1 << p.M) & 0x15aa) p.nFloor = 0;
  else if (p.M !== 2) p.nFloor = p.D === 31 ? 1 : 0;
  else if (p.Y % 4 !== 0 || (p.Y % 100 === 0 && p.Y % 400 !== 0)) p.nFloor = p.D - 28;
  else p.nFloor = p.D - 29;
}

export function computeYMD(p: DateTime): void {
  if (p.validYMD) return;
  if (!p.validJD) {
    p.Y = 2000;
    p.M = 1;
    p.D = 1;
  } else if (!validJulianDay(p.iJD)) {
    datetimeError(p);
    return;
  } else {
    const Z = idiv(p.iJD + 43200000, DAY_MS);
    const alpha = Math.trunc((Z + 32044.75) / 36524.25) - 52;
    const A = Z + 1 + alpha - idiv(alpha + 100, 4) + 25;
    const B = A + 1524;
    const C = Math.trunc((B - 122.1) / 365.25);
    const D = idiv(36525 * (C & 32767), 100);
    const E = Math.trunc((B - D) / 30.6001);
    const X1 = Math.trunc(30.6001 * E);
    p.D = B - D - X1;
    p.M = E < 14 ? E - 1 : E - 13;
    p.Y = p.M > 2 ? C - 4716 : C - 4715;
  }
  p.validYMD = true;
}

export function computeHMS(p: DateTime): void {
  if (p.validHMS) return;
  computeJD(p);
  const dayMs = (p.iJD + 43200000) % DAY_MS;
  p.s = (dayMs % 60000) / 1000;
  const dayMin = idiv(dayMs, 60000);
  p.m = dayMin % 60;
  p.h = idiv(dayMin, 60);
  p.rawS = false;
  p.validHMS = true;
}

export function computeYMD_HMS(p: DateTime): void {
  computeYMD(p);
  computeHMS(p);
}

/** A trailing time zone: [+-]HH:MM or Z, with spaces around. Returns true on a parse error. */
function parseTimezone(z: string, i: number, p: DateTime): boolean {
  while (isSpace(z[i])) i++;
  p.tz = 0;
  const c = z[i];
  let sgn: number;
  if (c === '-') sgn = -1;
  else if (c === '+') sgn = 1;
  else if (c === 'Z' || c === 'z') {
    p.isLocal = false;
    p.isUtc = true;
    i++;
    while (isSpace(z[i])) i++;
    return i < z.length;
  } else return c !== undefined;
  i++;
  const hm = getDigits(z, i, [
    [2, 0, 14, ':'],
    [2, 0, 59, ''],
  ]);
  if (hm.length !== 2) return true;
  i += 5;
  p.tz = sgn * (hm[1]! + hm[0]! * 60);
  if (p.tz === 0) {
    p.isLocal = false;
    p.isUtc = true;
  }
  while (isSpace(z[i])) i++;
  return i < z.length;
}

/** HH:MM, HH:MM:SS or HH:MM:SS.FFF (any number of F), then an optional time zone. True on error. */
export function parseHhMmSs(z: string, i: number, p: DateTime): boolean {
  const hm = getDigits(z, i, [
    [2, 0, 24, ':'],
    [2, 0, 59, ''],
  ]);
  if (hm.length !== 2) return true;
  i += 5;
  let s = 0;
  let ms = 0;
  if (z[i] === ':') {
    i++;
    const sec = getDigits(z, i, [[2, 0, 59, '']]);
    if (sec.length !== 1) return true;
    s = sec[0]!;
    i += 2;
    if (z[i] === '.' && isDigit(z[i + 1])) {
      let scale = 1;
      i++;
      while (isDigit(z[i])) {
        ms = ms * 10 + (z.charCodeAt(i) - 48);
        scale *= 10;
        i++;
      }
      ms /= scale;
      // SQLite truncates rather than rounds past milliseconds.
      if (ms > 0.999) ms = 0.999;
    }
  }
  p.validJD = false;
  p.rawS = false;
  p.validHMS = true;
  p.h = hm[0]!;
  p.m = hm[1]!;
  p.s = s + ms;
  return parseTimezone(z, i, p);
}

/** YYYY-MM-DD (a leading '-' for years BC), then optionally a time after spaces or a 'T'. */
function parseYyyyMmDd(z: string, p: DateTime): boolean {
  let i = 0;
  const neg = z[0] === '-';
  if (neg) i++;
  const ymd = getDigits(z, i, [
    [4, 0, 14712, '-'],
    [2, 1, 12, '-'],
    [2, 1, 31, ''],
  ]);
  if (ymd.length !== 3) return true;
  i += 10;
  while (isSpace(z[i]) || z[i] === 'T') i++;
  if (!parseHhMmSs(z, i, p)) {
    // A time was there.
  } else if (i >= z.length) p.validHMS = false;
  else return true;
  p.validJD = false;
  p.validYMD = true;
  p.Y = neg ? -ymd[0]! : ymd[0]!;
  p.M = ymd[1]!;
  p.D = ymd[2]!;
  computeFloor(p);
  if (p.tz) computeJD(p);
  return false;
}

export function setDateTimeToCurrent(clock: StatementClock, p: DateTime): boolean {
  p.iJD = statementNow(clock) + UNIX_EPOCH_JD_MS;
  if (p.iJD <= 0) return true;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
  clearYMD_HMS_TZ(p);
  return false;
}

/** A number: a Julian day if it can be one; kept raw for 'unixepoch' / 'auto' either way. */
export function setRawDateNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0 && r < 5373484.5) {
    p.iJD = Math.trunc(r * DAY_MS + 0.5);
    p.validJD = true;
  }
}

const SPACE_CLASS = '[ \\t\\n\\v\\f\\r]*';
const FULL_NUMBER = new RegExp(`^${SPACE_CLASS}[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?${SPACE_CLASS}$`);

/** sqlite3AtoF(z) > 0: the whole text (spaces around allowed) is a decimal number. */
export function wholeNumber(z: string): number | undefined {
  if (!FULL_NUMBER.test(z)) return undefined;
  // JavaScript reads the same forms ('1.', '.5', '+1e3', surrounding spaces).
  return Number(z);
}

/** A time value given as text. Returns true when it is not one. */
export function parseDateOrTime(clock: StatementClock, z: string, p: DateTime): boolean {
  if (!parseYyyyMmDd(z, p)) return false;
  if (!parseHhMmSs(z, 0, p)) return false;
  if (iequals(z, 'now')) return setDateTimeToCurrent(clock, p);
  const r = wholeNumber(z);
  if (r !== undefined) {
    setRawDateNumber(p, r);
    return false;
  }
  if (iequals(z, 'subsec') || iequals(z, 'subsecond')) {
    p.useSubsec = true;
    return setDateTimeToCurrent(clock, p);
  }
  return true;
}
