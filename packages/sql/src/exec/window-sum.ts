import { QueryError } from '@sochdb/core';
import { textToNumber, toNumeric, type SqlValue } from '../values/values.js';

// sum(), total() and avg() as window aggregates, step for step SQLite's (func.c: sumStep,
// sumInverse, Kahan-Babuska-Neumaier summation), so that a sliding frame, which adds rows as
// they enter and removes them as they leave, gives SQLite's answers to the last bit — and its
// types: once a REAL has entered the running sum it stays REAL even after that row has left,
// as SQLite's does (`sum(x) OVER (ROWS 1 PRECEDING)` over 1.5, 1, 2 ends with 3.0, not 3).

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;
/** 2^52: integers at least this large are added in two parts, as SQLite does. */
const BIG = 4503599627370496n;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/**
 * A value as sqlite3_value_numeric_type() then sqlite3_value_int64/double() read it: INTEGER
 * (text that is an integer too) as a bigint, anything else that is not NULL as a double (text
 * that is no number reads its numeric prefix, so 'abc' is 0.0).
 */
export function summand(v: SqlValue): bigint | number | null {
  if (v === null || typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (INTEGER_TEXT.test(v)) {
      const n = BigInt(v.trim());
      if (n >= MIN_INT64 && n <= MAX_INT64) return n;
    }
    const r = textToNumber(v, true);
    if (r !== undefined) return Number(r);
  }
  const n = toNumeric(v);
  return n === null ? 0 : Number(n);
}

/** The running state of sum / total / avg over the rows currently in a frame. */
export class SumState {
  count = 0;
  #int = 0n;
  #real = 0;
  #error = 0;
  #approx = false;
  #overflow = false;

  step(v: SqlValue): void {
    const n = summand(v);
    if (n === null) return;
    this.count++;
    if (!this.#approx) {
      if (typeof n !== 'bigint') {
        this.#start(this.#int);
        this.#approx = true;
        this.#add(n);
        return;
      }
      const x = this.#int + n;
      if (x <= MAX_INT64 && x >= MIN_INT64) {
        this.#int = x;
        return;
      }
      this.#overflow = true;
      this.#start(this.#int);
      this.#approx = true;
      this.#addInt(n);
    } else if (typeof n === 'bigint') this.#addInt(n);
    else {
      this.#overflow = false;
      this.#add(n);
    }
  }

  /** Removes a value step() added (the row left the frame). */
  inverse(v: SqlValue): void {
    const n = summand(v);
    if (n === null) return;
    this.count--;
    if (!this.#approx) {
      // Only integers were added so far, so this one is an integer too.
      const x = this.#int - (n as bigint);
      if (x <= MAX_INT64 && x >= MIN_INT64) this.#int = x;
      else {
        this.#overflow = true;
        this.#approx = true;
      }
    } else if (typeof n === 'bigint') {
      if (n !== MIN_INT64) this.#addInt(-n);
      else {
        this.#addInt(MAX_INT64);
        this.#addInt(1n);
      }
    } else this.#add(-n);
  }

  sum(): SqlValue {
    if (this.count === 0) return null;
    if (!this.#approx) return this.#int;
    if (this.#overflow) throw new QueryError('integer overflow', { remediation: 'Use total(), which sums as REAL.' });
    return this.#approxValue();
  }

  total(): number {
    return this.#approx ? this.#approxValue() : Number(this.#int);
  }

  avg(): number | null {
    if (this.count === 0) return null;
    return (this.#approx ? this.#approxValue() : Number(this.#int)) / this.count;
  }

  #approxValue(): number {
    return Number.isFinite(this.#error) ? this.#real + this.#error : this.#real;
  }

  /** One Kahan-Babuska-Neumaier step. */
  #add(r: number): void {
    const s = this.#real;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.#error += s - t + r;
    else this.#error += r - t + s;
    this.#real = t;
  }

  #addInt(i: bigint): void {
    if (i <= -BIG || i >= BIG) {
      const small = i % 16384n;
      this.#add(Number(i - small));
      this.#add(Number(small));
    } else this.#add(Number(i));
  }

  #start(i: bigint): void {
    if (i <= -BIG || i >= BIG) {
      const small = i % 16384n;
      this.#real = Number(i - small);
      this.#error = Number(small);
    } else {
      this.#real = Number(i);
      this.#error = 0;
    }
  }
}
