// Readable text from a formula: "fires during the onset of `A` and the `delay` epoch, not during `B`".
// Names from the model are quoted in backticks and never interpreted (the panel shows text, not markup).

import type { Atom } from './atoms';
import { Op, type Formula } from './search';

/** One atom as a phrase. */
export function atomPhrase(a: Atom): string {
  const label = (l: string) => {
    const eq = l.indexOf('=');
    if (eq < 0) return `\`${l}\``;
    const f = l.slice(0, eq);
    const v = l.slice(eq + 1);
    return f === 'epoch' ? `the \`${v}\` epoch` : `\`${f}\` = \`${v}\``;
  };
  switch (a.kind) {
    case 'onset':
      return `the onset of ${label(a.label)}`;
    case 'sustained':
      return `${label(a.label)} after its onset`;
    case 'after':
      return `the window right after ${label(a.label)}`;
    default:
      return label(a.label);
  }
}

/** The formula in the notation of the tests and the JSON output: `A AND NOT B`, `(A OR B) AND C`. */
export function formulaString(atoms: readonly Atom[], f: Formula): string {
  let s = atoms[f.atoms[0]].name;
  for (let i = 1; i < f.atoms.length; i++) {
    const op = f.ops[i - 1];
    const prevOps = f.ops.slice(0, i - 1);
    const needParens = prevOps.some((p) => (p === Op.Or) !== (op === Op.Or));
    if (needParens) s = `(${s})`;
    s += `${op === Op.And ? ' AND ' : op === Op.Or ? ' OR ' : ' AND NOT '}${atoms[f.atoms[i]].name}`;
  }
  return s;
}

/** The sentence for a unit's description. */
export function describeText(atoms: readonly Atom[], f: Formula): string {
  // Left-deep: group the leading OR run, then AND / AND NOT parts; a later OR wraps what precedes.
  let pos: string[] = [atomPhrase(atoms[f.atoms[0]])];
  let neg: string[] = [];
  const flush = () => {
    const p = pos.join(' and ');
    return neg.length ? `${p}, not during ${neg.join(' or ')}` : p;
  };
  let disjunction = false;
  for (let i = 1; i < f.atoms.length; i++) {
    const a = atomPhrase(atoms[f.atoms[i]]);
    const op = f.ops[i - 1];
    if (op !== Op.Or && disjunction) {
      pos = [`(${pos[0]})`];
      disjunction = false;
    }
    if (op === Op.And) pos.push(a);
    else if (op === Op.AndNot) neg.push(a);
    else if (pos.length === 1 && neg.length === 0) {
      pos = [`${pos[0]} or ${a}`];
      disjunction = true;
    } else {
      pos = [`(${flush()}) or ${a}`];
      neg = [];
      disjunction = true;
    }
  }
  return `fires during ${flush()}`;
}
