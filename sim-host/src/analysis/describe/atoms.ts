// Atoms: the yes/no facts about a window that descriptions are built from. Label atoms come from
// the model's task windows and concepts ("A", "stimulus = left", "epoch = delay"); temporal atoms
// are derived from consecutive windows: the onset of a label (its first window), its sustained
// part (the windows after the first) and the window right after it ends ("after X", a rebound).
// Atoms whose mask equals an earlier atom's, or that hold in no window or in every window, are
// left out (they could not tell windows apart, or would say the same thing twice).

import { popcount, setBit, wordsFor } from './bitset';

/** What was happening in one window of activity. Labels: "A", "feature=value" or "epoch=name". */
export interface WindowMeta {
  /** Seconds. */
  start: number;
  end: number;
  labels: readonly string[];
}

export type AtomKind = 'label' | 'feature' | 'epoch' | 'onset' | 'sustained' | 'after';

export interface Atom {
  /** Canonical name: `A`, `stimulus=left`, `epoch=delay`, `onset(A)`, `sustained(A)`, `after(B)`. */
  name: string;
  kind: AtomKind;
  /** The label a temporal atom is derived from (its own name for label atoms). */
  label: string;
  /** Windows where the atom holds. */
  count: number;
}

export interface AtomSet {
  windows: number;
  /** Words per mask. */
  words: number;
  atoms: Atom[];
  /** Atom a's mask at words [a·words, (a+1)·words). */
  masks: Uint32Array;
}

function labelKind(label: string): AtomKind {
  const eq = label.indexOf('=');
  if (eq < 0) return 'label';
  return label.slice(0, eq).trim() === 'epoch' ? 'epoch' : 'feature';
}

/** Normalises "feature = value" to "feature=value". */
export const normaliseLabel = (label: string): string => label.split('=').map((s) => s.trim()).join('=');

/** Windows at most this far apart (seconds, relative to the window length) count as consecutive. */
const GAP_TOLERANCE = 1e-9;

/** The atoms of a run's windows (in time order). `temporal: false` leaves out onset/sustained/after. */
export function buildAtoms(windows: readonly WindowMeta[], options: { temporal?: boolean } = {}): AtomSet {
  const n = windows.length;
  const words = wordsFor(n);
  const labels = new Map<string, Uint8Array>();
  windows.forEach((w, i) => {
    for (const raw of w.labels) {
      const l = normaliseLabel(raw);
      let m = labels.get(l);
      if (!m) labels.set(l, (m = new Uint8Array(n)));
      m[i] = 1;
    }
  });
  const candidates: { atom: Omit<Atom, 'count'>; has: (i: number) => boolean }[] = [];
  const names = [...labels.keys()].sort((a, b) => (labelKind(a) === 'epoch' ? 1 : 0) - (labelKind(b) === 'epoch' ? 1 : 0) || a.localeCompare(b));
  for (const l of names) candidates.push({ atom: { name: l, kind: labelKind(l), label: l }, has: (i) => labels.get(l)![i] === 1 });
  if (options.temporal !== false) {
    const contiguous = (i: number) => i > 0 && windows[i].start - windows[i - 1].end <= GAP_TOLERANCE * Math.max(1, windows[i].end - windows[i].start);
    for (const l of names) {
      if (labelKind(l) === 'epoch') continue;
      const m = labels.get(l)!;
      const prev = (i: number) => contiguous(i) && m[i - 1] === 1;
      candidates.push({ atom: { name: `onset(${l})`, kind: 'onset', label: l }, has: (i) => m[i] === 1 && !prev(i) });
      candidates.push({ atom: { name: `sustained(${l})`, kind: 'sustained', label: l }, has: (i) => m[i] === 1 && prev(i) });
      candidates.push({ atom: { name: `after(${l})`, kind: 'after', label: l }, has: (i) => m[i] === 0 && prev(i) });
    }
  }
  const kept: Atom[] = [];
  const masks: Uint32Array[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const mask = new Uint32Array(words);
    for (let i = 0; i < n; i++) if (c.has(i)) setBit(mask, 0, i);
    const count = popcount(mask);
    if (count === 0 || count === n) continue;
    const key = mask.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ ...c.atom, count });
    masks.push(mask);
  }
  const all = new Uint32Array(Math.max(1, kept.length) * words);
  masks.forEach((m, a) => all.set(m, a * words));
  return { windows: n, words, atoms: kept, masks: all };
}
