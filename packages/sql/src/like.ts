/**
 * SQLite's LIKE: `%` any run, `_` one character, case-insensitive for ASCII letters only.
 * GLOB: `*`, `?`, `[...]`, case-sensitive. Patterns are compiled to RegExps once and cached.
 */
const likeCache = new Map<string, RegExp>();
const globCache = new Map<string, RegExp>();

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

export function likeMatches(value: string, pattern: string, escape?: string): boolean {
  const cacheKey = escape === undefined ? pattern : `${escape}\u0000${pattern}`;
  let re = likeCache.get(cacheKey);
  if (!re) {
    let src = '';
    const chars = [...pattern];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (escape !== undefined && c === escape && i + 1 < chars.length) src += asciiCaseless(chars[++i]!);
      else if (c === '%') src += '[\\s\\S]*';
      else if (c === '_') src += '[\\s\\S]';
      else src += asciiCaseless(c);
    }
    re = new RegExp(`^${src}$`, 'u');
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(cacheKey, re);
  }
  return re.test(value);
}

function asciiCaseless(c: string): string {
  return /[A-Za-z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegex(c);
}

export function globMatches(value: string, pattern: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    let src = '';
    const chars = [...pattern];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === '*') src += '[\\s\\S]*';
      else if (c === '?') src += '[\\s\\S]';
      else if (c === '[') {
        const close = chars.indexOf(']', i + 2);
        if (close < 0) src += '\\[';
        else {
          let body = chars.slice(i + 1, close).join('');
          if (body.startsWith('^')) body = `\\^${body.slice(1)}`;
          src += `[${body.replace(/\\/g, '\\\\')}]`.replace(/^\[\\\^/, '[^');
          i = close;
        }
      } else src += escapeRegex(c);
    }
    re = new RegExp(`^${src}$`, 'u');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re.test(value);
}
