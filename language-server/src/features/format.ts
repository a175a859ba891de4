// Formatting: indentation by brace depth, single spaces between tokens where the author put
// whitespace, no trailing whitespace, at most one blank line, a final newline. Spacing that
// carries meaning (`mV/ms` vs `mV / ms`) is never added or removed, so the result parses to
// the same tree; applying it twice changes nothing. Linear in the size of the text.
import { lex } from '../lexer';

/** The indentation unit of formatted .snn text (package.json's `[snn]` editor defaults match it). */
export const FORMAT_INDENT = '  ';

export function format(text: string, indentUnit = FORMAT_INDENT): string {
  const { comments } = lex(text);
  const out: string[] = [];
  let depth = 0;
  let ci = 0;
  let blank = 0;
  // Walk the lines with their real offsets (a CRLF ending is two characters).
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const raw = text.slice(lineStart, contentEnd);
    const start = lineStart;
    lineStart = lineEnd + 1;
    // Lines inside a block comment (after its first line) are left as they are.
    while (ci < comments.length && comments[ci].end <= start) ci++;
    const c = comments[ci];
    if (c && c.block && c.start < start && start < c.end) {
      out.push(raw.replace(/\s+$/, ''));
      blank = 0;
      continue;
    }
    const { body, closesLeading, net } = normalise(raw);
    if (!body) {
      blank++;
      if (blank <= 1 && out.length > 0) out.push('');
      continue;
    }
    blank = 0;
    out.push(indentUnit.repeat(Math.max(0, depth - closesLeading)) + body);
    depth = Math.max(0, depth + net);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

/** Collapses whitespace runs outside strings and comments; counts braces. */
function normalise(raw: string): { body: string; closesLeading: number; net: number } {
  const s = raw.trim();
  const parts: string[] = [];
  let net = 0;
  let closesLeading = 0;
  let leading = true;
  let space = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (ch === ' ' || ch === '\t') {
      space = true;
      i++;
      continue;
    }
    if (space) {
      parts.push(' ');
      space = false;
    }
    if (ch === '"') {
      const j = s.indexOf('"', i + 1);
      const end = j < 0 ? s.length : j + 1;
      parts.push(s.slice(i, end));
      i = end;
      leading = false;
      continue;
    }
    if (ch === '/' && (s[i + 1] === '/' || s[i + 1] === '*')) {
      const close = s[i + 1] === '/' ? -1 : s.indexOf('*/', i + 2);
      const end = close < 0 ? s.length : close + 2;
      parts.push(s.slice(i, end));
      i = end;
      continue;
    }
    // A run of ordinary characters in one piece.
    let j = i;
    while (j < s.length) {
      const d = s[j];
      if (d === ' ' || d === '\t' || d === '"' || (d === '/' && (s[j + 1] === '/' || s[j + 1] === '*'))) break;
      if (d === '{') {
        net++;
        leading = false;
      } else if (d === '}') {
        net--;
        if (leading) closesLeading++;
      } else leading = false;
      j++;
    }
    parts.push(s.slice(i, j));
    i = j;
  }
  return { body: parts.join(''), closesLeading, net };
}
