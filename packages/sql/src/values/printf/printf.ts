import { fpDecode } from './fp-decode.js';
import { PrintfArgs, PrintfOutput, cText, emit, tooBig, MAX_TEXT_BYTES, type Spec } from './printf-args.js';
import { charField, escapeField, stringField } from './printf-text.js';
import { toText, type SqlValue } from '../values.js';

// SQLite's printf() / format() (its printf.c with SQL arguments): %d %i %u %x %X %o %p %r %c
// %s %z %q %Q %w %f %e %E %g %G %n %%, the flags - + space 0 # , ! and widths and precisions
// (also from arguments with *). A conversion SQLite does not know ends the output there.

type Kind = 'decimal' | 'radix' | 'ordinal' | 'float' | 'exp' | 'generic' | 'size' | 'string' | 'percent' | 'char' | 'escape';

interface Conversion {
  readonly kind: Kind;
  readonly base?: number;
  readonly signed?: boolean;
  /** Digits of a radix conversion, and the letter of an exponent. */
  readonly upper?: boolean;
  /** What '#' puts in front of a radix conversion. */
  readonly prefix?: string;
}

const CONVERSIONS: ReadonlyMap<number, Conversion> = new Map(
  Object.entries({
    d: { kind: 'decimal', base: 10, signed: true },
    i: { kind: 'decimal', base: 10, signed: true },
    u: { kind: 'decimal', base: 10, signed: false },
    s: { kind: 'string' },
    z: { kind: 'string' },
    g: { kind: 'generic' },
    G: { kind: 'generic', upper: true },
    q: { kind: 'escape' },
    Q: { kind: 'escape' },
    w: { kind: 'escape' },
    c: { kind: 'char' },
    o: { kind: 'radix', base: 8, prefix: '0' },
    x: { kind: 'radix', base: 16, prefix: '0x' },
    X: { kind: 'radix', base: 16, upper: true, prefix: '0X' },
    p: { kind: 'radix', base: 16, upper: true, prefix: '0x' },
    f: { kind: 'float' },
    e: { kind: 'exp' },
    E: { kind: 'exp', upper: true },
    n: { kind: 'size' },
    '%': { kind: 'percent' },
    r: { kind: 'ordinal', base: 10, signed: true },
  } satisfies Record<string, Conversion>).map(([k, v]) => [k.charCodeAt(0), v as Conversion]),
);

/** Floating-point precision beyond this is cut back (SQLITE_FP_PRECISION_LIMIT). */
const FP_PRECISION_LIMIT = 100000000;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const isDigitByte = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** printf(FORMAT, ...): NULL for a NULL format, or when nothing at all was written. */
export function sqlPrintf(values: readonly SqlValue[]): SqlValue {
  const format = values[0];
  if (format === undefined || format === null) return null;
  const out = new PrintfOutput();
  render(cText(format instanceof Uint8Array ? format : toText(format)!), new PrintfArgs(values.slice(1), sqliteRealText), out);
  return out.touched ? out.result().toString('utf8') : null;
}

/**
 * A REAL as text the way SQLite 3.52+ renders it (sqlite3_value_text, CAST(x AS TEXT)): printf's
 * '%!.17g', which keeps 17 significant digits unless fewer read back as the same double.
 */
export function sqliteRealText(r: number): string {
  const out = new PrintfOutput();
  floatField(
    CONVERSIONS.get(0x67)!,
    { leftJustify: false, prefixFlag: '', alternate: false, altForm2: true, zeroPad: false, thousands: false, width: 0, precision: 17 },
    r,
    out,
  );
  return out.result().toString('latin1');
}

