import {
  asciiLower,
  clearYMD_HMS_TZ,
  computeFloor,
  computeJD,
  computeYMD,
  computeYMD_HMS,
  DAY_MS,
  getDigits,
  isDigit,
  isSpace,
  newDateTime,
  parseHhMmSs,
  resetDateTime,
  wholeNumber,
  type DateTime,
} from './date-time.js';
import { UNIX_EPOCH_JD_MS } from './clock.js';

// The modifiers of the date and time functions (date.c's parseModifier), step for step.

/** Moves a UTC time to the process's local time zone (Node's Date, like the C library's localtime_r). */
function toLocaltime(p: DateTime): void {
  computeJD(p);
  let yearDiff = 0;
  let t: number;
  if (p.iJD < 210866760000000 || p.iJD > 213014145600000) {
    // Outside 1970…2038 SQLite computes in an equivalent year of 2000…2003 and moves back.
    const x = { ...p };
    computeYMD_HMS(x);
    yearDiff = 2000 + (x.Y % 4) - x.Y;
    x.Y += yearDiff;
    x.validJD = false;
    computeJD(x);
    t = Math.trunc(x.iJD / 1000) - 210866760000;
  } else {
    t = Math.trunc(p.iJD / 1000) - 210866760000;
  }
  const local = new Date(t * 1000);
  p.Y = local.getFullYear() - yearDiff;
  p.M = local.getMonth() + 1;
  p.D = local.getDate();
  p.h = local.getHours();
  p.m = local.getMinutes();
  p.s = local.getSeconds() + (p.iJD % 1000) * 0.001;
  p.validYMD = true;
  p.validHMS = true;
  p.validJD = false;
  p.rawS = false;
  p.tz = 0;
  p.isError = false;
}

/** 'utc': the UTC time whose local time is p, found by SQLite's fixed-point iteration. */
function toUtc(p: DateTime): void {
  if (p.isUtc) return;
  computeJD(p);
  const orig = p.iJD;
  let guess = orig;
  let err = 0;
  let cnt = 0;
  do {
    const trial = newDateTime();
    guess -= err;
    trial.iJD = guess;
    trial.validJD = true;
    toLocaltime(trial);
    computeJD(trial);
    err = trial.iJD - orig;
  } while (err && cnt++ < 3);
  resetDateTime(p);
  p.iJD = guess;
  p.validJD = true;
  p.isUtc = true;
  p.isLocal = false;
}

/** 'auto': a raw number is a Julian day when it can be one, else Unix seconds. */
function autoAdjustDate(p: DateTime): void {
  if (!p.rawS || p.validJD) {
    p.rawS = false;
  } else if (p.s >= -210866760000 && p.s <= 253402300799) {
    const r = p.s * 1000 + UNIX_EPOCH_JD_MS;
    clearYMD_HMS_TZ(p);
    p.iJD = Math.trunc(r + 0.5);
    p.validJD = true;
    p.rawS = false;
  }
}

/** 'NNN unit' modifiers: the unit, its limit (C floats) and its length in seconds. */
const UNITS: readonly (readonly [name: string, limit: number, seconds: number])[] = [
  ['second', Math.fround(4.6427e14), 1],
  ['minute', Math.fround(7.7379e12), 60],
  ['hour', Math.fround(1.2897e11), 3600],
  ['day', Math.fround(5373485), 86400],
  ['month', Math.fround(176546), 2592000],
  ['year', Math.fround(14713), 31536000],
];

/** Normalises a month number that went past either end of the year into the year. */
function carryMonths(p: DateTime): void {
  const x = p.M > 0 ? Math.trunc((p.M - 1) / 12) : Math.trunc((p.M - 12) / 12);
  p.Y += x;
  p.M -= x * 12;
}

/** Applies one modifier; returns true when it is not one (the function then answers NULL). */
export function applyModifier(z: string, p: DateTime, idx: number): boolean {
  // SQLite compares modifier names ignoring the case of ASCII letters.
  const lz = asciiLower(z);
  switch (lz[0] ?? '') {
    case 'a':
      if (lz !== 'auto') return true;
      if (idx > 1) return true;
      autoAdjustDate(p);
      return false;
    case 'c':
      // Day-of-month overflow rolls forward: the default, so this only resets 'floor'.
      if (lz !== 'ceiling') return true;
      computeJD(p);
      clearYMD_HMS_TZ(p);
      p.nFloor = 0;
      return false;
    case 'f':
      if (lz !== 'floor') return true;
      computeJD(p);
      p.iJD -= p.nFloor * DAY_MS;
      clearYMD_HMS_TZ(p);
      return false;
    case 'j':
      if (lz !== 'julianday') return true;
      if (idx > 1) return true;
      if (!(p.validJD && p.rawS)) return true;
      p.rawS = false;
      return false;
    case 'l': {
      if (lz !== 'localtime') return true;
      if (!p.isLocal) toLocaltime(p);
      p.isUtc = false;
      p.isLocal = true;
      return false;
    }
    case 'u':
      if (lz === 'unixepoch' && p.rawS) {
        if (idx > 1) return true;
        const r = p.s * 1000 + UNIX_EPOCH_JD_MS;
        if (!(r >= 0 && r < 464269060800000)) return true;
        clearYMD_HMS_TZ(p);
        p.iJD = Math.trunc(r + 0.5);
        p.validJD = true;
        p.rawS = false;
        return false;
      }
      if (lz !== 'utc') return true;
      toUtc(p);
      return false;
    case 'w': {
      if (!lz.startsWith('weekday ')) return true;
      const r = wholeNumber(z.slice(8));
      if (r === undefined || !(r >= 0 && r < 7) || Math.trunc(r) !== r) return true;
      computeYMD_HMS(p);
      p.tz = 0;
      p.validJD = false;
      computeJD(p);
      let Z = Math.trunc((p.iJD + 129600000) / DAY_MS) % 7;
      if (Z > r) Z -= 7;
      p.iJD += (r - Z) * DAY_MS;
      clearYMD_HMS_TZ(p);
      return false;
    }
    case 's':
      return startOfOrSubsec(lz, p);
    case '+':
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      return numericModifier(z, p);
    default:
      return true;
  }
}

