import { emit, tooBig, utf8Width, MAX_TEXT_BYTES, type PrintfOutput, type Spec } from './printf-args.js';

// printf's text conversions: %s (and %z), %c, and the quoting ones %q %Q %w. Precision and width
// count UTF-8 bytes, or characters with the '!' flag.

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

export function stringField(spec: Spec, arg: Buffer | null, out: PrintfOutput): void {
  const text = arg ?? Buffer.alloc(0);
  let length = text.length;
  if (spec.precision >= 0) {
    if (spec.altForm2) {
      let k = 0;
      for (let left = spec.precision; left > 0 && k < text.length; left--) {
        if (text[k++]! >= 0xc0) while (k < text.length && (text[k]! & 0xc0) === 0x80) k++;
      }
      length = k;
    } else length = Math.min(spec.precision, text.length);
  }
  const body = text.subarray(0, length);
  emit(out, body, utf8Width(body, spec.width, spec.altForm2), spec.leftJustify);
}

export function charField(spec: Spec, text: Buffer | null, out: PrintfOutput): void {
  // The first character (a NUL byte when there is none, as SQLite writes).
  let ch: Buffer = Buffer.from([0]);
  if (text && text.length > 0) {
    let len = 1;
    if ((text[0]! & 0xc0) === 0xc0) while (len < 4 && len < text.length && (text[len]! & 0xc0) === 0x80) len++;
    ch = text.subarray(0, len);
  }
  let width = spec.width;
  let precision = spec.precision;
  if (precision > 1) {
    width -= precision - 1;
    if (width > 1 && !spec.leftJustify) {
      out.appendRepeated(width - 1, 0x20);
      width = 0;
    }
    out.reserve(ch.length * (precision - 1));
    for (; precision > 1; precision--) out.append(ch);
  }
  emit(out, ch, utf8Width(ch, width, true), spec.leftJustify);
}

/** %q and %Q double single quotes, %w double quotes; %Q adds the quotes (NULL unquoted). */
export function escapeField(letter: string, spec: Spec, arg: Buffer | null, out: PrintfOutput): void {
  const quote = letter === 'w' ? 0x22 : 0x27;
  const escarg = arg ?? ascii(letter === 'Q' ? 'NULL' : '(NULL)');
  let needQuote = arg !== null && letter === 'Q' ? 1 : 0;
  let alternate = letter === 'w' ? false : spec.alternate;
  // The precision counts bytes of the input (characters with '!').
  let i = 0;
  for (let k = spec.precision; k !== 0 && i < escarg.length; i++, k--) {
    if (spec.altForm2 && (escarg[i]! & 0xc0) === 0xc0) while (i + 1 < escarg.length && (escarg[i + 1]! & 0xc0) === 0x80) i++;
  }
  const input = escarg.subarray(0, i);
  if (alternate) {
    // %#q escapes backslashes and control characters as unistr() reads them; %#Q only when
    // there is a control character, and then wraps the text in unistr('…').
    const hasControl = input.some((b) => b <= 0x1f);
    if (hasControl || letter === 'q') {
      if (letter === 'Q') needQuote = 2;
    } else alternate = false;
  }
  const parts: number[] = [];
  const push = (s: string): void => {
    for (let k = 0; k < s.length; k++) parts.push(s.charCodeAt(k));
  };
  if (needQuote === 2) push("unistr('");
  else if (needQuote) parts.push(0x27);
  for (const ch of input) {
    if (ch === quote) parts.push(ch, ch);
    else if (alternate && ch === 0x5c) parts.push(0x5c, 0x5c);
    else if (alternate && ch <= 0x1f) push(`\\u00${ch >= 0x10 ? '1' : '0'}${(ch & 0xf).toString(16)}`);
    else parts.push(ch);
  }
  if (needQuote) parts.push(0x27);
  if (needQuote === 2) parts.push(0x29);
  if (parts.length + 3 > MAX_TEXT_BYTES) throw tooBig();
  const body = Buffer.from(parts);
  emit(out, body, utf8Width(body, spec.width, spec.altForm2), spec.leftJustify);
}
