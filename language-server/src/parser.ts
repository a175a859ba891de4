// Recursive-descent parser with error recovery: a syntax error is reported once, the parser
// skips to the next statement (newline, `;` or `}`) and keeps going, so one typo does not hide
// the rest of the file's errors. It never throws, and nesting depth is bounded.
import { firstIndexWhere } from './text';
import type * as A from './ast';
import { lex, relex, type LexResult, type Token } from './lexer';
import { isUnitSymbol } from './units';

const TOP_KEYWORDS = new Set([
  'model', 'import', 'neuron', 'synapse', 'population', 'connect', 'input', 'readout', 'probe',
  'task', 'concept', 'target', 'simulate',
]);
export const TOP_LEVEL_KEYWORDS = [...TOP_KEYWORDS];
export const MODEL_SECTIONS = ['parameters', 'state', 'equations', 'method', 'spike', 'reset', 'refractory', 'on_pre', 'on_post', 'summed', 'compartments'];
/** The sections a compartment (`compartments { soma { … } }`) may hold. */
export const COMPARTMENT_SECTIONS = ['parameters', 'state', 'equations'];
/** The axial current every compartment has (`I_axial`, flattened `<name>_I_axial`). */
export const AXIAL_CURRENT = 'I_axial';
const STATEMENT_KEYS = new Set(['on_pre', 'on_post']);
/** Properties whose value is a block of properties (`segments: { count: 4; threshold: 10 }`). */
const BLOCK_KEYS = new Set(['segments', 'pathways']);
const MAX_DEPTH = 200;
const MAX_TREE_DEPTH = 1000;

const BINARY_PREC: Record<string, number> = {
  or: 1, '||': 1, and: 2, '&&': 2,
  '<': 3, '<=': 3, '>': 3, '>=': 3, '==': 3, '!=': 3,
  '+': 4, '-': 4, '*': 5, '/': 5, '%': 5,
};

class Bail extends Error {}

export function parse(text: string): A.SnnFile {
  return parseState(text).ast;
}

/**
 * The state of the top-level loop before each item: where the parser stood (token index), how
 * many items and parse errors it had, and the error de-duplication position. Items parsed from
 * equal tokens and an equal checkpoint are equal, which is what incremental parsing relies on.
 */
interface Checkpoint {
  tok: number;
  items: number;
  errors: number;
  lastErrorAt: number;
}

/** A parse that can be updated after an edit (see reparse). */
export interface ParseState {
  text: string;
  ast: A.SnnFile;
  lexed: LexResult;
  /** Errors of the parser proper (ast.errors = lexer errors, then these). */
  parseErrors: A.SyntaxError[];
  checkpoints: Checkpoint[];
}

export function parseState(text: string): ParseState {
  const lexed = lex(text);
  return new Parser(text, lexed).parseFile();
}

/**
 * The parse of `text`, an edit of `prev.text`, equal to parse(text): the text is re-lexed only
 * around the edit, and only the top-level items from the last checkpoint before the edit to the
 * first checkpoint after it whose tokens and parser state are the old ones (shifted) are parsed
 * again; the items after it are the old nodes with their offsets shifted in place. `prev` is
 * consumed (its nodes now belong to the new state).
 */
export function reparse(prev: ParseState, text: string): ParseState {
  const old = prev.text;
  if (old === text) return prev;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
  const edit = { start: p, oldEnd: old.length - s, newEnd: text.length - s };
  const delta = text.length - old.length;
  const oldTokCount = prev.lexed.tokens.length;
  const { result: lexed, adopted } = relex(prev.lexed, old, text, edit);
  // Restart at the last checkpoint whose item and the tokens it may look at lie in the kept prefix.
  // (A token's end depends on up to three characters after it: 1e-5.)
  const keptPrefix = firstChanged(lexed.tokens, edit.start - 3);
  let c = prev.checkpoints.length - 1;
  while (c >= 0 && prev.checkpoints[c].tok + 3 > keptPrefix) c--;
  const parser = new Parser(text, lexed);
  // Before the first item: from the start, with the state of a fresh parser.
  const cp = c < 0 ? { tok: 0, items: 0, errors: 0, lastErrorAt: -1 } : prev.checkpoints[c];
  return parser.parseFile({ cp, items: prev.ast.items.slice(0, cp.items), errors: prev.parseErrors.slice(0, cp.errors), checkpoints: prev.checkpoints.slice(0, Math.max(0, c)), prev, adopted, tokDelta: lexed.tokens.length - oldTokCount, delta });
}

/** Number of leading tokens that end before the edit (unchanged by it). */
function firstChanged(toks: Token[], at: number): number {
  return firstIndexWhere(toks.length, (i) => toks[i].end < at);
}

const SHIFTED = ['start', 'end', 'bodyStart'] as const;