function render(fmt: Buffer, args: PrintfArgs, out: PrintfOutput): void {
  let i = 0;
  const at = (k: number): number => (k < fmt.length ? fmt[k]! : 0);
  while (i < fmt.length) {
    if (fmt[i] !== 0x25) {
      const next = fmt.indexOf(0x25, i);
      const end = next < 0 ? fmt.length : next;
      out.append(fmt.subarray(i, end));
      i = end;
      if (i >= fmt.length) break;
    }
    let c = at(++i);
    if (c === 0) {
      out.append(ascii('%'));
      break;
    }
    const spec: Spec = { leftJustify: false, prefixFlag: '', alternate: false, altForm2: false, zeroPad: false, thousands: false, width: 0, precision: -1 };
    let done = false;
    do {
      switch (c) {
        case 0x2d:
          spec.leftJustify = true;
          break;
        case 0x2b:
          spec.prefixFlag = '+';
          break;
        case 0x20:
          spec.prefixFlag = ' ';
          break;
        case 0x23:
          spec.alternate = true;
          break;
        case 0x21:
          spec.altForm2 = true;
          break;
        case 0x30:
          spec.zeroPad = true;
          break;
        case 0x2c:
          spec.thousands = true;
          break;
        case 0x6c: // 'l' and 'll' change nothing for SQL arguments
          c = at(++i);
          if (c === 0x6c) c = at(++i);
          done = true;
          break;
        case 0x2a: {
          let w = Number(BigInt.asIntN(32, args.int()));
          if (w < 0) {
            spec.leftJustify = true;
            w = w >= -2147483647 ? -w : 0;
          }
          spec.width = w;
          c = at(i + 1);
          if (c !== 0x2e && c !== 0x6c) {
            c = at(++i);
            done = true;
          }
          break;
        }
        case 0x2e: {
          c = at(++i);
          if (c === 0x2a) {
            let p = Number(BigInt.asIntN(32, args.int()));
            if (p < 0) p = p >= -2147483647 ? -p : -1;
            spec.precision = p;
            c = at(++i);
          } else {
            let px = 0;
            while (isDigitByte(c)) {
              px = (px * 10 + c - 0x30) >>> 0;
              c = at(++i);
            }
            spec.precision = px & 0x7fffffff;
          }
          if (c === 0x6c) i--;
          else done = true;
          break;
        }
        default:
          if (c >= 0x31 && c <= 0x39) {
            let wx = c - 0x30;
            while (isDigitByte((c = at(++i)))) wx = (wx * 10 + c - 0x30) >>> 0;
            spec.width = wx & 0x7fffffff;
            if (c !== 0x2e && c !== 0x6c) done = true;
            else i--;
          } else done = true;
      }
    } while (!done && (c = at(++i)) !== 0);
    const conv = CONVERSIONS.get(c);
    if (!conv) return;
    convert(String.fromCharCode(c), conv, spec, args, out);
    i++;
  }
}

function convert(letter: string, conv: Conversion, spec: Spec, args: PrintfArgs, out: PrintfOutput): void {
  switch (conv.kind) {
    case 'decimal':
    case 'radix':
    case 'ordinal':
      return emit(out, integerField(letter, conv, spec, args), spec.width, spec.leftJustify);
    case 'float':
    case 'exp':
    case 'generic':
      return floatField(conv, spec, args.double(), out);
    case 'size':
      return out.append(Buffer.alloc(0));
    case 'percent':
      return emit(out, ascii('%'), spec.width, spec.leftJustify);
    case 'char':
      return charField(spec, args.text(), out);
    case 'string':
      return stringField(spec, args.text(), out);
    case 'escape':
      return escapeField(letter, spec, args.text(), out);
  }
}

function integerField(letter: string, conv: Conversion, spec: Spec, args: PrintfArgs): Buffer {
  const thousands = conv.kind === 'decimal' && spec.thousands;
  let value: bigint;
  let prefix = '';
  if (conv.signed) {
    const v = args.int();
    if (v < 0n) {
      value = -v;
      prefix = '-';
    } else {
      value = v;
      prefix = spec.prefixFlag;
    }
  } else {
    value = BigInt.asUintN(64, args.int());
  }
  let alternate = spec.alternate && value !== 0n;
  let precision = spec.precision;
  if (spec.zeroPad && precision < spec.width - (prefix ? 1 : 0)) precision = spec.width - (prefix ? 1 : 0);
  const room = precision + 10 + (thousands ? Math.trunc(precision / 3) : 0);
  if (room > MAX_TEXT_BYTES) throw tooBig();
  let digits = value.toString(conv.base);
  if (conv.upper) digits = digits.toUpperCase();
  if (conv.kind === 'ordinal') {
    let x = Number(value % 10n);
    if (x >= 4 || (value / 10n) % 10n === 1n) x = 0;
    digits += 'thstndrd'.slice(x * 2, x * 2 + 2);
  }
  if (precision > digits.length) digits = '0'.repeat(precision - digits.length) + digits;
  if (thousands) digits = groupThousands(digits);
  if (!alternate || !conv.prefix) alternate = false;
  return ascii((alternate ? conv.prefix! : '') + prefix + digits);
}

