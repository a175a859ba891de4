// Formatting: indentation by brace depth (2 spaces), single spaces between tokens where the
// author put whitespace, no trailing whitespace, at most one blank line, a final newline.
// Spacing that carries meaning (`mV/ms` vs `mV / ms`) is never added or removed, so the
// result parses to the same tree; applying it twice changes nothing.
import { lex } from '../lexer';

export function format(text: string, indentUnit = '  '): string {
  const { comments } = lex(text);
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let depth = 0;
  let offset = 0;
  let ci = 0;
  let blank = 0;
  for (const raw of lines) {
    const lineStart = offset;
    offset += raw.length + 1;
    // Lines inside a block comment (after its first line) are left as they are.
    while (ci < comments.length && comments[ci].end <= lineStart) ci++;
    const c = comments[ci];
    if (c && c.block && c.start < lineStart && lineStart < c.end) {
      out.push(raw.replace(/\s+$/, ''));
      blank = 0;
      continue;
    }
    const { body, opens, closesLeading, net } = normalise(raw);
    if (!body) {
      blank++;
      if (blank <= 1 && out.length > 0) out.push('');
      continue;
    }
    blank = 0;
    const level = Math.max(0, depth - closesLeading);
    out.push(indentUnit.repeat(level) + body);
    depth = Math.max(0, depth + net);
    void opens;
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

/** Collapses whitespace runs outside strings and comments; counts braces. */
function normalise(raw: string): { body: string; opens: number; closesLeading: number; net: number } {
  const s = raw.trim();
  let out = '';
  let net = 0;
  let opens = 0;
  let closesLeading = 0;
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      const j = s.indexOf('"', i + 1);
      const end = j < 0 ? s.length : j + 1;
      out += s.slice(i, end);
      i = end - 1;
      leading = false;
      continue;
    }
    if (ch === '/' && (s[i + 1] === '/' || s[i + 1] === '*')) {
      const isLine = s[i + 1] === '/';
      const close = isLine ? -1 : s.indexOf('*/', i + 2);
      const end = isLine || close < 0 ? s.length : close + 2;
      out += s.slice(i, end);
      i = end - 1;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (!out.endsWith(' ')) out += ' ';
      continue;
    }
    if (ch === '{') {
      net++;
      opens++;
      leading = false;
    } else if (ch === '}') {
      net--;
      if (leading) closesLeading++;
    } else leading = false;
    out += ch;
  }
  return { body: out.trimEnd(), opens, closesLeading, net };
}