/** Adds `delta` to every offset in a syntax subtree (each object once). */
function shiftTree(node: unknown, delta: number, seen: Set<object>): void {
  const stack: unknown[] = [node];
  while (stack.length) {
    const o = stack.pop();
    if (typeof o !== 'object' || o === null || seen.has(o)) continue;
    seen.add(o);
    if (Array.isArray(o)) {
      for (const x of o) if (typeof x === 'object' && x !== null) stack.push(x);
      continue;
    }
    const r = o as Record<string, unknown>;
    for (const k of SHIFTED) if (typeof r[k] === 'number') (r[k] as number) += delta;
    for (const k in r) {
      const v = r[k];
      if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
}

interface Resume {
  cp: Checkpoint;
  items: A.Item[];
  errors: A.SyntaxError[];
  checkpoints: Checkpoint[];
  prev: ParseState;
  /** Index of the first token taken over from the old lexing. */
  adopted: number;
  tokDelta: number;
  delta: number;
}

class Parser {
  private toks: Token[];
  private pos = 0;
  private errors: A.SyntaxError[] = [];
  private comments: A.SnnFile['comments'];
  private depth = 0;
  private lastErrorAt = -1;

  constructor(private text: string, private lexed: LexResult) {
    this.toks = lexed.tokens;
    this.comments = lexed.comments;
  }

  // ---- token helpers -----------------------------------------------------------------------
  private get tok(): Token {
    return this.toks[this.pos];
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private is(text: string, t: Token = this.tok): boolean {
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  private eat(text: string): Token | undefined {
    if (this.is(text)) return this.next();
    return undefined;
  }
  private prevEnd(): number {
    return this.pos > 0 ? this.toks[this.pos - 1].end : 0;
  }
  private error(message: string, start = this.tok.start, end = Math.max(this.tok.end, start), code = 'syntax'): void {
    // One error per position: cascades after a bad token add nothing for the reader.
    if (start === this.lastErrorAt) return;
    this.lastErrorAt = start;
    if (end === start && start >= this.text.length && this.text.length > 0) start = end = this.text.length;
    this.errors.push({ start, end, message, code });
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'newline') return 'end of line';
    if (t.kind === 'string') return 'a string';
    return `'${t.text.length > 20 ? t.text.slice(0, 20) + '…' : t.text}'`;
  }
  private expect(text: string, what = `'${text}'`): Token | undefined {
    if (this.is(text)) return this.next();
    const t = this.tok;
    // Point at the end of the previous token when the problem is a missing token at line end.
    const at = t.kind === 'newline' || t.kind === 'eof' ? this.prevEnd() : t.start;
    this.error(`expected ${what}, found ${this.describe(t)}`, at, t.kind === 'newline' || t.kind === 'eof' ? at : t.end);
    return undefined;
  }
  private ident(what: string): A.Ident | undefined {
    const t = this.tok;
    if (t.kind === 'ident') {
      this.next();
      return { name: t.text, start: t.start, end: t.end };
    }
    const at = t.kind === 'newline' || t.kind === 'eof' ? this.prevEnd() : t.start;
    this.error(`expected ${what}, found ${this.describe(t)}`, at, t.kind === 'newline' || t.kind === 'eof' ? at : t.end);
    return undefined;
  }
  private skipNewlines(): void {
    while (this.tok.kind === 'newline' || this.is(';')) this.next();
  }
  private atLineStartKeyword(): boolean {
    const t = this.tok;
    if (t.kind !== 'ident' || !TOP_KEYWORDS.has(t.text)) return false;
    // `target += w` inside a synapse is a statement, not the start of a `target` block.
    const after = this.peek();
    if (!(after.kind === 'ident' || after.kind === 'string' || this.is('{', after))) return false;
    const prev = this.toks[this.pos - 1];
    return !prev || prev.kind === 'newline' || this.is(';', prev) || this.is('{', prev) || this.is('}', prev);
  }
  /** Skip to the end of the current statement, stepping over nested braces. */
  private syncStatement(): void {
    let braces = 0;
    while (this.tok.kind !== 'eof') {
      const t = this.tok;
      if (braces === 0 && (t.kind === 'newline' || this.is(';') || this.is('}'))) return;
      if (braces === 0 && this.atLineStartKeyword()) return;
      if (this.is('{')) braces++;
      if (this.is('}')) braces--;
      this.next();
    }
  }
  /** End of statement: newline, `;`, `}` or end of file. Anything else is reported and skipped. */
  private endStatement(): void {
    const t = this.tok;
    if (t.kind === 'newline' || this.is(';')) {
      this.next();
      return;
    }
    if (this.is('}') || t.kind === 'eof') return;
    this.error(`expected end of statement, found ${this.describe(t)}`);
    this.syncStatement();
    if (this.tok.kind === 'newline' || this.is(';')) this.next();
  }
  private docBefore(offset: number): string | undefined {
    // Doc comments (`///`) that immediately precede `offset`.
    const lines: string[] = [];
    let end = offset;
    // Last comment that ends at or before `offset` (comments are in source order).
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0; k--) {
      const c = this.comments[k];
      if (c.end > end) continue;
      if (!c.doc || /\S/.test(this.text.slice(c.end, end))) break;
      lines.unshift(c.text.trim());
      end = c.start;
    }
    return lines.length ? lines.join('\n') : undefined;
  }

  // ---- file ----------------------------------------------------------------------------------
  parseFile(resume?: Resume): ParseState {
    const items: A.Item[] = resume?.items ?? [];
    const checkpoints: Checkpoint[] = resume?.checkpoints ?? [];
    if (resume) {
      this.pos = resume.cp.tok;
      this.errors = resume.errors;
      this.lastErrorAt = resume.cp.lastErrorAt;
    }
    const finish = (): ParseState => {
      const ast: A.SnnFile = { items, errors: [...this.lexed.errors.map((e) => ({ ...e, code: 'syntax' })), ...this.errors], comments: this.comments, text: this.text };
      return { text: this.text, ast, lexed: this.lexed, parseErrors: this.errors, checkpoints };
    };
    for (;;) {
      this.skipNewlines();
      const t = this.tok;
      if (t.kind === 'eof') break;
      const cp: Checkpoint = { tok: this.pos, items: items.length, errors: this.errors.length, lastErrorAt: this.lastErrorAt };
      if (resume && this.pos - 1 >= resume.adopted && this.takeOver(resume, cp, items, checkpoints)) return finish();
      checkpoints.push(cp);
      const before = this.pos;
      try {
        const item = this.parseItem();
        if (item) items.push(item);
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
      }
      if (this.pos === before) {
        // Nothing consumed: skip the offending token so that the loop always advances.
        if (this.is('}')) this.error("unmatched '}'");
        this.next();
        this.syncTopLevel();
      }
    }
    return finish();
  }

  /**
   * At a checkpoint past the edit whose token and the one before it were taken over from the old
   * lexing: if the old parse had a checkpoint there in the same state, the rest of the old parse
   * (shifted) is the rest of this one.
   */
  private takeOver(r: Resume, cp: Checkpoint, items: A.Item[], checkpoints: Checkpoint[]): boolean {
    const olds = r.prev.checkpoints;
    const want = cp.tok - r.tokDelta;
    const lo = firstIndexWhere(olds.length, (i) => olds[i].tok < want);
    const o = olds[lo];
    if (!o || o.tok !== want) return false;
    // Later errors start at or after the end of the token before the item: a de-duplication
    // position before it has no effect, one at or after it must be the same.
    const end = this.toks[cp.tok - 1].end;
    const same = o.lastErrorAt + r.delta === cp.lastErrorAt || (o.lastErrorAt < end - r.delta && cp.lastErrorAt < end);
    if (!same) return false;
    const { delta } = r;
    const seen = new Set<object>();
    const itemDelta = items.length - o.items;
    const errDelta = this.errors.length - o.errors;
    for (let k = lo; k < olds.length; k++) {
      const q = olds[k];
      checkpoints.push({ tok: q.tok + r.tokDelta, items: q.items + itemDelta, errors: q.errors + errDelta, lastErrorAt: q.lastErrorAt < 0 ? q.lastErrorAt : q.lastErrorAt + delta });
    }
    const tail = r.prev.ast.items.slice(o.items);
    if (delta) for (const it of tail) shiftTree(it, delta, seen);
    items.push(...tail);
    for (const e of r.prev.parseErrors.slice(o.errors)) this.errors.push(delta ? { ...e, start: e.start + delta, end: e.end + delta } : e);
    return true;
  }

  private syncTopLevel(): void {
    while (this.tok.kind !== 'eof' && !this.atLineStartKeyword()) this.next();
  }

  private parseItem(): A.Item | undefined {
    const t = this.tok;
    if (t.kind !== 'ident' || !TOP_KEYWORDS.has(t.text)) {
      const hint = t.kind === 'ident' ? this.suggestKeyword(t.text) : '';
      this.error(`expected a definition (${[...TOP_KEYWORDS].join(', ')}), found ${this.describe(t)}${hint}`);
      this.next();
      this.syncTopLevel();
      return undefined;
    }
    const kw: A.Ident = { name: t.text, start: t.start, end: t.end };
    const doc = this.docBefore(t.start);
    this.next();
    switch (kw.name) {
      case 'model': {
        const name = this.ident('a model name');
        if (!name) return this.syncAndNone();
        this.endStatement();
        return { kind: 'model', name, start: kw.start, end: name.end };
      }
      case 'import': {
        const s = this.tok;
        if (s.kind !== 'string') {
          this.error(`expected a file path in quotes after 'import', found ${this.describe(s)}`);
          return this.syncAndNone();
        }
        this.next();
        this.endStatement();
        return { kind: 'import', path: { kind: 'string', value: s.text, start: s.start, end: s.end }, start: kw.start, end: s.end };
      }
      case 'neuron':
      case 'synapse':
        return this.parseModel(kw, doc);
      case 'population':
        return this.parsePopulation(kw, doc);
      case 'connect':
        return this.parseConnect(kw);
      case 'probe':
        return this.parseProbe(kw);
      default:
        return this.parseBlockDef(kw, doc);
    }
  }

  private suggestKeyword(word: string): string {
    let best = '';
    let bestD = 3;
    for (const k of TOP_KEYWORDS) {
      const d = editDistance(word.toLowerCase(), k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best ? ` (did you mean '${best}'?)` : '';
  }

  private syncAndNone(): undefined {
    this.syncStatement();
    return undefined;
  }

  /** Parses `{ ... }` calling `item` for each statement; recovers inside, reports a missing `}`. */
  /** A model section keyword at the start of a statement, e.g. `state {` or `spike when`. */
  private atSectionStart(): boolean {
    const t = this.tok;
    if (t.kind !== 'ident' || !MODEL_SECTIONS.includes(t.text)) return false;
    const after = this.peek();
    return this.is('{', after) || (t.text === 'spike' && this.is('when', after)) || ((t.text === 'method' || t.text === 'refractory') && after.kind !== 'punct');
  }

  private block(open: A.Ident | Token, what: string, item: () => void, stopAtSection = false): number {
    const lb = this.expect('{', `'{' to open ${what}`);
    if (!lb) {
      this.syncStatement();
      return this.prevEnd();
    }
    for (;;) {
      this.skipNewlines();
      if (this.eat('}')) return this.prevEnd();
      if (this.tok.kind === 'eof' || this.atLineStartKeyword() || (stopAtSection && this.atSectionStart())) {
        // Probably a forgotten '}': report at the opening brace and let the outer level continue.
        this.error(`'{' of ${what} is never closed: add '}'`, lb.start, lb.end);
        return this.prevEnd();
      }
      const before = this.pos;
      try {
        item();
      } catch (e) {
        if (!(e instanceof Bail)) throw e;
        this.syncStatement();
      }
      if (this.pos === before) {
        this.error(`unexpected ${this.describe(this.tok)} in ${what}`);
        this.next();
        this.syncStatement();
      }
    }
  }

  // ---- neuron / synapse ------------------------------------------------------------------
  private parseModel(kw: A.Ident, doc: string | undefined): A.ModelDef | undefined {
    const name = this.ident(`a ${kw.name} name`);
    if (!name) return this.syncAndNone();
    const def: A.ModelDef = {
      kind: kw.name as 'neuron' | 'synapse', keyword: kw, name, doc,
      parameters: [], state: [], equations: [], sections: [], start: kw.start, end: name.end, bodyStart: this.tok.start,
    };
    def.end = this.block(kw, `${kw.name} ${name.name}`, () => this.parseSection(def));
    return def;
  }

  private parseSection(def: A.ModelDef): void {
    const t = this.tok;
    if (t.kind !== 'ident' || !MODEL_SECTIONS.includes(t.text)) {
      const hint = t.kind === 'ident' ? closest(t.text, MODEL_SECTIONS) : undefined;
      this.error(`expected a section (${MODEL_SECTIONS.join(', ')}), found ${this.describe(t)}${hint ? ` (did you mean '${hint}'?)` : ''}`);
      this.syncStatement();
      return;
    }
    const kw: A.Ident = { name: t.text, start: t.start, end: t.end };
    this.next();
    const section = (what: string, item: () => void) => {
      const end = this.block(kw, what, item, true);
      def.sections.push({ keyword: kw, start: kw.start, end });
    };
    switch (kw.name) {
      case 'parameters':
        this.eat(':');
        section('parameters', () => {
          def.parameters.push(this.parseDecl());
          this.endStatement();
        });
        return;
      case 'state':
        this.eat(':');
        section('state', () => {
          def.state.push(this.parseDecl());
          this.endStatement();
        });
        return;
      case 'equations':
        this.eat(':');
        section('equations', () => {
          def.equations.push(this.parseEquation());
          this.endStatement();
        });
        return;
      case 'compartments':
        this.eat(':');
        this.parseCompartments(kw, def);
        return;
      case 'reset':
      case 'on_pre':
      case 'on_post':
      case 'summed': {
        this.eat(':');
        const stmts = this.parseStatements(kw);
        def.sections.push({ keyword: kw, start: kw.start, end: this.prevEnd() });
        if (kw.name === 'reset') def.reset = stmts;
        else if (kw.name === 'on_pre') def.onPre = stmts;
        else if (kw.name === 'summed') def.summed = stmts;
        else def.onPost = stmts;
        return;
      }
      case 'method':
        this.eat(':');
        def.method = this.ident('an integration method (exact, exponential, euler, rk2, rk4)');
        this.endStatement();
        return;
      case 'spike':
        if (!this.eat('when')) this.eat(':');
        def.spike = this.parseExpr();
        this.endStatement();
        return;
      case 'refractory': {
        this.eat(':');
        const when = this.tok;
        if (this.eat('when')) def.refractoryWhen = { keyword: { name: 'when', start: when.start, end: when.end }, condition: this.parseExpr() };
        else if (when.kind === 'ident' && when.text === 'holding') this.error("expected a refractory period (refractory 2 ms holding [...]) or a condition (refractory when ...) before holding");
        else def.refractory = this.parseExpr();
        if (this.tok.kind === 'ident' && this.tok.text === 'holding') def.holding = this.parseHoldList();
        this.endStatement();
        return;
      }
    }
  }

  /**
   * `compartments { soma { state {…} equations {…} } dend {…} couple soma, dend { g: 10 nS } }`,
   * flattened into the model as it is read: a compartment's names get its name as a prefix
   * (`v` → `soma_v`, its equations' references too), `couple a, b { g: … }` becomes the parameter
   * `a_b_g`, and each compartment the named expression `<c>_I_axial` = Σ g·(v_other − v), which
   * its equations read as `I_axial`. The engine sees an ordinary neuron.
   */
  private parseCompartments(kw: A.Ident, def: A.ModelDef): void {
    const comp: A.CompartmentsDef = { keyword: kw, list: [], couplings: [], start: kw.start, end: kw.end };
    if (def.compartments) this.error("only one 'compartments' section per neuron: list every compartment in it", kw.start, kw.end);
    else def.compartments = comp;
    comp.end = this.block(kw, 'compartments', () => {
      const t = this.tok;
      if (t.kind === 'ident' && t.text === 'couple') comp.couplings.push(this.parseCouple());
      else if (t.kind === 'ident' && this.is('{', this.peek())) comp.list.push(this.parseCompartment());
      else {
        this.error(`expected a compartment ('soma { state {…} equations {…} }') or 'couple a, b { g: … }', found ${this.describe(t)}`);
        throw new Bail();
      }
      if (!this.is('}')) this.endStatement();
    });
    def.sections.push({ keyword: kw, start: kw.start, end: comp.end });
    if (def.compartments !== comp) return;
    const hasV = new Set(comp.list.filter((c) => c.locals.includes('v')).map((c) => c.name.name));
    for (const c of comp.list) {
      def.parameters.push(...c.parameters);
      def.state.push(...c.state);
      def.equations.push(...c.equations);
    }
    for (const cp of comp.couplings) {
      const g = cp.props.find((p) => p.key.name === 'g');
      if (!cp.a || !cp.b || !g) continue;
      cp.param = `${cp.a.name}_${cp.b.name}_g`;
      def.parameters.push({ name: { name: cp.param, start: g.key.start, end: g.key.end }, value: g.value, start: g.start, end: g.end });
    }
    // <c>_I_axial = Σ g·(v_other − v) over c's couplings (0 A without any), at the end of c's name.
    const first = new Set<string>();
    for (const c of comp.list) {
      if (first.has(c.name.name)) continue;
      first.add(c.name.name);
      const at = { start: c.name.end, end: c.name.end };
      const name = (n: string): A.Expr => ({ kind: 'name', name: n, ...at });
      let sum: A.Expr | undefined;
      for (const cp of comp.couplings) {
        if (!cp.param || !hasV.has(cp.a!.name) || !hasV.has(cp.b!.name) || cp.a!.name === cp.b!.name) continue;
        const other = cp.a!.name === c.name.name ? cp.b!.name : cp.b!.name === c.name.name ? cp.a!.name : undefined;
        if (!other) continue;
        const diff: A.Expr = { kind: 'binary', op: '-', left: name(`${other}_v`), right: name(`${c.name.name}_v`), ...at };
        const term: A.Expr = { kind: 'binary', op: '*', left: name(cp.param), right: diff, ...at };
        sum = sum ? { kind: 'binary', op: '+', left: sum, right: term, ...at } : term;
      }
      sum ??= { kind: 'number', value: 0, unit: { terms: [{ symbol: 'A', exp: 1, ...at }], ...at }, ...at };
      def.equations.push({ kind: 'alias', name: { name: `${c.name.name}_${AXIAL_CURRENT}`, ...at }, rhs: sum, ...at });
    }
  }

  private parseCompartment(): A.CompartmentDef {
    const name = this.ident('a compartment name')!;
    const c: A.CompartmentDef = { name, locals: [], parameters: [], state: [], equations: [], sections: [], start: name.start, end: name.end };
    c.end = this.block(name, `compartment ${name.name}`, () => {
      const t = this.tok;
      if (t.kind !== 'ident' || !COMPARTMENT_SECTIONS.includes(t.text) || !(this.is('{', this.peek()) || this.is(':', this.peek()))) {
        const other = t.kind === 'ident' && MODEL_SECTIONS.includes(t.text);
        this.error(other
          ? `'${t.text}' belongs to the neuron, not to a compartment: write it after 'compartments { … }' with the flattened names (${name.name}_v)`
          : `expected a compartment section (${COMPARTMENT_SECTIONS.join(', ')}), found ${this.describe(t)}`);
        throw new Bail();
      }
      const kw: A.Ident = { name: t.text, start: t.start, end: t.end };
      this.next();
      this.eat(':');
      const end = this.block(kw, `${kw.name} of compartment ${name.name}`, () => {
        if (kw.name === 'equations') c.equations.push(this.parseEquation());
        else (kw.name === 'state' ? c.state : c.parameters).push(this.parseDecl());
        this.endStatement();
      }, true);
      c.sections.push({ keyword: kw, start: kw.start, end });
    });
    for (const d of [...c.parameters, ...c.state]) c.locals.push(d.name.name);
    for (const e of c.equations) if (e.kind === 'alias') c.locals.push(e.name.name);
    const locals = new Set(c.locals);
    const prefix = `${name.name}_`;
    const rename = (e: A.Expr): void => {
      switch (e.kind) {
        case 'name':
          if (locals.has(e.name) || e.name === AXIAL_CURRENT) e.name = prefix + e.name;
          return;
        case 'binary':
          rename(e.left);
          rename(e.right);
          return;
        case 'unary':
          rename(e.operand);
          return;
        case 'call':
          for (const a of e.args) rename(a.value);
          return;
        case 'member':
          rename(e.object);
          return;
        case 'index':
          rename(e.object);
          rename(e.index);
          return;
        case 'list':
          e.items.forEach(rename);
          return;
        case 'range':
          rename(e.from);
          rename(e.to);
          return;
      }
    };
    for (const d of [...c.parameters, ...c.state]) {
      d.name.name = prefix + d.name.name;
      if (d.value) rename(d.value);
    }
    for (const e of c.equations) {
      if (e.kind === 'alias') e.name.name = prefix + e.name.name;
      else if (locals.has(e.variable.name)) e.variable.name = prefix + e.variable.name;
      rename(e.rhs);
    }
    return c;
  }

  private parseCouple(): A.CoupleDef {
    const t = this.next();
    const cp: A.CoupleDef = { keyword: { name: 'couple', start: t.start, end: t.end }, props: [], start: t.start, end: t.end };
    cp.a = this.ident('the first compartment of the coupling (couple soma, dend { g: 10 nS })');
    if (cp.a && this.expect(',', "',' between the two compartments (couple soma, dend { g: 10 nS })")) cp.b = this.ident('the second compartment');
    cp.end = this.prevEnd();
    if (!cp.b) throw new Bail();
    if (this.is('{')) {
      cp.end = this.block(cp.keyword, `couple ${cp.a!.name}, ${cp.b.name}`, () => {
        cp.props.push(this.parseProperty());
        if (!this.is('}')) this.endStatement();
      });
    } else this.error("expected '{ g: … }' with the axial conductance (couple soma, dend { g: 10 nS })", this.prevEnd(), this.prevEnd());
    return cp;
  }

  /** `holding [v, w]` / `holding []` after a refractory period or condition. */
  private parseHoldList(): A.HoldList {
    const kwTok = this.next();
    const list: A.HoldList = { keyword: { name: 'holding', start: kwTok.start, end: kwTok.end }, items: [], start: kwTok.start, end: kwTok.end };
    if (!this.expect('[', "'[' after holding (e.g. holding [v, w], or holding [] to hold nothing)")) return list;
    while (!this.is(']') && this.tok.kind !== 'eof' && this.tok.kind !== 'newline' && !this.is('}') && !this.is(';')) {
      const name = this.ident('a state variable to hold');
      if (!name) break;
      list.items.push(name);
      if (!this.eat(',')) break;
    }
    // Newlines inside [ ] are not statement ends: a missing ']' is reported where the list stops.
    if (!this.eat(']')) this.error(`expected ']' to close the holding list, found ${this.describe(this.tok)}`, this.prevEnd(), this.prevEnd());
    list.end = this.prevEnd();
    return list;
  }

  /** `{ a = 1; b += 2 }` or a single statement on the same line. */
  private parseStatements(kw: A.Ident): A.Assign[] {
    const out: A.Assign[] = [];
    if (this.is('{')) {
      this.block(kw, kw.name, () => {
        out.push(this.parseAssign());
        if (!this.is('}')) this.endStatement();
      });
    } else {
      out.push(this.parseAssign());
      this.endStatement();
    }
    return out;
  }

  private parseDecl(): A.Decl {
    const name = this.ident('a name');
    if (!name) throw new Bail();
    const d: A.Decl = { name, start: name.start, end: name.end };
    if (this.eat(':')) {
      d.unit = this.parseUnitExpr();
      if (d.unit) d.end = d.unit.end;
    }
    if (this.eat('=')) {
      d.value = this.parseExpr();
      d.end = d.value.end;
    } else if (!d.unit) {
      this.error(`expected ': unit' or '= value' after '${name.name}'`, this.prevEnd(), this.prevEnd());
    }
    return d;
  }

  private parseEquation(): A.Equation {
    const t = this.tok;
    // dv/dt = ...  lexes as ident `dv`, '/', ident `dt`, '='.
    if (t.kind === 'ident' && t.text.length > 1 && t.text[0] === 'd' && this.is('/', this.peek()) && this.peek(2).text === 'dt') {
      this.pos += 3;
      const variable: A.Ident = { name: t.text.slice(1), start: t.start + 1, end: t.end };
      this.expect('=');
      const rhs = this.parseExpr();
      return { kind: 'ode', variable, rhs, start: t.start, end: rhs.end };
    }
    const name = this.ident("an equation ('dx/dt = ...' or 'name = ...')");
    if (!name) throw new Bail();
    if (!this.expect('=')) throw new Bail();
    const rhs = this.parseExpr();
    return { kind: 'alias', name, rhs, start: name.start, end: rhs.end };
  }

  private parseAssign(): A.Assign {
    const target = this.parsePostfix();
    if (target.kind === 'error') throw new Bail();
    const t = this.tok;
    const op = ['=', '+=', '-=', '*=', '/='].includes(t.text) && t.kind === 'punct' ? t.text : undefined;
    if (!op) {
      this.error(`expected '=', '+=', '-=', '*=' or '/=' after the assigned name, found ${this.describe(t)}`, t.kind === 'newline' ? this.prevEnd() : t.start);
      throw new Bail();
    }
    this.next();
    const value = this.parseExpr();
    return { target, op: op as A.Assign['op'], value, start: target.start, end: value.end };
  }

  // ---- network items -------------------------------------------------------------------------
  private parsePopulation(kw: A.Ident, doc: string | undefined): A.PopulationDef | undefined {
    const name = this.ident('a population name');
    if (!name) return this.syncAndNone();
    if (!this.expect('=', `'=' and a neuron model (population ${name.name} = Model[size])`)) return this.syncAndNone();
    const model = this.ident('a neuron model name');
    if (!model) return this.syncAndNone();
    const pop: A.PopulationDef = { kind: 'population', keyword: kw, name, model, doc, inits: [], props: [], start: kw.start, end: model.end };
    if (this.eat('[')) {
      pop.size = this.parseExpr();
      this.expect(']', "']' after the population size");
      pop.end = this.prevEnd();
    } else {
      this.error(`expected '[size]' after '${model.name}' (e.g. ${model.name}[100])`, this.prevEnd(), this.prevEnd());
    }
    if (this.is('{')) {
      pop.bodyStart = this.tok.start;
      pop.end = this.block(kw, `population ${name.name}`, () => {
        if (this.is(':', this.peek())) pop.props.push(this.parseProperty());
        else if (this.atScheduleStart()) (pop.schedules ??= []).push(this.parseSchedule());
        else pop.inits.push(this.parseAssign());
        if (!this.is('}')) this.endStatement();
      });
    } else this.endStatement();
    return pop;
  }

  /** `every …` / `at …` in a population (a parameter named every or at is `every = …`). */
  private atScheduleStart(): boolean {
    const t = this.tok;
    if (t.kind !== 'ident' || (t.text !== 'every' && t.text !== 'at')) return false;
    const after = this.peek();
    return !(after.kind === 'punct' && ['=', '+=', '-=', '*=', '/=', ':', '.', '}', ';'].includes(after.text)) && after.kind !== 'newline' && after.kind !== 'eof';
  }

  /** `every 10 ms { v += 1 mV }`, `at 200 ms { I_e = 0.5 nA }`, `at [100 ms, 300 ms] { … }`. */
  private parseSchedule(): A.ScheduleDef {
    const kw: A.Ident = { name: this.tok.text, start: this.tok.start, end: this.tok.end };
    this.next();
    const when = this.parseExpr();
    const sched: A.ScheduleDef = { keyword: kw, when, statements: [], start: kw.start, end: when.end };
    if (!this.is('{')) {
      this.error(`expected '{' and the statements to run ${kw.name} ${kw.name === 'every' ? 'interval' : 'time'} (e.g. ${kw.name} ${kw.name === 'every' ? '10 ms' : '200 ms'} { I_e = 0.5 nA })`, this.prevEnd(), this.prevEnd());
      throw new Bail();
    }
    sched.end = this.block(kw, `${kw.name} ${kw.name === 'every' ? 'interval' : 'time'}`, () => {
      sched.statements.push(this.parseAssign());
      if (!this.is('}')) this.endStatement();
    });
    return sched;
  }

  private parseSelector(): A.Selector | undefined {
    const name = this.ident('a population name');
    if (!name) return undefined;
    const sel: A.Selector = { name, start: name.start, end: name.end };
    if (this.eat('[')) {
      sel.range = this.parseExpr();
      this.expect(']');
      sel.end = this.prevEnd();
    }
    return sel;
  }

  private parseSelectorList(): A.Selector[] {
    const out: A.Selector[] = [];
    do {
      const s = this.parseSelector();
      if (!s) break;
      out.push(s);
    } while (this.eat(','));
    return out;
  }

  private parseConnect(kw: A.Ident): A.ConnectDef | undefined {
    const c: A.ConnectDef = { kind: 'connect', keyword: kw, sources: [], targets: [], props: [], start: kw.start, end: kw.end };
    if (this.tok.kind === 'ident' && this.is(':', this.peek())) {
      c.name = this.ident('a connection name');
      this.next();
    }
    c.sources = this.parseSelectorList();
    if (!this.expect('->', "'->' between sources and targets")) return this.syncAndNone();
    c.targets = this.parseSelectorList();
    c.end = this.prevEnd();
    if (this.is('{')) {
      c.bodyStart = this.tok.start;
      c.end = this.block(kw, 'connect', () => {
        c.props.push(this.parseProperty());
        if (!this.is('}')) this.endStatement();
      });
    } else {
      this.error("expected '{' with the connection's rule and weight", this.prevEnd(), this.prevEnd());
      this.syncStatement();
    }
    return c;
  }

  /** `anyBlock`: inside `pathways: { … }`, where every property (a pathway's name) takes a block. */
  private parseProperty(anyBlock = false): A.Property {
    const key = this.ident('a property name');
    if (!key) throw new Bail();
    if (!this.expect(':', `':' after '${key.name}'`)) throw new Bail();
    if (STATEMENT_KEYS.has(key.name)) {
      const statements = this.parseStatementsInline(key);
      const start = statements[0]?.start ?? this.prevEnd();
      const value: A.Expr = { kind: 'error', start, end: this.prevEnd() };
      return { key, value, statements, start: key.start, end: this.prevEnd() };
    }
    if ((anyBlock || BLOCK_KEYS.has(key.name)) && this.is('{')) {
      const props: A.Property[] = [];
      const start = this.tok.start;
      const named = !anyBlock && key.name === 'pathways';
      this.block(key, key.name, () => {
        props.push(this.parseProperty(named));
        if (!this.is('}')) this.endStatement();
      });
      const value: A.Expr = { kind: 'error', start, end: this.prevEnd() };
      return { key, value, props, start: key.start, end: this.prevEnd() };
    }
    const value = this.parseExpr();
    return { key, value, start: key.start, end: value.end };
  }

  private parseStatementsInline(kw: A.Ident): A.Assign[] {
    if (this.is('{')) {
      const out: A.Assign[] = [];
      this.block(kw, kw.name, () => {
        out.push(this.parseAssign());
        if (!this.is('}')) this.endStatement();
      });
      return out;
    }
    return [this.parseAssign()];
  }

  private parseProbe(kw: A.Ident): A.ProbeDef | undefined {
    const variable = this.ident("a variable to probe (e.g. 'spikes' or 'v')");
    if (!variable) return this.syncAndNone();
    const p: A.ProbeDef = { kind: 'probe', keyword: kw, variable, targets: [], start: kw.start, end: variable.end };
    if (this.expect('(', `'(' and the probed populations`)) {
      p.targets = this.parseSelectorList();
      this.expect(')');
    }
    p.end = this.prevEnd();
    if (this.eat('every')) {
      p.every = this.parseExpr();
      p.end = p.every.end;
    }
    this.endStatement();
    return p;
  }

  private parseBlockDef(kw: A.Ident, doc: string | undefined): A.BlockDef | undefined {
    const kind = kw.name as A.BlockDef['kind'];
    const b: A.BlockDef = { kind, keyword: kw, props: [], windows: [], doc, start: kw.start, end: kw.end };
    if (kind !== 'simulate') {
      b.name = this.ident(`a name for this ${kind}`);
      if (!b.name) return this.syncAndNone();
      b.end = b.name.end;
    }
    if (kind === 'input' || kind === 'readout' || kind === 'target') {
      if (!this.expect('=', `'=' and the ${kind} kind`)) return this.syncAndNone();
      b.type = this.ident(`the ${kind} kind`);
      if (!b.type) return this.syncAndNone();
      b.end = b.type.end;
      if (this.eat('[')) {
        b.size = this.parseExpr();
        this.expect(']');
        b.end = this.prevEnd();
      }
    }
    if (!this.is('{')) {
      if (kind === 'input' || kind === 'target') {
        this.endStatement();
        return b;
      }
      this.expect('{');
      this.syncStatement();
      return b;
    }
    b.bodyStart = this.tok.start;
    b.end = this.block(kw, kind, () => {
      if (kind === 'task' && this.is('window')) {
        const w = this.next();
        const range = this.parseExpr();
        this.expect(':', "':' and a label after the window");
        const labels: A.WindowLabel[] = [];
        do {
          const key = this.tok.kind === 'ident' && this.is('=', this.peek()) ? this.ident('a feature name') : undefined;
          if (key) this.next();
          const value = this.parseExpr();
          labels.push({ ...(key ? { key } : {}), value, start: key?.start ?? value.start, end: value.end });
        } while (this.eat(','));
        b.windows.push({ range, label: labels[0].value, labels, start: w.start, end: labels[labels.length - 1].end });
      } else b.props.push(this.parseProperty());
      if (!this.is('}')) this.endStatement();
    });
    return b;
  }

  // ---- expressions ---------------------------------------------------------------------------
  parseExpr(): A.Expr {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      const t = this.tok;
      this.error(`expression nested more than ${MAX_DEPTH} levels deep`, t.start, t.end, 'too-deep');
      this.skipNested();
      return { kind: 'error', start: t.start, end: this.prevEnd() };
    }
    try {
      const from = this.parseBinary(0);
      if (this.is('..')) {
        this.next();
        const to = this.parseBinary(0);
        return { kind: 'range', from, to, start: from.start, end: to.end };
      }
      return from;
    } finally {
      this.depth--;
    }
  }

  /** Skips over a run of nested brackets (used when the nesting limit is hit). */
  private skipNested(): void {
    let d = 0;
    while (this.tok.kind !== 'eof') {
      if (this.is('(') || this.is('[')) d++;
      else if (this.is(')') || this.is(']')) {
        if (d === 0) return;
        d--;
      } else if (d === 0 && (this.tok.kind === 'newline' || this.is(';') || this.is('}') || this.is(','))) return;
      else if (this.is('{') || this.is('}')) return;
      this.next();
    }
  }

  private parseBinary(minPrec: number): A.Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'punct' && t.kind !== 'ident') break;
      const prec = BINARY_PREC[t.text];
      if (prec === undefined || prec < minPrec) break;
      this.next();
      const right = this.parseBinary(prec + 1);
      const op = (t.text === '&&' ? 'and' : t.text === '||' ? 'or' : t.text) as A.BinaryOp;
      left = this.node({ kind: 'binary', op, left, right, start: left.start, end: right.end });
    }
    return left;
  }

  private parseUnary(): A.Expr {
    const t = this.tok;
    if (this.is('-') || this.is('+') || this.is('not') || this.is('!')) {
      this.next();
      if (++this.depth > MAX_DEPTH) {
        this.depth--;
        this.error(`expression nested more than ${MAX_DEPTH} levels deep`, t.start, t.end, 'too-deep');
        this.skipNested();
        return { kind: 'error', start: t.start, end: this.prevEnd() };
      }
      try {
        const operand = this.parseUnary();
        const op = t.text === '!' ? 'not' : (t.text as '-' | '+' | 'not');
        return this.node({ kind: 'unary', op, operand, start: t.start, end: operand.end });
      } finally {
        this.depth--;
      }
    }
    return this.parsePower();
  }

  private parsePower(): A.Expr {
    const base = this.parsePostfix();
    if (this.is('^')) {
      const op = this.next();
      if (++this.depth > MAX_DEPTH) {
        this.depth--;
        this.error(`expression nested more than ${MAX_DEPTH} levels deep`, op.start, op.end, 'too-deep');
        this.skipNested();
        return { kind: 'error', start: base.start, end: this.prevEnd() };
      }
      try {
        const exp = this.parseUnary(); // right associative: a^-b^c = a^(-(b^c))
        return this.node({ kind: 'binary', op: '^', left: base, right: exp, start: base.start, end: exp.end });
      } finally {
        this.depth--;
      }
    }
    return base;
  }

  /** Tree depth of expression nodes, so that long operator chains stay within what the
   * (recursive) checker can walk: 2,500 terms `a + a + …` nest 2,500 deep. */
  private depths = new Map<A.Expr, number>();
  private depthOf(e: A.Expr): number {
    return this.depths.get(e) ?? 1;
  }
  private node(e: A.Expr): A.Expr {
    let d = 1;
    if (e.kind === 'binary') d = 1 + Math.max(this.depthOf(e.left), this.depthOf(e.right));
    else if (e.kind === 'unary') d = 1 + this.depthOf(e.operand);
    else if (e.kind === 'member') d = 1 + this.depthOf(e.object);
    else if (e.kind === 'index') d = 1 + Math.max(this.depthOf(e.object), this.depthOf(e.index));
    if (d > MAX_TREE_DEPTH) {
      if (!this.treeTooDeep) this.error(`expression too long: more than ${MAX_TREE_DEPTH} operations in one expression; split it into named expressions`, e.start, e.end, 'too-deep');
      this.treeTooDeep = true;
      return { kind: 'error', start: e.start, end: e.end };
    }
    this.depths.set(e, d);
    return e;
  }
  private treeTooDeep = false;

  private parsePostfix(): A.Expr {
    let e = this.parsePrimary();
    for (;;) {
      if (this.is('.') && this.peek().kind === 'ident') {
        this.next();
        const m = this.next();
        e = this.node({ kind: 'member', object: e, member: { name: m.text, start: m.start, end: m.end }, start: e.start, end: m.end });
      } else if (this.is('[') && !this.tok.spaced && e.kind !== 'error') {
        this.next();
        const index = this.parseExpr();
        this.expect(']');
        e = this.node({ kind: 'index', object: e, index, start: e.start, end: this.prevEnd() });
      } else return e;
    }
  }

  private parsePrimary(): A.Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'number': {
        this.next();
        const lit: A.NumberLit = { kind: 'number', value: Number(t.text), start: t.start, end: t.end };
        const u = this.tok;
        const unitFollows =
          (u.kind === 'ident' && !BINARY_PREC[u.text] && u.text !== 'when' && u.text !== 'every' && u.text !== 'holding') ||
          (this.is('/') && !u.spaced && this.peek().kind === 'ident' && !this.peek().spaced && isUnitSymbol(this.peek().text));
        if (unitFollows) {
          lit.unit = this.parseUnitExpr(this.is('/'));
          if (lit.unit) lit.end = lit.unit.end;
        }
        return lit;
      }
      case 'string':
        this.next();
        return { kind: 'string', value: t.text, start: t.start, end: t.end };
      case 'ident': {
        this.next();
        if (t.text === 'true' || t.text === 'false') return { kind: 'bool', value: t.text === 'true', start: t.start, end: t.end };
        if (this.is('(') && !this.tok.spaced) return this.parseCall({ name: t.text, start: t.start, end: t.end });
        return { kind: 'name', name: t.text, start: t.start, end: t.end };
      }
      case 'punct':
        if (t.text === '(') {
          this.next();
          const inner = this.parseExpr();
          this.expect(')', "')'");
          // Keep the parenthesised span so that ranges in diagnostics cover what the user wrote.
          const wrapped = { ...inner, start: t.start, end: this.prevEnd() } as A.Expr;
          this.depths.set(wrapped, this.depthOf(inner) + 1);
          return wrapped;
        }
        if (t.text === '[') {
          this.next();
          const items: A.Expr[] = [];
          while (!this.is(']') && this.tok.kind !== 'eof' && !this.is('}') && this.tok.kind !== 'newline') {
            items.push(this.parseExpr());
            if (!this.eat(',')) break;
          }
          this.expect(']', "']' to close the list");
          return { kind: 'list', items, start: t.start, end: this.prevEnd() };
        }
    }
    const at = t.kind === 'newline' || t.kind === 'eof' ? this.prevEnd() : t.start;
    this.error(`expected an expression, found ${this.describe(t)}`, at, t.kind === 'newline' || t.kind === 'eof' ? at : t.end);
    return { kind: 'error', start: at, end: at };
  }

  private parseCall(callee: A.Ident): A.Call {
    this.next(); // (
    const args: A.Arg[] = [];
    while (!this.is(')') && this.tok.kind !== 'eof' && !this.is('}')) {
      let name: A.Ident | undefined;
      if (this.tok.kind === 'ident' && this.is('=', this.peek())) {
        const n = this.next();
        name = { name: n.text, start: n.start, end: n.end };
        this.next();
      }
      const value = this.parseExpr();
      args.push({ name, value, start: name?.start ?? value.start, end: value.end });
      if (value.kind === 'error') break;
      if (!this.eat(',')) break;
    }
    this.expect(')', `')' to close ${callee.name}(`);
    return { kind: 'call', callee, args, start: callee.start, end: this.prevEnd() };
  }

  /** `mV`, `mV/ms`, `um^2`, `1`, `weight`; `leadingSlash` parses `/ms` after a number (1/ms). */
  private parseUnitExpr(leadingSlash = false): A.UnitExpr | undefined {
    const start = this.tok.start;
    const terms: A.UnitTerm[] = [];
    let sign = 1;
    if (leadingSlash) {
      this.next();
      sign = -1;
    } else if (this.tok.kind === 'number' && this.tok.text === '1') {
      const one = this.next();
      terms.push({ symbol: '1', exp: 0, start: one.start, end: one.end });
      if (!(this.is('/') && !this.tok.spaced)) return { terms, start, end: one.end };
      this.next();
      sign = -1;
    }
    for (;;) {
      const t = this.tok;
      if (t.kind !== 'ident') {
        this.error(`expected a unit (e.g. mV, nS, ms), found ${this.describe(t)}`, t.kind === 'newline' ? this.prevEnd() : t.start);
        return terms.length ? { terms, start, end: this.prevEnd() } : undefined;
      }
      this.next();
      let exp = 1;
      let end = t.end;
      if (this.is('^') && !this.tok.spaced) {
        this.next();
        const neg = this.eat('-');
        const n = this.tok;
        if (n.kind === 'number' && Number.isInteger(Number(n.text))) {
          this.next();
          exp = Number(n.text) * (neg ? -1 : 1);
          end = n.end;
        } else this.error('expected an integer power after ^');
      }
      terms.push({ symbol: t.text, exp: exp * sign, start: t.start, end });
      // Compound units continue only without spaces: `mV/ms`, `nA*ms`.
      const op = this.tok;
      if ((op.text === '/' || op.text === '*') && op.kind === 'punct' && !op.spaced && this.peek().kind === 'ident' && !this.peek().spaced) {
        this.next();
        sign = op.text === '/' ? -1 : 1;
        continue;
      }
      return { terms, start, end };
    }
  }
}

export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.min(3, Math.floor(word.length / 3) + 1));
  for (const c of candidates) {
    if (c === word) continue;
    const d = c.toLowerCase() === word.toLowerCase() ? 0.5 : editDistance(word, c);
    if (d < bestD || (d === bestD && best === undefined)) {
      bestD = d;
      best = c;
    }
  }
  return best;
}
