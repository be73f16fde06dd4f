// SQLite's decimal decoding of a double for printf's %f, %e and %g (sqlite3FpDecode and
// sqlite3Fp2Convert10 of its util.c). SQLite does not print a double's exact decimal
// expansion: it takes 18 (or precision + 1) significant digits from a 64×64-bit product with a
// truncated power of ten, then rounds those digits. Printing the same digits as SQLite means
// doing the same arithmetic, done here exactly with bigints.

export interface FpDecoded {
  readonly sign: '+' | '-';
  /** 0 for a number, 1 for an infinity, 2 for NaN. */
  readonly isSpecial: 0 | 1 | 2;
  /** The significant digits, without trailing zeros ('0' for zero). */
  readonly digits: string;
  /** Position of the decimal point: the value is 0.digits × 10^iDP. */
  readonly iDP: number;
}

const U64 = (1n << 64n) - 1n;

/** floor(log2(10^p)) and floor(log10(2^p)), as SQLite approximates them. */
const pwr10to2 = (p: number): number => (p * 108853) >> 15;
const pwr2to10 = (p: number): number => (p * 78913) >> 18;

const powerCache = new Map<number, bigint>();

/** 10^p scaled by 2^(63 - pwr10to2(p)) and truncated: SQLite's table of powers of ten. */
function powerOfTen(p: number): bigint {
  let v = powerCache.get(p);
  if (v === undefined) {
    const shift = 63 - pwr10to2(p);
    if (p >= 0) v = shift >= 0 ? (10n ** BigInt(p)) << BigInt(shift) : (10n ** BigInt(p)) >> BigInt(-shift);
    else v = (1n << BigInt(shift)) / 10n ** BigInt(-p);
    powerCache.set(p, v);
  }
  return v;
}

/** m × 2^e (m with its top bit set) as d × 10^exp with at least n significant digits in d. */
function fp2Convert10(m: bigint, e: number, n: number): { d: bigint; exp: number } {
  const p = n - 1 - pwr2to10(e + 63);
  let h = (m * powerOfTen(p)) >> 64n;
  const shiftBase = e + pwr10to2(p);
  let d: bigint;
  if (n === 18) {
    h >>= BigInt(-(shiftBase + 2));
    d = (h + ((h << 1n) & 2n)) >> 1n;
  } else {
    d = h >> BigInt(-(shiftBase + 1));
  }
  return { d: d & U64, exp: -p };
}

function clz64(v: bigint): number {
  return 64 - v.toString(2).length;
}

/** The double nearest to d × 10^p (SQLite's sqlite3Fp10Convert2 rounds correctly too). */
function fp10Convert2(d: bigint, p: number): number {
  return Number(`${d}e${p}`);
}

const view = new DataView(new ArrayBuffer(8));

/**
 * Decodes |r| into significant digits. iRound > 0 rounds to that many significant digits;
 * iRound <= 0 rounds to -iRound digits after the decimal point; mxRound caps the digits kept.
 */
export function fpDecode(value: number, iRound: number, mxRound: number): FpDecoded {
  let r = value;
  let sign: '+' | '-' = '+';
  if (r < 0) {
    sign = '-';
    r = -r;
  } else if (r === 0) {
    return { sign: '+', isSpecial: 0, digits: '0', iDP: 1 };
  }
  view.setFloat64(0, r);
  let v = view.getBigUint64(0);
  let e = Number((v >> 52n) & 0x7ffn);
  if (e === 0x7ff) return { sign, isSpecial: v !== 0x7ff0000000000000n ? 2 : 1, digits: '', iDP: 0 };
  v &= 0xfffffffffffffn;
  if (e === 0) {
    const nn = clz64(v);
    v = (v << BigInt(nn)) & U64;
    e = -1074 - nn;
  } else {
    v = ((v << 11n) | (1n << 63n)) & U64;
    e -= 1086;
  }
  const { d, exp } = fp2Convert10(v, e, iRound <= 0 || iRound >= 18 ? 18 : iRound + 1);
  // z holds the digits as character codes; the C code may prepend one digit in front.
  const z: number[] = Array.from(d.toString(), (c) => c.charCodeAt(0));
  let n = z.length;
  let iDP = n + exp;
  if (iRound <= 0) {
    iRound = iDP - iRound;
    if (iRound === 0 && z[0]! >= 0x35) {
      iRound = 1;
      z.unshift(0x30);
      n++;
      iDP++;
    }
  }
  if (iRound > 0 && (iRound < n || n > mxRound)) {
    if (iRound > mxRound) iRound = mxRound;
    if (iRound === 17) iRound = roundTripRound(z, n, exp, r, iRound);
    n = iRound;
    if (z[iRound]! >= 0x35) {
      let j = iRound - 1;
      for (;;) {
        z[j]!++;
        if (z[j]! <= 0x39) break;
        z[j] = 0x30;
        if (j === 0) {
          z.unshift(0x31);
          n++;
          iDP++;
          break;
        }
        j--;
      }
    }
  }
  while (n > 1 && z[n - 1] === 0x30) n--;
  return { sign, isSpecial: 0, digits: String.fromCharCode(...z.slice(0, n)), iDP };
}

/**
 * At 17 digits SQLite prefers fewer when they already read back as the same double (so
 * %!.17g of 0.1 is 0.1): a run of 9s that rounds up, or of 0s that can be dropped.
 */
function roundTripRound(z: readonly number[], n: number, exp: number, r: number, iRound: number): number {
  const digit = (k: number): number => z[k]! - 0x30;
  const prefix = (len: number): bigint => {
    let x = 0n;
    for (let k = 0; k < len; k++) x = x * 10n + BigInt(digit(k));
    return x;
  };
  // (exp >= 0 is C's iDP >= n: the digits are all before the decimal point.)
  if (z[15] === 0x39 && z[14] === 0x39) {
    let jj = 14;
    while (jj > 0 && z[jj - 1] === 0x39) jj--;
    const v2 = jj === 0 ? 1n : prefix(jj) + 1n;
    if (r === fp10Convert2(v2, exp + n - jj)) return jj + 1;
  } else if (exp >= 0 || (z[15] === 0x30 && z[14] === 0x30 && z[13] === 0x30)) {
    let jj = 13;
    while (jj > 0 && z[jj - 1] === 0x30) jj--;
    if (r === fp10Convert2(prefix(jj), exp + n - jj)) return jj + 1;
  }
  return iRound;
}
