import { UNIX_EPOCH_JD_MS } from './clock.js';
import {
  clearYMD_HMS_TZ,
  computeHMS,
  computeJD,
  computeYMD,
  computeYMD_HMS,
  DAY_MS,
  newDateTime,
  parseDateOrTime,
  setDateTimeToCurrent,
  setRawDateNumber,
  validJulianDay,
  type DateTime,
} from './date-time.js';
import { applyModifier } from './modifiers.js';
import { sqlPrintf } from '../printf/printf.js';
import { toText, type SqlValue } from '../values.js';
import type { ScalarFunction, StatementClock } from '../scalar-function.js';

// date(), time(), datetime(), julianday(), unixepoch(), strftime() and timediff(), as
// SQLite's date.c computes them. Any input SQLite cannot read gives NULL, never an error.

/** A value's text as C sees it: up to the first NUL. */
function cString(v: SqlValue): string | null {
  const s = toText(v);
  if (s === null) return null;
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/** The time value and its modifiers; undefined when any of it is not valid (NULL result). */
function isDate(args: readonly SqlValue[], clock: StatementClock): DateTime | undefined {
  const p = newDateTime();
  if (args.length === 0) return setDateTimeToCurrent(clock, p) ? undefined : p;
  const v = args[0]!;
  if (typeof v === 'number' || typeof v === 'bigint') setRawDateNumber(p, Number(v));
  else {
    const z = cString(v);
    if (z === null || parseDateOrTime(clock, z, p)) return undefined;
  }
  for (let i = 1; i < args.length; i++) {
    const z = cString(args[i]!);
    if (z === null || applyModifier(z, p, i)) return undefined;
  }
  computeJD(p);
  if (p.isError || !validJulianDay(p.iJD)) return undefined;
  // A lone YYYY-MM-DD past its month's end is normalised (2023-02-31 is 2023-03-03).
  if (args.length === 1 && p.validYMD && p.D > 28) p.validYMD = false;
  return p;
}

const two = (n: number): string => String(Math.trunc(n) % 100).padStart(2, '0');

/** C's %0Nd: zero padding after the sign. */
function zeroPad(n: number, width: number): string {
  const digits = String(Math.abs(n)).padStart(n < 0 ? width - 1 : width, '0');
  return n < 0 ? `-${digits}` : digits;
}

function ymdText(x: DateTime): string {
  const Y = Math.abs(x.Y);
  const text = `${String(Y % 10000).padStart(4, '0')}-${two(x.M)}-${two(x.D)}`;
  return x.Y < 0 ? `-${text}` : text;
}

function secondsText(x: DateTime): string {
  if (!x.useSubsec) return two(x.s);
  const ms = Math.trunc(1000 * x.s + 0.5);
  return `${two(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

function hmsText(x: DateTime): string {
  return `${two(x.h)}:${two(x.m)}:${secondsText(x)}`;
}

function dateFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const x = isDate(args, clock);
  if (!x) return null;
  computeYMD(x);
  return ymdText(x);
}

function timeFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const x = isDate(args, clock);
  if (!x) return null;
  computeHMS(x);
  return hmsText(x);
}

function datetimeFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const x = isDate(args, clock);
  if (!x) return null;
  computeYMD_HMS(x);
  return `${ymdText(x)} ${hmsText(x)}`;
}

function juliandayFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const x = isDate(args, clock);
  if (!x) return null;
  computeJD(x);
  return x.iJD / DAY_MS;
}

function unixepochFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const x = isDate(args, clock);
  if (!x) return null;
  computeJD(x);
  return x.useSubsec ? (x.iJD - UNIX_EPOCH_JD_MS) / 1000 : BigInt(Math.trunc(x.iJD / 1000) - UNIX_EPOCH_JD_MS / 1000);
}

function daysAfterJan01(x: DateTime): number {
  const jan01 = { ...x, validJD: false, M: 1, D: 1 };
  computeJD(jan01);
  return Math.trunc((x.iJD - jan01.iJD + 43200000) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
const daysAfterMonday = (x: DateTime): number => Math.trunc((x.iJD + 43200000) / DAY_MS) % 7;
/** 0 = Sunday … 6 = Saturday. */
const daysAfterSunday = (x: DateTime): number => Math.trunc((x.iJD + 129600000) / DAY_MS) % 7;

/** The Thursday of x's ISO week, whose year is the ISO year. */
function isoThursday(x: DateTime): DateTime {
  const y = { ...x };
  y.iJD += (3 - daysAfterMonday(x)) * DAY_MS;
  y.validYMD = false;
  computeYMD(y);
  return y;
}

const printf = (format: string, value: SqlValue): string => sqlPrintf([format, value]) as string;

/** One %-conversion of strftime; undefined for one SQLite does not know (the result is NULL). */
function strftimeField(cf: string | undefined, x: DateTime): string | undefined {
  const hour12 = x.h > 12 ? x.h - 12 : x.h === 0 ? 12 : x.h;
  switch (cf) {
    case 'd':
      return zeroPad(x.D, 2);
    case 'e':
      return String(x.D).padStart(2, ' ');
    case 'f':
      return printf('%06.3f', Math.min(x.s, 59.999));
    case 'F':
      return `${zeroPad(x.Y, 4)}-${zeroPad(x.M, 2)}-${zeroPad(x.D, 2)}`;
    case 'G':
      return zeroPad(isoThursday(x).Y, 4);
    case 'g':
      return zeroPad(isoThursday(x).Y % 100, 2);
    case 'H':
      return zeroPad(x.h, 2);
    case 'k':
      return String(x.h).padStart(2, ' ');
    case 'I':
      return zeroPad(hour12, 2);
    case 'l':
      return String(hour12).padStart(2, ' ');
    case 'j':
      return zeroPad(daysAfterJan01(x) + 1, 3);
    case 'J':
      return printf('%.16g', x.iJD / DAY_MS);
    case 'm':
      return zeroPad(x.M, 2);
    case 'M':
      return zeroPad(x.m, 2);
    case 'p':
      return x.h >= 12 ? 'PM' : 'AM';
    case 'P':
      return x.h >= 12 ? 'pm' : 'am';
    case 'R':
      return `${zeroPad(x.h, 2)}:${zeroPad(x.m, 2)}`;
    case 's':
      return x.useSubsec ? printf('%.3f', (x.iJD - UNIX_EPOCH_JD_MS) / 1000) : String(Math.trunc(x.iJD / 1000) - UNIX_EPOCH_JD_MS / 1000);
    case 'S':
      return zeroPad(Math.trunc(x.s), 2);
    case 'T':
      return `${zeroPad(x.h, 2)}:${zeroPad(x.m, 2)}:${zeroPad(Math.trunc(x.s), 2)}`;
    case 'u':
      return String(daysAfterSunday(x) || 7);
    case 'w':
      return String(daysAfterSunday(x));
    case 'U':
      return zeroPad(Math.trunc((daysAfterJan01(x) - daysAfterSunday(x) + 7) / 7), 2);
    case 'V':
      return zeroPad(Math.trunc(daysAfterJan01(isoThursday(x)) / 7) + 1, 2);
    case 'W':
      return zeroPad(Math.trunc((daysAfterJan01(x) - daysAfterMonday(x) + 7) / 7), 2);
    case 'Y':
      return zeroPad(x.Y, 4);
    case '%':
      return '%';
    default:
      return undefined;
  }
}

function strftimeFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  if (args.length === 0) return null;
  const fmt = cString(args[0]!);
  if (fmt === null) return null;
  const x = isDate(args.slice(1), clock);
  if (!x) return null;
  computeJD(x);
  computeYMD_HMS(x);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const field = strftimeField(fmt[++i], x);
    if (field === undefined) return null;
    out += field;
  }
  return out;
}

/** Steps d2 a month at a time until it is no longer past d1 (toward later when `forward`). */
function stepMonths(d1: DateTime, d2: DateTime, forward: boolean, M: number, Y: number): [number, number] {
  // SQLite loops until the condition fails; a few steps always do (the guard only stops a hang).
  for (let guard = 0; guard < 48 && (forward ? d1.iJD > d2.iJD : d1.iJD < d2.iJD); guard++) {
    M--;
    if (M < 0) {
      M = 11;
      Y--;
    }
    d2.M += forward ? 1 : -1;
    if (d2.M > 12) {
      d2.M = 1;
      d2.Y++;
    } else if (d2.M < 1) {
      d2.M = 12;
      d2.Y--;
    }
    d2.validJD = false;
    computeJD(d2);
  }
  return [M, Y];
}

/** timediff(A, B): what to add to B to reach A, as ±YYYY-MM-DD HH:MM:SS.SSS. */
function timediffFn(args: readonly SqlValue[], clock: StatementClock): SqlValue {
  const d1 = isDate([args[0]!], clock);
  if (!d1) return null;
  const d2 = isDate([args[1]!], clock);
  if (!d2) return null;
  computeYMD_HMS(d1);
  computeYMD_HMS(d2);
  const later = d1.iJD >= d2.iJD;
  let Y = later ? d1.Y - d2.Y : d2.Y - d1.Y;
  if (Y) {
    d2.Y = d1.Y;
    d2.validJD = false;
    computeJD(d2);
  }
  let M = later ? d1.M - d2.M : d2.M - d1.M;
  if (M < 0) {
    Y--;
    M += 12;
  }
  if (M !== 0) {
    d2.M = d1.M;
    d2.validJD = false;
    computeJD(d2);
  }
  [M, Y] = stepMonths(d1, d2, !later, M, Y);
  d1.iJD = (later ? d1.iJD - d2.iJD : d2.iJD - d1.iJD) + 148699540800000;
  clearYMD_HMS_TZ(d1);
  computeYMD_HMS(d1);
  const sign = later ? '+' : '-';
  return `${sign}${zeroPad(Y, 4)}-${zeroPad(M, 2)}-${zeroPad(d1.D - 1, 2)} ${zeroPad(d1.h, 2)}:${zeroPad(d1.m, 2)}:${printf('%06.3f', d1.s)}`;
}

type ClockedFn = (args: readonly SqlValue[], clock: StatementClock) => SqlValue;

/** Evaluated with the statement's clock (withClock); `fn` alone reads the time afresh. */
const clocked = (withClock: ClockedFn, min = 0, max = Infinity): ScalarFunction => ({ min, max, fn: (a) => withClock(a, {}), withClock });

export const DATETIME_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['date', clocked(dateFn)],
  ['time', clocked(timeFn)],
  ['datetime', clocked(datetimeFn)],
  ['julianday', clocked(juliandayFn)],
  ['unixepoch', clocked(unixepochFn)],
  ['strftime', clocked(strftimeFn)],
  ['timediff', clocked(timediffFn, 2, 2)],
];
