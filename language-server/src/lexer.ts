// Tokens of the .snn language. The lexer never throws: unknown characters become `error` tokens.
import { firstIndexWhere } from './text';

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

/** Where re-lexing may stop: after `from` (new offsets), old tokens (shifted by delta) are taken over. */
interface Resync {
  from: number;
  delta: number;
  old: LexResult;
}

const PUNCT2 = new Set(['->', '..', '+=', '-=', '*=', '/=', '<=', '>=', '==', '!=', '&&', '||']);
const PUNCT2_FIRST = new Set([...PUNCT2].map((p) => p.charCodeAt(0)));
const PUNCT1 = '{}()[],;:=+-*/^<>.!%';

/** After these tokens a newline does not end the statement (the expression continues). */
const CONTINUES = new Set(['+', '-', '*', '/', '%', '^', ',', '=', '<', '>', '<=', '>=', '==', '!=', '&&', '||', '->', '..', '+=', '-=', '*=', '/=', 'and', 'or', 'not']);

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
  const out: LexResult = { tokens: [], comments: [], errors: [] };
  lexFrom(text, 0, out);
  return out;
}

/**
 * Re-lexes `text` after an edit of `oldText` (lexed as `old`): the tokens before the edit are
 * kept, lexing restarts at the last line end before it and stops at the first line end after it
 * that the old lexing had too; the old tokens after it are taken over,
 * shifted. The old result is consumed: its arrays are updated in place (no copy of a large file's
 * tokens). `adopted`: index of the first taken-over token (tokens.length when none).
 */
export function relex(old: LexResult, oldText: string, text: string, edit: { start: number; oldEnd: number; newEnd: number }): { result: LexResult; adopted: number } {
  const toks = old.tokens;
  // The last newline token that ends at or before the edit: the lexer's state there is simple.
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid].end <= edit.start) lo = mid + 1;
    else hi = mid;
  }
  let r = lo - 1;
  while (r >= 0 && toks[r].kind !== 'newline') r--;
  const at = r < 0 ? 0 : toks[r].end;
  const delta = text.length - oldText.length;
  // The re-lexed part, seeded with the newline it starts after (the lexer looks at the last token).
  const seed = r < 0 ? 0 : 1;
  const mid: LexResult = { tokens: r < 0 ? [] : [toks[r]], comments: [], errors: [] };
  const found = lexFrom(text, at, mid, { from: edit.newEnd, delta, old });
  const newToks = mid.tokens.slice(seed);
  const oldAt = found < 0 ? Infinity : toks[found].start;
  const comments = old.comments.filter((c) => c.start < at);
  comments.push(...mid.comments);
  const errors = old.errors.filter((e) => e.start < at);
  errors.push(...mid.errors);
  if (found < 0) {
    toks.length = r + 1;
    for (let k = 0; k < newToks.length; k++) toks.push(newToks[k]);
    return { result: { tokens: toks, comments, errors }, adopted: toks.length };
  }
  for (let k = found + 1; k < toks.length; k++) {
    const t = toks[k];
    t.start += delta;
    t.end += delta;
  }
  for (const c of old.comments) {
    if (c.start <= oldAt) continue;
    c.start += delta;
    c.end += delta;
    comments.push(c);
  }
  for (const e of old.errors) if (e.start > oldAt) errors.push({ ...e, start: e.start + delta, end: e.end + delta });
  // The old tokens r+1 ..= found are replaced by the re-lexed ones (found: the matching newline).
  const tokens = replaceRange(toks, r + 1, found - r, newToks);
  return { result: { tokens, comments, errors }, adopted: r + 1 + newToks.length };
}

/** `arr` with `count` elements at `from` replaced by `items`: in place when `items` is short enough to spread. */
function replaceRange<T>(arr: T[], from: number, count: number, items: T[]): T[] {
  if (items.length < 10_000) {
    arr.splice(from, count, ...items);
    return arr;
  }
  return arr.slice(0, from).concat(items, arr.slice(from + count));
}

/** Lexes from offset `from` into `into`; with `resync`, stops where the old lexing can be taken over and returns the old newline token's index there (else -1). */
function lexFrom(text: string, from: number, into: LexResult, resync?: Resync): number {
  const { tokens, comments, errors } = into;
  const n = text.length;
  let i = from;
  let spaced = true;
  // Newlines inside ( ) and [ ] are insignificant; braces reset the count so that an
  // unclosed parenthesis cannot swallow the rest of the file.
  // (A newline token is only made at depth 0: lexing restarts after one with depth 0.)
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
      if (depth === 0 && !continues && last && last.kind !== 'newline') {
        push('newline', '\n', i, i + 1);
        if (resync && i >= resync.from) {
          const found = sameState(resync, i);
          if (found >= 0) return found;
        }
      }
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
  return -1;
}

/**
 * The index of the old newline token at new offset `at` (shifted), else -1. After a newline token
 * the lexer's state is always the same (depth 0, the last token a newline), so the old tokens
 * after it are what lexing the rest would give.
 */
function sameState(rs: Resync, at: number): number {
  const { old, delta } = rs;
  const oldAt = at - delta;
  const toks = old.tokens;
  const lo = firstIndexWhere(toks.length, (i) => toks[i].start < oldAt);
  return lo < toks.length && toks[lo].start === oldAt && toks[lo].kind === 'newline' ? lo : -1;
}
