// Arguments of a dot command, split as sqlite3's shell splits them: on whitespace, with
// "double quotes" (backslash escapes \n \t \r \\ \" inside) and 'single quotes' (taken literally)
// around an argument that holds spaces. A quote inside an argument (`{"a":1}`) is an ordinary character.

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };

/** `.put "my key" 'a b'` → ['.put', 'my key', 'a b']. An unclosed quote runs to the end of the line. */
export function splitDotArgs(line: string): string[] {
  const args: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) return args;
    const c = line[i]!;
    if (c === '"') {
      let arg = '';
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < n) {
          const next = line[i + 1]!;
          arg += ESCAPES[next] ?? '\\' + next;
          i += 2;
        } else {
          arg += line[i];
          i++;
        }
      }
      args.push(arg);
      i++; // the closing quote
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      const end = close === -1 ? n : close;
      args.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      const start = i;
      while (i < n && !/\s/.test(line[i]!)) i++;
      args.push(line.slice(start, i));
    }
  }
}
