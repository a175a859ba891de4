// The parts of a network circuit discovery can remove: populations and spike-source inputs,
// neuron groups (a population cut at the index boundaries its connections and probes slice it
// at: `exc[0..49]`), and projections (one per connection). Readout populations are listed (they
// are the graph's sinks) but never searched: removing what a readout reads measures nothing.
import type { CircuitComponent } from '../../../../protocol/circuits';
import type { ConnectionIR, ModelIR, SelectorIR } from '../../../../protocol/ir';

/** A component with what an intervention needs: the neurons it stands for, or the connection it is. */
export interface Component extends CircuitComponent {
  /** For a population or group: its neurons [from, to) in `population`. */
  neurons?: [number, number];
  /** For a projection: the connection's index in ir.connections. */
  connection?: number;
  /** A readout's population: drawn, never removed. */
  readoutOnly?: boolean;
}

export interface ComponentSet {
  /** Every component, in model order: populations and groups, then projections. */
  all: Component[];
  /** The ones the search may remove. */
  searchable: Component[];
  byId: Map<string, Component>;
  edges: { from: string; to: string; projection: string }[];
}

/** Neurons of every population and spike-source input, by name. */
export function populationSizes(ir: ModelIR): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const p of ir.populations) sizes.set(p.name, p.size);
  for (const i of ir.inputs) if (i.kind !== 'current_step') sizes.set(i.name, i.size);
  return sizes;
}

const whole = (sel: SelectorIR, size: number) => sel.from <= 0 && sel.to >= size - 1;
const selText = (sel: SelectorIR, size: number) => (whole(sel, size) ? sel.name : `${sel.name}[${sel.from}..${sel.to}]`);

function projectionLabel(c: ConnectionIR, sizes: Map<string, number>): string {
  const side = (s: SelectorIR[]) => s.map((x) => selText(x, sizes.get(x.name) ?? 0)).join(', ');
  return `${side(c.sources)} -> ${side(c.targets)}`;
}

/**
 * The components of `ir`. `split` cuts every population into that many contiguous groups
 * besides the model's own slices (a fixed split, for populations the model never slices).
 */
export function modelComponents(ir: ModelIR, options: { split?: number } = {}): ComponentSet {
  const sizes = populationSizes(ir);
  const readoutPops = new Set(ir.readouts.map((r) => r.from));
  // Cut points per population: 0, size, and every slice's edges.
  const cuts = new Map<string, Set<number>>();
  for (const [name, size] of sizes) {
    const set = new Set([0, size]);
    if (options.split && options.split > 1 && !readoutPops.has(name)) for (let g = 1; g < options.split; g++) set.add(Math.round((g * size) / options.split));
    cuts.set(name, set);
  }
  const slice = (sel: SelectorIR) => {
    const size = sizes.get(sel.name);
    if (size === undefined || whole(sel, size) || readoutPops.has(sel.name)) return;
    cuts.get(sel.name)!.add(Math.max(0, sel.from)).add(Math.min(size, sel.to + 1));
  };
  for (const c of ir.connections) for (const s of [...c.sources, ...c.targets]) slice(s);
  for (const p of ir.probes) for (const s of p.targets) slice(s);

  const all: Component[] = [];
  const nodesOf = new Map<string, Component[]>();
  const names = [...ir.populations.map((p) => p.name), ...ir.inputs.filter((i) => i.kind !== 'current_step').map((i) => i.name)];
  for (const name of names) {
    const size = sizes.get(name)!;
    const points = [...cuts.get(name)!].filter((x) => x >= 0 && x <= size).sort((a, b) => a - b);
    const nodes: Component[] = [];
    if (points.length <= 2) {
      nodes.push({ id: `pop:${name}`, kind: 'population', label: name, population: name, size, neurons: [0, size], ...(readoutPops.has(name) ? { readoutOnly: true } : {}) });
    } else {
      for (let k = 0; k + 1 < points.length; k++) {
        const [from, to] = [points[k], points[k + 1]];
        const label = `${name}[${from}..${to - 1}]`;
        nodes.push({ id: `group:${label}`, kind: 'group', label, population: name, range: [from, to], size: to - from, neurons: [from, to] });
      }
    }
    nodesOf.set(name, nodes);
    all.push(...nodes);
  }
  const overlapping = (sel: SelectorIR) => (nodesOf.get(sel.name) ?? []).filter((n) => n.neurons![0] <= sel.to && n.neurons![1] > sel.from);
  const edges: ComponentSet['edges'] = [];
  const taken = new Set(all.map((c) => c.id));
  ir.connections.forEach((c, k) => {
    const label = c.name ?? projectionLabel(c, sizes);
    let id = `proj:${c.name ?? projectionLabel(c, sizes).replace(/ /g, '')}`;
    for (let n = 2; taken.has(id); n++) id = `proj:${c.name ?? projectionLabel(c, sizes).replace(/ /g, '')}#${n}`;
    taken.add(id);
    const src = c.sources[0];
    const tgt = c.targets[0];
    all.push({ id, kind: 'projection', label, population: src.name, target: tgt.name, size: 0, connection: k });
    for (const s of c.sources) for (const a of overlapping(s)) for (const t of c.targets) for (const b of overlapping(t)) edges.push({ from: a.id, to: b.id, projection: id });
  });
  return { all, searchable: all.filter((c) => !c.readoutOnly), byId: new Map(all.map((c) => [c.id, c])), edges };
}

/**
 * The components with a path to `readoutPopulation`, in the order the search visits them: from
 * the readout backwards (breadth-first over the edges reversed, a projection right after the
 * node it enters). The others cannot change what the readout reads: the search drops them
 * without a run.
 */
export function searchOrder(set: ComponentSet, readoutPopulation: string): Component[] {
  const order: Component[] = [];
  const seen = new Set<string>();
  const into = new Map<string, { from: string; projection: string }[]>();
  for (const e of set.edges) {
    const l = into.get(e.to) ?? [];
    l.push(e);
    into.set(e.to, l);
  }
  const queue = set.all.filter((c) => c.population === readoutPopulation && c.kind !== 'projection').map((c) => c.id);
  queue.forEach((id) => seen.add(id));
  while (queue.length) {
    const id = queue.shift()!;
    const c = set.byId.get(id)!;
    if (!c.readoutOnly && c.population !== readoutPopulation) order.push(c);
    for (const e of into.get(id) ?? []) {
      if (!seen.has(e.projection)) {
        seen.add(e.projection);
        order.push(set.byId.get(e.projection)!);
      }
      if (!seen.has(e.from)) {
        seen.add(e.from);
        queue.push(e.from);
      }
    }
  }
  return order.filter((c) => !c.readoutOnly);
}
