// Tokens of the .snn language. The lexer never throws: unknown characters become `error` tokens.

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'newline' | 'eof' | 'error';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: the unquoted value). */
  text: string;
  start: number;
  end: number;
  /** Whitespace or a comment separates this token from the previous one. */
  spaced: boolean;
}

export interface Comment {
  start: number;
  end: number;
  text: string;
  doc: boolean;
  block: boolean;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: { start: number; end: number; message: string }[];
}

const PUNCT2 = new Set(['->', '..', '+=', '-=', '*=', '/=', '<=', '>=', '==', '!=', '&&', '||']);
const PUNCT2_FIRST = new Set([...PUNCT2].map((p) => p.charCodeAt(0)));
const PUNCT1 = '{}()[],;:=+-*/^<>.!';

/** After these tokens a newline does not end the statement (the expression continues). */
const CONTINUES = new Set(['+', '-', '*', '/', '^', ',', '=', '<', '>', '<=', '>=', '==', '!=', '&&', '||', '->', '..', '+=', '-=', '*=', '/=', 'and', 'or', 'not']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: LexResult['errors'] = [];
  const n = text.length;
  let i = 0;
  let spaced = true;
  // Newlines inside ( ) and [ ] are insignificant; braces reset the count so that an
  // unclosed parenthesis cannot swallow the rest of the file.
  let depth = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number) => {
    tokens.push({ kind, text: value, start, end, spaced });
    spaced = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      const last = tokens[tokens.length - 1];
      const continues = last && (last.kind === 'punct' || last.kind === 'ident') && CONTINUES.has(last.text);
      if (depth === 0 && !continues && last && last.kind !== 'newline') push('newline', '\n', i, i + 1);
      i++;
      spaced = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      i++;
      spaced = true;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== 10) j++;
      const doc = text.charCodeAt(i + 2) === 47 && text.charCodeAt(i + 3) !== 47;
      comments.push({ start: i, end: j, text: text.slice(i + (doc ? 3 : 2), j), doc, block: false });
      i = j;
      spaced = true;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      const j = close < 0 ? n : close + 2;
      if (close < 0) errors.push({ start: i, end: Math.min(n, i + 2), message: 'unterminated block comment: add `*/`' });
      comments.push({ start: i, end: j, text: text.slice(i + 2, close < 0 ? n : close), doc: false, block: true });
      i = j;
      spaced = true;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      push('ident', text.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && text.charCodeAt(i - 1) !== 46)) {
      let j = i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      // A '.' followed by '.' is the range operator, not a decimal point.
      if (text.charCodeAt(j) === 46 && text.charCodeAt(j + 1) !== 46) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      const e = text.charCodeAt(j);
      if (e === 101 || e === 69) {
        let k = j + 1;
        const s = text.charCodeAt(k);
        if (s === 43 || s === 45) k++;
        if (isDigit(text.charCodeAt(k))) {
          while (k < n && isDigit(text.charCodeAt(k))) k++;
          j = k;
        }
      }
      push('number', text.slice(i, j), i, j);
      i = j;
      continue;
    }
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) {
        if (text.charCodeAt(j) === 92) j++;
        j++;
      }
      if (j >= n || text.charCodeAt(j) !== 34) {
        errors.push({ start: i, end: Math.min(j, n), message: 'unterminated string: add the closing `"`' });
        push('string', text.slice(i + 1, Math.min(j, n)), i, Math.min(j, n));
        i = Math.min(j, n);
      } else {
        push('string', text.slice(i + 1, j).replace(/\\(.)/g, '$1'), i, j + 1);
        i = j + 1;
      }
      continue;
    }
    let p: string | undefined;
    const c2 = text.charCodeAt(i + 1);
    if (c === 46 && c2 === 46 && text.charCodeAt(i + 2) === 46) p = '...';
    else if (PUNCT2_FIRST.has(c) && PUNCT2.has(text[i] + text[i + 1])) p = text[i] + text[i + 1];
    else if (PUNCT1.includes(text[i])) p = text[i];
    if (p) {
      if (p === '(' || p === '[') depth++;
      else if ((p === ')' || p === ']') && depth > 0) depth--;
      else if (p === '{' || p === '}') depth = 0;
      push('punct', p, i, i + p.length);
      i += p.length;
      continue;
    }
    // Anything else (non-ASCII, control characters, stray symbols): one error token per run.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 10 || d === 32 || isIdentStart(d) || isDigit(d) || PUNCT1.includes(text[j]) || d === 34) break;
      j++;
    }
    errors.push({ start: i, end: j, message: `unexpected character${j - i > 1 ? 's' : ''} '${text.slice(i, Math.min(j, i + 12)).replace(/[^\x20-\x7e]/g, '?')}'` });
    push('error', text.slice(i, j), i, j);
    i = j;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n, spaced: true });
  return { tokens, comments, errors };
}
