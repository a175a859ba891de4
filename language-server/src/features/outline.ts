// Document symbols (the outline) and folding ranges.
import type * as A from '../ast';
import type { FileAnalysis } from '../checker';
import type { Sym } from '../symbols';

export interface OutlineNode {
  name: string;
  detail?: string;
  kind: Sym['kind'] | 'probe' | 'simulate' | 'section';
  start: number;
  end: number;
  selStart: number;
  selEnd: number;
  children: OutlineNode[];
}

export function outline(a: FileAnalysis): OutlineNode[] {
  const out: OutlineNode[] = [];
  const byStart = new Map<number, Sym>();
  for (const s of a.symbols) byStart.set(s.span.start, s);
  const node = (s: Sym, end: number, children: OutlineNode[] = []): OutlineNode => ({
    name: s.name, detail: s.detail, kind: s.kind, start: s.full.start, end: Math.max(end, s.span.end), selStart: s.span.start, selEnd: s.span.end, children,
  });
  for (const it of a.file.items) {
    switch (it.kind) {
      case 'neuron':
      case 'synapse': {
        const s = byStart.get(it.name.start);
        if (!s) break;
        let kids = a.symbols.filter((x) => x.container === it.name.name && x.uri === a.uri && x.span.start > it.start && x.span.end <= it.end).map((x) => node(x, x.full.end));
        if (it.kind === 'neuron' && it.compartments) {
          // Compartments as children, their variables (and the axial current at the name) inside.
          const comps = it.compartments.list.map((c): OutlineNode => ({
            name: c.name.name, detail: 'compartment', kind: 'section', start: c.start, end: c.end, selStart: c.name.start, selEnd: c.name.end,
            children: kids.filter((k) => k.selStart >= c.start && k.selEnd <= c.end),
          }));
          kids = [...kids.filter((k) => !comps.some((c) => k.selStart >= c.start && k.selEnd <= c.end) && !it.compartments!.couplings.some((cp) => k.selStart >= cp.start && k.selEnd <= cp.end)), ...comps]
            .sort((x, y) => x.selStart - y.selStart);
        }
        out.push(node(s, it.end, kids));
        break;
      }
      case 'model':
      case 'population':
      case 'input':
      case 'readout':
      case 'task':
      case 'concept':
      case 'target': {
        const id = it.name;
        const s = id ? byStart.get(id.start) : undefined;
        if (s) out.push(node(s, it.end));
        break;
      }
      case 'connect': {
        const label = `${it.sources.map((x) => x.name.name).join(', ')} -> ${it.targets.map((x) => x.name.name).join(', ')}`;
        const s = it.name ? byStart.get(it.name.start) : undefined;
        out.push({ name: s ? s.name : label, detail: s ? label : 'connect', kind: 'connection', start: it.start, end: it.end, selStart: it.keyword.start, selEnd: it.keyword.end, children: [] });
        break;
      }
      case 'probe':
        out.push({ name: `${it.variable.name}(${it.targets.map((t) => t.name.name).join(', ')})`, detail: 'probe', kind: 'probe', start: it.start, end: it.end, selStart: it.variable.start, selEnd: it.variable.end, children: [] });
        break;
      case 'simulate':
        out.push({ name: 'simulate', kind: 'simulate', start: it.start, end: it.end, selStart: it.keyword.start, selEnd: it.keyword.end, children: [] });
        break;
    }
  }
  return out;
}

/** Folding: every brace block spanning lines, and multi-line block comments. */
export function foldingRanges(file: A.SnnFile, lineOf: (offset: number) => number): { startLine: number; endLine: number; comment?: boolean }[] {
  const out: { startLine: number; endLine: number; comment?: boolean }[] = [];
  const text = file.text;
  const stack: number[] = [];
  const comments = file.comments;
  let ci = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    while (ci < comments.length && comments[ci].end <= i) ci++;
    if (ci < comments.length && comments[ci].start <= i && i < comments[ci].end) {
      i = comments[ci].end - 1;
      continue;
    }
    const c = text[i];
    if (c === '"') inString = !inString;
    else if (c === '\n') inString = false;
    if (inString) continue;
    if (c === '{') stack.push(i);
    else if (c === '}' && stack.length) {
      const s = stack.pop()!;
      const a = lineOf(s);
      const b = lineOf(i);
      if (b > a) out.push({ startLine: a, endLine: b - 1 >= a ? b - 1 : a });
    }
  }
  for (const c of comments) {
    if (!c.block) continue;
    const a = lineOf(c.start);
    const b = lineOf(c.end);
    if (b > a) out.push({ startLine: a, endLine: b, comment: true });
  }
  return out.sort((x, y) => x.startLine - y.startLine);
}
