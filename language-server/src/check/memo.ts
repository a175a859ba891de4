// Re-checking only what an edit touches. A check leaves a memo: what the head (the model line
// and the file's models) and each network item's check produced — diagnostics, references,
// estimates, deferred values, expression types, the size and model a population or input got.
// The next check of the same file takes a record over instead of checking again when
//   - the head: the same syntax-tree nodes at the same offsets, the same first item ('model'
//     must come first reads it), and no imports (imported analyses are rebuilt); the
//     incremental parser keeps the nodes of items an edit does not touch;
//   - an item: the head was taken over, the network's interface (`netKey`: every item's kind,
//     name, and what other items read of it — a population's model, size and layout, an input's
//     kind and size, a connection's synapse) is unchanged, and the item is the same node at the
//     same offset; items that read data files (`from_file`) are always checked again.
// References to network symbols (made anew each check) are mapped to the new ones by position.
import type * as A from '../ast';
import type { Estimate, FileAnalysis, ModelInfo, NetItem } from '../analysis';
import type { Diagnostic } from '../diagnostics';
import type { Ty } from '../expressions';
import type { Sym } from '../symbols';
import type { Checker } from './context';
import type { Deferred } from './deferred';

type Ref = FileAnalysis['references'][number];

interface Effects {
  diags: Diagnostic[];
  refs: Ref[];
  symbols: Sym[];
  types: [A.Expr, Ty][];
}

export interface HeadRecord extends Effects {
  /** The models the head made visible, in order (cx.models.set), and the file's own. */
  modelsSet: [string, ModelInfo][];
  own: ModelInfo[];
}

export interface ItemRecord extends Effects {
  start: number;
  estimates: Estimate[];
  deferred: { [K in keyof Deferred]: Deferred[K] };
  /** What the check set on the item's network entry (population or input). */
  net?: { model?: ModelInfo; size?: number; detail?: string };
}

export interface CheckMemo {
  /** `first`: the file's first item, whatever its kind ('model' must come first reads it). */
  head?: { nodes: A.Item[]; starts: number[]; first: A.Item | undefined; record: HeadRecord };
  netKey?: string;
  netSyms?: Sym[];
  items: Map<A.Item, ItemRecord>;
}

const DEFERRED_KEYS = ['delays', 'segmentWindows', 'intervals', 'rates', 'windows', 'drives', 'schedules', 'links'] as const;

/** Starts recording a phase's effects; the returned function ends it and returns them. */
export function record(cx: Checker): () => Effects {
  const d = cx.diags.length;
  const r = cx.refs.length;
  const s = cx.symbols.length;
  const saved = cx.ex.types;
  const types = new Map<A.Expr, Ty>();
  cx.ex.types = types;
  return () => {
    cx.ex.types = saved;
    for (const [k, v] of types) cx.types.set(k, v);
    return { diags: cx.diags.slice(d), refs: cx.refs.slice(r), symbols: cx.symbols.slice(s), types: [...types] };
  };
}

/** Runs an item's checks and records their effects (undefined: the item is not to be taken over). */
export function recordItem(cx: Checker, it: A.Item, check: () => void): ItemRecord | undefined {
  const cacheable = !cx.file.text.slice(it.start, it.end).includes('from_file');
  const e = cx.estimates.length;
  const lens = DEFERRED_KEYS.map((k) => cx.deferred[k].length);
  const end = record(cx);
  check();
  const fx = end();
  if (!cacheable) return undefined;
  const deferred = {} as ItemRecord['deferred'];
  DEFERRED_KEYS.forEach((k, n) => ((deferred as Record<string, unknown>)[k] = cx.deferred[k].slice(lens[n])));
  const entry = netEntry(cx, it);
  return {
    ...fx, start: it.start, estimates: cx.estimates.slice(e), deferred,
    net: entry && netState(entry),
  };
}