function startOfOrSubsec(z: string, p: DateTime): boolean {
  if (asciiLower(z.slice(0, 9)) !== 'start of ') {
    if (z !== 'subsec' && z !== 'subsecond') return true;
    p.useSubsec = true;
    return false;
  }
  if (!p.validJD && !p.validYMD && !p.validHMS) return true;
  const unit = z.slice(9);
  computeYMD(p);
  p.validHMS = true;
  p.h = 0;
  p.m = 0;
  p.s = 0;
  p.rawS = false;
  p.tz = 0;
  p.validJD = false;
  if (unit === 'month') p.D = 1;
  else if (unit === 'year') {
    p.M = 1;
    p.D = 1;
  } else if (unit !== 'day') return true;
  return false;
}

/** ±NNN units, ±HH:MM[:SS.SSS], ±YYYY-MM-DD[ HH:MM[:SS.SSS]]. */
function numericModifier(z: string, p: DateTime): boolean {
  const z0 = z[0];
  // The number ends at ':', a space, or the '-' after a 4- or 5-digit year.
  let n = 1;
  for (; n < z.length; n++) {
    const c = z[n];
    if (c === ':' || isSpace(c)) break;
    if (c === '-') {
      if (n === 5 && getDigits(z, 1, [[4, 0, 14712, '']]).length === 1) break;
      if (n === 6 && getDigits(z, 1, [[5, 0, 14712, '']]).length === 1) break;
    }
  }
  let r = wholeNumber(z.slice(0, n));
  if (r === undefined) return true;
  let timeAt = 0;
  if (z[n] === '-') {
    if (z0 !== '+' && z0 !== '-') return true;
    const ymd = getDigits(z, 1, [
      [n - 1, 0, 14712, '-'],
      [2, 0, 12, '-'],
      [2, 0, 31, ''],
    ]);
    if (ymd.length !== 3) return true;
    // The rest is read as if the year had 4 digits.
    const at = n - 5;
    const [Y, M, D] = ymd as [number, number, number];
    if (M >= 12 || D >= 31) return true;
    computeYMD_HMS(p);
    p.validJD = false;
    if (z0 === '-') {
      p.Y -= Y;
      p.M -= M;
    } else {
      p.Y += Y;
      p.M += M;
    }
    carryMonths(p);
    computeFloor(p);
    computeJD(p);
    p.validHMS = false;
    p.validYMD = false;
    p.iJD += (z0 === '-' ? -D : D) * DAY_MS;
    if (at + 11 >= z.length) return false;
    if (
      !isSpace(z[at + 11]) ||
      getDigits(z, at + 12, [
        [2, 0, 24, ':'],
        [2, 0, 59, ''],
      ]).length !== 2
    )
      return true;
    timeAt = at + 12;
    n = 2;
  }
  if (z[timeAt + n] === ':') {
    // A time of day added or taken away.
    let start = timeAt;
    if (!isDigit(z[start])) start++;
    const tx = newDateTime();
    if (parseHhMmSs(z, start, tx)) return true;
    computeJD(tx);
    tx.iJD -= 43200000;
    const day = Math.trunc(tx.iJD / DAY_MS);
    tx.iJD -= day * DAY_MS;
    if (z0 === '-') tx.iJD = -tx.iJD;
    computeJD(p);
    clearYMD_HMS_TZ(p);
    p.iJD += tx.iJD;
    return false;
  }
  // 'NNN units'.
  let i = n;
  while (isSpace(z[i])) i++;
  let unit = asciiLower(z.slice(i));
  const bytes = Buffer.byteLength(unit, 'utf8');
  if (bytes < 3 || bytes > 10) return true;
  if (unit.endsWith('s')) unit = unit.slice(0, -1);
  computeJD(p);
  const rounder = r < 0 ? -0.5 : 0.5;
  p.nFloor = 0;
  let failed = true;
  for (const [name, limit, seconds] of UNITS) {
    if (unit !== name || !(r > -limit && r < limit)) continue;
    if (name === 'month') {
      computeYMD_HMS(p);
      p.M += Math.trunc(r);
      carryMonths(p);
      computeFloor(p);
      p.validJD = false;
      r -= Math.trunc(r);
    } else if (name === 'year') {
      computeYMD_HMS(p);
      p.Y += Math.trunc(r);
      computeFloor(p);
      p.validJD = false;
      r -= Math.trunc(r);
    }
    computeJD(p);
    p.iJD += Math.trunc(r * 1000 * seconds + rounder);
    failed = false;
    break;
  }
  clearYMD_HMS_TZ(p);
  return failed;
}
