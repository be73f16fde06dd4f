// Property check of the date and time functions and printf() against SQLite: a few thousand
// generated calls (seeded, so every run asks the same questions) — time values in every format,
// chains of modifiers, strftime formats, printf formats over awkward doubles — run through both
// engines, comparing value and type (safeIntegers keeps INTEGER and REAL apart).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '@sochdb/sql';
import { BetterSqlite, openEngine, type SqliteDatabase, type SqliteStatement } from './helpers.js';

let ours: SqlEngine;
let lite: SqliteDatabase;
let close: () => Promise<void>;
beforeAll(async () => {
  const db = await openEngine();
  ours = db.sql;
  close = db.close;
  lite = new BetterSqlite(':memory:');
});
afterAll(async () => {
  lite.close();
  await close();
});

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const rnd = random(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  const str = (s: string): string => `'${s.replace(/'/g, "''")}'`;
  /** A REAL literal both parsers read as the same double. */
  const real = (x: number): string => {
    const s = String(x);
    return /[.e]/.test(s) ? s : `${s}.0`;
  };
  const clock = (): string => {
    let t = `${pad(int(0, 24), 2)}:${pad(int(0, 59), 2)}`;
    if (rnd() < 0.7) t += `:${pad(int(0, 59), 2)}`;
    if (rnd() < 0.4) t += `.${String(int(0, 99999)).slice(0, int(1, 4))}`;
    if (rnd() < 0.25) t += pick(['Z', '+05:30', '-08:00', ' +01:00', '+14:00', '-00:00', 'z']);
    return t;
  };
  const year = (): number => pick([int(1900, 2100), int(1900, 2100), int(0, 9999), int(-4713, 0), pick([1970, 2000, 2038, 9999])]);
  const dateText = (): string => {
    const y = year();
    const text = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(rnd() < 0.95 ? int(1, 12) : int(0, 13), 2)}-${pad(rnd() < 0.9 ? int(1, 28) : int(29, 32), 2)}`;
    return rnd() < 0.6 ? `${text}${pick([' ', 'T', '  '])}${clock()}` : text;
  };
  const timeValue = (): string => {
    const k = rnd();
    if (k < 0.45) return str(dateText());
    if (k < 0.55) return str(clock());
    if (k < 0.67) return real(Math.round(rnd() * 5400000 * 1000) / 1000 - (rnd() < 0.05 ? 30000 : 0));
    if (k < 0.8) return String(int(-300000000, 4000000000));
    if (k < 0.85) return str(pick([String(int(0, 5373484)), `${int(0, 5373484)}.${int(0, 999)}`, ` ${int(1000000, 3000000)} `, '1e6', '.5']));
    if (k < 0.95)
      return str(
        pick(['2024-02-29', '2023-02-29', '2024-01-31', '9999-12-31 23:59:59.999', '0000-01-01', '-4713-11-24 12:00:00', '1970-01-01', '2000-12-31T23:59:59Z']),
      );
    return str(pick(['', 'junk', '2024-1-1', '2024-01-01x', '12:3', 'now!', '2024-01-01 25:00']));
  };
  const modifier = (): string => {
    const k = rnd();
    const sign = pick(['+', '-', '']);
    if (k < 0.35) {
      const n = rnd() < 0.7 ? String(int(0, pick([3, 40, 400, 100000]))) : (rnd() * pick([2, 50, 5000])).toFixed(int(1, 4));
      const unit = pick(['day', 'days', 'hour', 'hours', 'minute', 'minutes', 'second', 'seconds', 'month', 'months', 'year', 'years', 'DAYS', 'weeks']);
      return `${sign}${n} ${unit}`;
    }
    if (k < 0.45)
      return `${pick(['+', '-'])}${pad(int(0, 30), 2)}:${pad(int(0, 59), 2)}${rnd() < 0.5 ? `:${pad(int(0, 59), 2)}${rnd() < 0.5 ? '.' + int(0, 999) : ''}` : ''}`;
    if (k < 0.55)
      return `${pick(['+', '-'])}${pad(int(0, 3), pick([4, 4, 5]))}-${pad(int(0, 12), 2)}-${pad(int(0, 31), 2)}${rnd() < 0.3 ? ' ' + clock().slice(0, 8) : ''}`;
    if (k < 0.65) return `start of ${pick(['day', 'month', 'year', 'week'])}`;
    if (k < 0.72) return `weekday ${pick(['0', '1', '2', '3', '4', '5', '6', '7', '1.5', ' 3'])}`;
    return pick(['localtime', 'utc', 'subsec', 'subsecond', 'ceiling', 'floor', 'unixepoch', 'julianday', 'auto', 'bogus', 'floor', 'ceiling']);
  };
  const strftimeFormat = (): string =>
    Array.from({ length: int(1, 5) }, () => (rnd() < 0.9 ? `%${pick([...'defFGgHIjJklmMpPRsSTuUVwWY%'])}` : pick(['-', ' ', 'T', ':', 'x', '%Q']))).join('');
  const call = (): string => {
    const mods = Array.from({ length: pick([0, 1, 1, 2, 2, 3, 4]) }, modifier);
    // unixepoch / auto / julianday only count right after the value; put them there often.
    if (rnd() < 0.3) mods.unshift(pick(['unixepoch', 'auto', 'julianday']));
    const args = [timeValue(), ...mods.map(str)].join(', ');
    const fn = pick(['date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime', 'strftime', 'timediff']);
    if (fn === 'strftime') return `strftime(${str(strftimeFormat())}, ${args})`;
    if (fn === 'timediff') return `timediff(${timeValue()}, ${timeValue()})`;
    return `${fn}(${args})`;
  };
  return { call, int, pick, rnd };
}

function printfGenerator(seed: number) {
  const { int, pick, rnd } = generator(seed);
  const bits = new DataView(new ArrayBuffer(8));
  const double = (): number => {
    const k = rnd();
    if (k < 0.3) {
      bits.setUint32(0, Math.floor(rnd() * 2 ** 32));
      bits.setUint32(4, Math.floor(rnd() * 2 ** 32));
      const v = bits.getFloat64(0);
      return Number.isFinite(v) ? v : 2.5;
    }
    if (k < 0.6) return (rnd() - 0.5) * 10 ** int(-20, 20);
    if (k < 0.8) return Math.round((rnd() - 0.5) * 1e6) / 10 ** int(0, 5);
    return Number((rnd() * 100).toFixed(int(0, 3))) + pick([0, 0.5, 0.05, 0.005]);
  };
  return (): string => {
    const flags = Array.from({ length: int(0, 2) }, () => pick(['-', '+', ' ', '0', '#', '!', ','])).join('');
    const width = rnd() < 0.5 ? '' : String(int(0, 30));
    const precision = rnd() < 0.3 ? '' : `.${int(0, 24)}`;
    const conversion = pick([...'feEgGdixXouscqQwr']);
    const v = double();
    const literal = /[.e]/.test(String(v)) ? String(v) : `${v}.0`;
    return `printf('%${flags}${width}${precision}${conversion}|', ${rnd() < 0.2 ? String(Math.trunc(v)) : literal})`;
  };
}

async function compareBatch(exprs: readonly string[]): Promise<void> {
  const sql = `SELECT ${exprs.join(',\n  ')}`;
  const statement = lite.prepare(sql) as SqliteStatement & { safeIntegers(on: boolean): SqliteStatement };
  const expected = statement.safeIntegers(true).raw(true).get()!;
  const got = (await ours.execute(sql, [], { rowMode: 'array', safeIntegers: true })).rows[0]!;
  for (let i = 0; i < exprs.length; i++) {
    expect({ expr: exprs[i], value: got[i] }).toEqual({ expr: exprs[i], value: expected[i] });
  }
}

describe('random calls agree with SQLite', () => {
  it('date, time, datetime, julianday, unixepoch, strftime, timediff', async () => {
    const { call } = generator(20240305);
    for (let batch = 0; batch < 150; batch++) await compareBatch(Array.from({ length: 20 }, call));
  });

  it('printf over awkward doubles', async () => {
    const next = printfGenerator(31415);
    for (let batch = 0; batch < 100; batch++) await compareBatch(Array.from({ length: 30 }, next));
  });
});
