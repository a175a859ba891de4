// Go to definition, find references and rename, across every file the program knows.
import type { Program } from '../program';
import type { Sym } from '../symbols';
import { sameSym, symbolAt } from './locate';

export interface Loc {
  uri: string;
  start: number;
  end: number;
}

export function definition(p: Program, uri: string, offset: number): Loc | undefined {
  const hit = symbolAt(p.analyze(uri), offset);
  if (hit) return { uri: hit.sym.uri, start: hit.sym.span.start, end: hit.sym.span.end };
  // An import path leads to the imported file.
  for (const imp of p.analyze(uri).imports) {
    if (imp.uri && imp.node.path.start <= offset && offset <= imp.node.path.end) return { uri: imp.uri, start: 0, end: 0 };
  }
  return undefined;
}

/** Every reference to `sym` in `uris` (plus the file that defines it). */
export function referencesTo(p: Program, sym: Sym, uris: string[], includeDeclaration: boolean): Loc[] {
  const out: Loc[] = [];
  const seen = new Set<string>();
  for (const u of new Set([...uris, sym.uri])) {
    if (p.getText(u) === undefined) continue;
    for (const r of p.analyze(u).references) {
      if (!sameSym(r.sym, sym)) continue;
      const isDecl = u === sym.uri && r.span.start === sym.span.start;
      if (isDecl && !includeDeclaration) continue;
      const key = `${u}#${r.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ uri: u, start: r.span.start, end: r.span.end });
    }
  }
  return out.sort((a, b) => (a.uri === b.uri ? a.start - b.start : a.uri < b.uri ? -1 : 1));
}

export function references(p: Program, uri: string, offset: number, uris: string[], includeDeclaration: boolean): Loc[] {
  const hit = symbolAt(p.analyze(uri), offset);
  return hit ? referencesTo(p, hit.sym, uris, includeDeclaration) : [];
}

export type RenameCheck = { ok: true; start: number; end: number; name: string } | { ok: false; message: string };

export function prepareRename(p: Program, uri: string, offset: number): RenameCheck {
  const a = p.analyze(uri);
  const hit = symbolAt(a, offset);
  if (!hit) return { ok: false, message: compartmentNameAt(a.file.items, offset) ?? 'nothing to rename here' };
  if (p.isPrelude(hit.sym.uri)) return { ok: false, message: `${hit.sym.name} is part of the built-in library; copy it into your file to rename it` };
  const comp = hit.sym.container ? p.analyze(hit.sym.uri).models.get(hit.sym.container)?.def.compartments : undefined;
  if (comp && comp.start <= hit.sym.span.start && hit.sym.span.end <= comp.end) {
    return { ok: false, message: `${hit.sym.name} belongs to a compartment of ${hit.sym.container}: it is written without the compartment's prefix inside it and with it outside (v / soma_v), so it cannot be renamed in one step; rename it by hand` };
  }
  return { ok: true, start: hit.span.start, end: hit.span.end, name: hit.sym.name };
}

/** A compartment's name at `offset`, if any: why it cannot be renamed. */
function compartmentNameAt(items: readonly import('../ast').Item[], offset: number): string | undefined {
  for (const it of items) {
    if (it.kind !== 'neuron' || !it.compartments) continue;
    const ids = [...it.compartments.list.map((c) => c.name), ...it.compartments.couplings.flatMap((cp) => [cp.a, cp.b])];
    const id = ids.find((x) => x && x.start <= offset && offset <= x.end);
    if (id) return `compartment names cannot be renamed in one step: '${id.name}' is also the prefix of its variables (${id.name}_v) wherever they are used; rename it by hand`;
  }
  return undefined;
}

export function rename(p: Program, uri: string, offset: number, newName: string, uris: string[]): { edits: Map<string, Loc[]> } | { error: string } {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { error: `'${newName}' is not a valid name` };
  const check = prepareRename(p, uri, offset);
  if (!check.ok) return { error: check.message };
  const hit = symbolAt(p.analyze(uri), offset)!;
  const clash = nameClash(p, hit.sym, newName);
  if (clash) return { error: clash };
  const locs = referencesTo(p, hit.sym, uris, true);
  const edits = new Map<string, Loc[]>();
  for (const l of locs) {
    if (!edits.has(l.uri)) edits.set(l.uri, []);
    edits.get(l.uri)!.push(l);
  }
  return { edits };
}

/** Why `newName` would collide with an existing name in the symbol's scope, if it would. */
function nameClash(p: Program, sym: Sym, newName: string): string | undefined {
  if (newName === sym.name) return undefined;
  const a = p.analyze(sym.uri);
  if (sym.container) {
    const m = a.models.get(sym.container);
    if (m?.vars.has(newName)) return `${sym.container} already has a ${m.vars.get(newName)!.kind === 'alias' ? 'named expression' : m.vars.get(newName)!.kind} named '${newName}'`;
    if (['t', 'dt', 'i', 'N'].includes(newName)) return `'${newName}' is a built-in name`;
    return undefined;
  }
  if (a.network.has(newName)) return `'${newName}' is already the name of a ${a.network.get(newName)!.kind}`;
  if (a.models.has(newName)) return `'${newName}' is already the name of a ${a.models.get(newName)!.def.kind} model`;
  return undefined;
}