/** 1234567 → 1,234,567 (SQLite groups every digit, zero padding included). */
function groupThousands(digits: string): string {
  const head = ((digits.length - 1) % 3) + 1;
  let s = digits.slice(0, head);
  for (let k = head; k < digits.length; k += 3) s += `,${digits.slice(k, k + 3)}`;
  return s;
}

function floatField(conv: Conversion, spec: Spec, value: number, out: PrintfOutput): void {
  let kind = conv.kind;
  let precision = spec.precision < 0 ? 6 : Math.min(spec.precision, FP_PRECISION_LIMIT);
  let iRound: number;
  if (kind === 'float') iRound = -precision;
  else if (kind === 'generic') {
    if (precision === 0) precision = 1;
    iRound = precision;
  } else iRound = precision + 1;
  const s = fpDecode(value, iRound, spec.altForm2 ? 20 : 16);
  let digits = s.digits;
  let iDP = s.iDP;
  if (s.isSpecial === 2) return emit(out, ascii(spec.zeroPad ? 'null' : 'NaN'), spec.width, spec.leftJustify);
  if (s.isSpecial === 1) {
    if (!spec.zeroPad) {
      const text = s.sign === '-' ? '-Inf' : `${spec.prefixFlag}Inf`;
      return emit(out, ascii(text), spec.width, spec.leftJustify);
    }
    // With '0', an infinity prints as a 9 followed by a thousand zeros.
    digits = '9';
    iDP = 1000;
  }
  let prefix: string;
  if (s.sign === '-') {
    // %#f of a negative value that shows as zero drops the minus sign.
    prefix = spec.alternate && !spec.prefixFlag && kind === 'float' && iDP <= iRound ? '' : '-';
  } else prefix = spec.prefixFlag;
  let flagRtz: boolean;
  if (kind === 'generic') {
    precision--;
    flagRtz = !spec.alternate;
    const exp = iDP - 1;
    if (exp < -4 || exp > precision) kind = 'exp';
    else {
      precision -= exp;
      kind = 'float';
    }
  } else flagRtz = spec.altForm2;
  let e2 = kind === 'exp' ? 0 : iDP - 1;
  let needed = Math.max(e2, 0) + precision + spec.width + 10;
  if (spec.thousands && e2 > 0) needed += Math.trunc((e2 + 2) / 3);
  out.reserve(needed);
  const flagDp = precision > 0 || spec.alternate || spec.altForm2;
  let text = prefix;
  let j = 0;
  if (e2 < 0) text += '0';
  else if (spec.thousands) {
    for (; e2 >= 0; e2--) {
      text += j < digits.length ? digits[j++] : '0';
      if (e2 % 3 === 0 && e2 > 1) text += ',';
    }
  } else {
    j = Math.min(e2 + 1, digits.length);
    text += digits.slice(0, j);
    e2 -= j;
    if (e2 >= 0) {
      text += '0'.repeat(e2 + 1);
      e2 = -1;
    }
  }
  if (flagDp) text += '.';
  if (e2 < -1 && precision > 0) {
    const nn = Math.min(-1 - e2, precision);
    text += '0'.repeat(nn);
    precision -= nn;
  }
  if (precision > 0) {
    const nn = Math.min(digits.length - j, precision);
    if (nn > 0) {
      text += digits.slice(j, j + nn);
      precision -= nn;
    }
    if (precision > 0 && !flagRtz) text += '0'.repeat(precision);
  }
  if (flagRtz && flagDp) {
    text = text.replace(/0+$/, '');
    if (text.endsWith('.')) text = spec.altForm2 ? `${text}0` : text.slice(0, -1);
  }
  if (kind === 'exp') {
    const exp = iDP - 1;
    text += `${conv.upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (text.length < spec.width) {
    const pad = spec.width - text.length;
    if (spec.leftJustify) text += ' '.repeat(pad);
    else if (!spec.zeroPad) text = ' '.repeat(pad) + text;
    else text = text.slice(0, prefix.length) + '0'.repeat(pad) + text.slice(prefix.length);
  }
  out.append(ascii(text));
}
