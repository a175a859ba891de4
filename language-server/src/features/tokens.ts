// Semantic tokens: keywords, model names, network items, parameters, state, units, literals.
import type { FileAnalysis } from '../checker';
import { lex } from '../lexer';
import { MODEL_SECTIONS, TOP_LEVEL_KEYWORDS } from '../parser';
import { CONNECT, FUNCTIONS, DISTRIBUTIONS, RULES } from '../schema';
import { isUnitSymbol } from '../units';
import type { LineIndex } from '../text';

export const TOKEN_TYPES = ['keyword', 'type', 'variable', 'parameter', 'property', 'function', 'number', 'string', 'comment', 'operator', 'enumMember'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;
type T = (typeof TOKEN_TYPES)[number];

const KEYWORDS = new Set([...TOP_LEVEL_KEYWORDS, ...MODEL_SECTIONS, 'when', 'holding', 'every', 'at', 'couple', 'window', 'and', 'or', 'not', 'true', 'false']);

/** LSP relative encoding: [deltaLine, deltaStart, length, type, modifiers]*. */
export function semanticTokens(a: FileAnalysis, lines: LineIndex, isPrelude: (uri: string) => boolean): number[] {
  const { tokens, comments } = lex(a.file.text);
  const refAt = new Map<number, FileAnalysis['references'][number]>();
  for (const r of a.references) refAt.set(r.span.start, r);
  // Compartment names (compartments { soma { … } }, couple soma, dend): no symbols of their own.
  const compartment = new Map<number, number>();
  for (const it of a.file.items) {
    if (it.kind !== 'neuron' || !it.compartments) continue;
    for (const c of it.compartments.list) compartment.set(c.name.start, 1);
    for (const cp of it.compartments.couplings) for (const id of [cp.a, cp.b]) if (id && !compartment.has(id.start)) compartment.set(id.start, 0);
  }
  const items: { start: number; len: number; type: T; mods: number }[] = [];
  let prev: (typeof tokens)[number] | undefined;
  for (const t of tokens) {
    let type: T | undefined;
    let mods = 0;
    if (t.kind === 'number') type = 'number';
    else if (t.kind === 'string') type = 'string';
    else if (t.kind === 'ident') {
      const r = refAt.get(t.start);
      const comp = compartment.get(t.start);
      if (comp !== undefined) {
        type = 'type';
        mods = comp;
      } else if (r) {
        const k = r.sym.kind;
        type = k === 'neuron' || k === 'synapse' ? 'type' : k === 'parameter' ? 'parameter' : k === 'state' || k === 'alias' ? 'property' : 'variable';
        if (r.sym.span.start === t.start && r.sym.uri === a.uri) mods |= 1;
        if (k === 'parameter') mods |= 2;
        if (isPrelude(r.sym.uri)) mods |= 4;
      } else if (prev && (prev.kind === 'number' || (prev.kind === 'punct' && !t.spaced && (prev.text === '/' || prev.text === '*' || prev.text === ':'))) && isUnitSymbol(t.text)) type = 'enumMember';
      else if (KEYWORDS.has(t.text)) type = 'keyword';
      else if (FUNCTIONS[t.text] || DISTRIBUTIONS[t.text] || RULES[t.text] || t.text === 'linked') type = 'function';
      else if (CONNECT[t.text]) type = 'property';
    }
    if (type) items.push({ start: t.start, len: t.end - t.start, type, mods });
    if (t.kind !== 'newline') prev = t;
  }
  for (const c of comments) {
    // Multi-line comments are split per line (clients may not support multiline tokens).
    let s = c.start;
    while (s < c.end) {
      const nl = a.file.text.indexOf('\n', s);
      const e = nl < 0 || nl > c.end ? c.end : nl;
      if (e > s) items.push({ start: s, len: e - s, type: 'comment', mods: 0 });
      s = e + 1;
    }
  }
  items.sort((x, y) => x.start - y.start);
  const data: number[] = [];
  let pl = 0;
  let pc = 0;
  for (const it of items) {
    const p = lines.position(it.start);
    const dl = p.line - pl;
    data.push(dl, dl === 0 ? p.character - pc : p.character, it.len, TOKEN_TYPES.indexOf(it.type), it.mods);
    pl = p.line;
    pc = p.character;
  }
  return data;
}