/** What a check set on a network entry: only the fields it has (an unsized input has no size). */
function netState(entry: NetItem): ItemRecord['net'] {
  const out: NonNullable<ItemRecord['net']> = {};
  if ('model' in entry) out.model = entry.model;
  if ('size' in entry) out.size = entry.size;
  if ('detail' in entry.sym) out.detail = entry.sym.detail;
  return out;
}

function netEntry(cx: Checker, it: A.Item) {
  const name = it.kind === 'population' || it.kind === 'input' ? it.name?.name : undefined;
  const entry = name ? cx.network.get(name) : undefined;
  return entry && entry.node === it ? entry : undefined;
}

/**
 * Applies a record taken over from the last check; returns it with its references mapped to this
 * check's symbols (the record the next check takes over).
 */
export function replayItem(cx: Checker, it: A.Item, rec: ItemRecord, symMap: Map<Sym, Sym>): ItemRecord {
  for (const d of rec.diags) cx.diags.push(d);
  const refs = rec.refs.map((r) => {
    const sym = symMap.get(r.sym);
    return sym ? { span: r.span, sym } : r;
  });
  for (const r of refs) cx.refs.push(r);
  for (const s of rec.symbols) cx.symbols.push(s);
  for (const [k, v] of rec.types) cx.types.set(k, v);
  for (const x of rec.estimates) cx.estimates.push(x);
  for (const k of DEFERRED_KEYS) (cx.deferred[k] as unknown[]).push(...rec.deferred[k]);
  const entry = netEntry(cx, it);
  const net = rec.net;
  if (entry && net) {
    if (entry.kind === 'population' && 'model' in net) entry.model = net.model;
    if ((entry.kind === 'population' || entry.kind === 'input') && 'size' in net) entry.size = net.size;
    if ('detail' in net) entry.sym.detail = net.detail;
  }
  return { ...rec, refs };
}

export function replayHead(cx: Checker, rec: HeadRecord): void {
  for (const d of rec.diags) cx.diags.push(d);
  for (const r of rec.refs) cx.refs.push(r);
  for (const s of rec.symbols) cx.symbols.push(s);
  for (const [k, v] of rec.types) cx.types.set(k, v);
  for (const [k, m] of rec.modelsSet) cx.models.set(k, m);
  for (const m of rec.own) cx.own.push(m);
}

/** The head's nodes: the model line, imports and the file's models, in order. */
export function headNodes(items: readonly A.Item[]): A.Item[] {
  return items.filter((it) => it.kind === 'model' || it.kind === 'import' || it.kind === 'neuron' || it.kind === 'synapse');
}

export function sameHead(memo: CheckMemo | undefined, nodes: A.Item[], first: A.Item | undefined): memo is CheckMemo & { head: NonNullable<CheckMemo['head']> } {
  const h = memo?.head;
  if (!h || h.nodes.length !== nodes.length || h.first !== first) return false;
  for (let k = 0; k < nodes.length; k++) if (h.nodes[k] !== nodes[k] || h.starts[k] !== nodes[k].start) return false;
  return !nodes.some((n) => n.kind === 'import');
}

/** What items read of each other (see the header): equal keys, equal reads. */
export function netKey(file: A.SnnFile): string {
  const text = (e: A.Span | undefined) => (e ? file.text.slice(e.start, e.end) : '');
  const prop = (props: A.Property[], key: string) => text(props.find((p) => p.key.name === key));
  const parts: string[] = [];
  for (const it of file.items) {
    switch (it.kind) {
      case 'population':
        parts.push(`P ${it.name.name} ${it.model.name} ${text(it.size)} ${prop(it.props, 'layout')} ${prop(it.props, 'spacing')}`);
        break;
      case 'input':
        parts.push(`I ${it.name?.name} ${it.type?.name} ${text(it.size)}`);
        break;
      case 'connect':
        parts.push(`C ${it.name?.name ?? ''} ${prop(it.props, 'synapse')}`);
        break;
      case 'readout':
      case 'task':
      case 'concept':
      case 'target':
        parts.push(`${it.kind} ${it.name?.name}`);
        break;
    }
  }
  return parts.join('\n');
}
