// The checked model IR → a PyNN script (`spikeworks export FILE --to pynn [--backend …]`).
// Pure: IR in, Python text out. PyNN describes networks by its standard models, so each
// population's model must be one of the prelude models that is one of them (RESEARCH.md §F):
//   CobaLIF → IF_cond_exp, LIF → IF_curr_exp (IF_curr_delta when driven through `target: v`),
//   AdEx → EIF_cond_exp_isfa_ista (only without synaptic input: PyNN's synapses there are
//   conductances, the prelude's a current); Poisson → SpikeSourcePoisson, spike_array →
//   SpikeSourceArray, current_step on I_e → StepCurrentSource; rules → PyNN's connectors;
//   Static → StaticSynapse, PairSTDP → STDPMechanism(SpikePairRule, AdditiveWeightDependence).
// Everything in PyNN's units: ms, mV, nA, µS, nF, Hz. Anything else is refused at its item.
import type { ConnectionIR, ModelDefIR, ModelIR, PopulationIR, SelectorIR, StatementIR, ValueIR } from '../protocol/ir';
import { fmtNum } from './expr';
import type { ExportResult, Refusal, Where } from './refusal';

export type PyNNBackend = 'brian2' | 'nest' | 'spinnaker';

const MS = 1e3;
const MV = 1e3;
const NA = 1e9;
const US = 1e6;
const NF = 1e9;

const py = (s: string) => JSON.stringify(s);

/** A standard PyNN cell type for a prelude neuron model, as used by one population. */
interface CellMap {
  type: string;
  /** PyNN parameter → how to get it from the population's values (SI) → PyNN units. */
  params: Record<string, { from: string[]; f: (...x: number[]) => number }>;
  /** Our state variable → PyNN's initial value name and its scale. */
  init: Record<string, [string, number]>;
  /** Our state variable → PyNN's recordable. */
  record: Record<string, [string, number]>;
  /** Our synaptic target → PyNN receptor ('sign': by the weight's sign) and the weight's scale. */
  targets: Record<string, [string, number]>;
}

const id = (scale: number) => ({ f: (x: number) => x * scale });
const p1 = (name: string, scale: number) => ({ from: [name], ...id(scale) });

function cellMap(model: ModelDefIR, viaV: boolean): CellMap | string {
  if (!/\/prelude\/neurons\.snn$/.test(model.source.uri)) return `model ${model.name} is not one of PyNN's standard models (IF_cond_exp = prelude CobaLIF, IF_curr_exp = LIF, EIF_cond_exp_isfa_ista = AdEx): use one of those`;
  switch (model.name) {
    case 'CobaLIF':
      return {
        type: 'IF_cond_exp',
        params: {
          cm: p1('C_m', NF), tau_m: { from: ['C_m', 'g_l'], f: (c, g) => (c / g) * MS }, v_rest: p1('E_l', MV), e_rev_E: p1('E_e', MV), e_rev_I: p1('E_i', MV),
          tau_syn_E: p1('tau_e', MS), tau_syn_I: p1('tau_i', MS), v_thresh: p1('V_th', MV), v_reset: p1('V_reset', MV), tau_refrac: p1('t_ref', MS),
        },
        init: { v: ['v', MV], g_e: ['gsyn_exc', US], g_i: ['gsyn_inh', US], I_e: ['i_offset', NA] },
        record: { v: ['v', MV], g_e: ['gsyn_exc', US], g_i: ['gsyn_inh', US] },
        targets: { g_e: ['excitatory', US], g_i: ['inhibitory', US] },
      };
    case 'LIF': {
      const params: CellMap['params'] = {
        cm: { from: ['tau_m', 'R_m'], f: (t, r) => (t / r) * NF }, tau_m: p1('tau_m', MS), v_rest: p1('E_l', MV), v_thresh: p1('V_th', MV), v_reset: p1('V_reset', MV), tau_refrac: p1('t_ref', MS),
      };
      if (!viaV) Object.assign(params, { tau_syn_E: p1('tau_syn', MS), tau_syn_I: p1('tau_syn', MS) });
      return {
        type: viaV ? 'IF_curr_delta' : 'IF_curr_exp',
        params,
        init: { v: ['v', MV], I_e: ['i_offset', NA], ...(viaV ? {} : { I_syn: ['isyn_exc', NA] }) } as Record<string, [string, number]>,
        record: { v: ['v', MV] },
        targets: viaV ? { v: ['sign', MV] } : { I_syn: ['sign', NA] },
      };
    }
    case 'AdEx':
      return {
        type: 'EIF_cond_exp_isfa_ista',
        params: {
          cm: p1('C', NF), tau_m: { from: ['C', 'g_L'], f: (c, g) => (c / g) * MS }, v_rest: p1('E_L', MV), v_thresh: p1('V_T', MV), delta_T: p1('Delta_T', MV), tau_w: p1('tau_w', MS),
          a: p1('a', 1e9), b: p1('b', NA), v_reset: p1('V_r', MV), v_spike: p1('V_peak', MV), tau_refrac: p1('t_ref', MS),
        },
        init: { v: ['v', MV], w: ['w', NA], I_e: ['i_offset', NA] },
        record: { v: ['v', MV], w: ['w', NA] },
        targets: {},
      };
    case 'Izhikevich':
      return "PyNN's Izhikevich is the 2003 form (dv/dt = 0.04v² + 5v + 140 − u + I); the prelude's Izhikevich is the dimensional 2007 form: not a PyNN standard model";
    default:
      return `model ${model.name} is not one of PyNN's standard models (IF_cond_exp = prelude CobaLIF, IF_curr_exp = LIF, EIF_cond_exp_isfa_ista = AdEx)`;
  }
}

/** A value in PyNN units: a number, a list, or a RandomDistribution. */
function pyValue(v: ValueIR, scale: number): string {
  if (v.kind === 'const') return fmtNum(v.value * scale);
  if (v.kind === 'list') return `np.array([${v.values.map((x) => fmtNum(x * scale)).join(', ')}])`;
  const [a, b] = v.args;
  switch (v.dist) {
    case 'normal':
      return `RandomDistribution('normal', mu=${fmtNum(a * scale)}, sigma=${fmtNum(b * scale)}, rng=rng)`;
    case 'uniform':
      return `RandomDistribution('uniform', low=${fmtNum(a * scale)}, high=${fmtNum(b * scale)}, rng=rng)`;
    case 'lognormal':
      return `RandomDistribution('lognormal', mu=${fmtNum(Math.log(a * scale))}, sigma=${fmtNum(b)}, rng=rng)`;
    case 'exponential':
      return `RandomDistribution('exponential', beta=${fmtNum(a * scale)}, rng=rng)`;
  }
}

class Writer {
  readonly lines: string[] = [];
  readonly refusals: Refusal[] = [];
  readonly warnings: Refusal[] = [];
  readonly cells = new Map<string, CellMap>();
  line(s = '') {
    this.lines.push(s);
  }
  refuse(where: Where, message: string) {
    this.refusals.push({ where, message });
  }
}

function viaVoltage(ir: ModelIR, pop: string): boolean {
  return ir.connections.some((c) => c.target === 'v' && c.targets.some((t) => t.name === pop));
}

function population(w: Writer, ir: ModelIR, p: PopulationIR, k: number): void {
  const where: Where = { kind: 'population', name: p.name, index: k };
  const m = ir.models[p.model];
  if (!m) return w.refuse(where, `model ${p.model} is not in the IR`);
  const viaV = viaVoltage(ir, p.name);
  if (viaV && ir.connections.some((c) => c.target && c.target !== 'v' && c.targets.some((t) => t.name === p.name))) return w.refuse(where, `${p.name} is driven through v and through ${p.model}'s synaptic current: PyNN has no standard model with both`);
  const cm = cellMap(m, viaV);
  if (typeof cm === 'string') return w.refuse(where, cm);
  if (p.schedules?.length) return w.refuse(where, 'scheduled operations (`every` / `at` blocks) have no PyNN equivalent: remove them or use a current_step');
  if (p.links?.length) return w.refuse(where, 'linked parameters have no PyNN equivalent: give them values');
  w.cells.set(p.name, cm);
  const value = (name: string): ValueIR => p.parameters[name] ?? { kind: 'const', value: m.parameters.find((x) => x.name === name)?.default ?? NaN };
  const args: string[] = [];
  for (const [pn, spec] of Object.entries(cm.params)) {
    const vs = spec.from.map(value);
    if (vs.length === 1 && vs[0].kind !== 'const') {
      const scale = spec.f(1);
      args.push(`${pn}=${pyValue(vs[0], scale)}`);
    } else if (vs.every((v) => v.kind === 'const')) {
      args.push(`${pn}=${fmtNum(spec.f(...vs.map((v) => (v as { value: number }).value)))}`);
    } else return w.refuse(where, `${pn} of ${cm.type} comes from ${spec.from.join(' and ')}, which must then be constants`);
  }
  // Parameters PyNN's model has no place for must keep the prelude's defaults.
  const used = new Set(Object.values(cm.params).flatMap((s) => s.from));
  for (const name of Object.keys(p.parameters)) if (!used.has(name)) return w.refuse(where, `parameter ${name} has no counterpart in PyNN's ${cm.type}`);
  w.line(`pops[${py(p.name)}] = sim.Population(${p.size}, sim.${cm.type}(${args.join(', ')}), label=${py(p.name)})`);
  const init: string[] = [];
  for (const s of m.state) {
    const v = p.init[s.name] ?? (s.init.op === 'const' ? ({ kind: 'const', value: s.init.value } as ValueIR) : undefined);
    const to = cm.init[s.name];
    if (s.name === 'v' && !v) {
      // v starts at the model's expression (E_l): its value.
      if (s.init.op === 'param') init.push(`v=${pyValue(value(s.init.name), MV)}`);
      continue;
    }
    if (!v) continue;
    if (!to) {
      if (v.kind === 'const' && v.value === 0) continue;
      return w.refuse(where, `the initial value of ${s.name} has no counterpart in PyNN's ${cm.type}`);
    }
    if (to[0] === 'i_offset') {
      if (v.kind !== 'const') return w.refuse(where, 'I_e must start constant for PyNN (i_offset)');
      if (v.value !== 0) w.line(`pops[${py(p.name)}].set(i_offset=${fmtNum(v.value * to[1])})`);
      continue;
    }
    init.push(`${to[0]}=${pyValue(v, to[1])}`);
  }
  if (init.length) w.line(`pops[${py(p.name)}].initialize(${init.join(', ')})`);
}

const selector = (s: SelectorIR, size: number) => (s.from === 0 && s.to >= size - 1 ? `pops[${py(s.name)}]` : `pops[${py(s.name)}][${s.from}:${s.to + 1}]`);

function sizeOf(ir: ModelIR, name: string): number {
  const inp = ir.inputs.find((i) => i.name === name);
  return ir.populations.find((p) => p.name === name)?.size ?? (inp && inp.kind !== 'current_step' ? inp.size : 0);
}

function inputs(w: Writer, ir: ModelIR): void {
  ir.inputs.forEach((inp, k) => {
    const where: Where = { kind: 'input', name: inp.name, index: k };
    switch (inp.kind) {
      case 'poisson': {
        const args = [`rate=${pyValue(inp.rate, 1)}`];
        if (inp.start !== undefined) args.push(`start=${fmtNum(inp.start * MS)}`);
        if (inp.stop !== undefined) args.push(`duration=${fmtNum((inp.stop - (inp.start ?? 0)) * MS)}`);
        w.line(`pops[${py(inp.name)}] = sim.Population(${inp.size}, sim.SpikeSourcePoisson(${args.join(', ')}), label=${py(inp.name)})`);
        return;
      }
      case 'spike_array': {
        if (inp.period !== undefined) return w.refuse(where, 'a repeating spike_array (period) has no PyNN equivalent: list every spike');
        const per: number[][] = Array.from({ length: inp.size }, () => []);
        inp.times.forEach((t, q) => per[inp.indices[q]].push(t * MS));
        w.line(`pops[${py(inp.name)}] = sim.Population(${inp.size}, sim.SpikeSourceArray(spike_times=[${per.map((ts) => `Sequence([${ts.sort((a, b) => a - b).map(fmtNum).join(', ')}])`).join(', ')}]), label=${py(inp.name)})`);
        return;
      }
      case 'event_file':
        return w.refuse(where, `event files (${inp.file}) are not exported to PyNN: write the events as a spike_array`);
      case 'current_step': {
        const pop = ir.populations.find((p) => p.name === inp.target.name);
        const cm = w.cells.get(inp.target.name);
        if (!pop || !cm) return w.refuse(where, `the target ${inp.target.name} is not a population PyNN can model`);
        if (inp.target.variable !== 'I_e') return w.refuse(where, `PyNN injects currents only: a current_step on ${inp.target.variable} has no counterpart (drive I_e)`);
        const i0 = pop.init.I_e;
        if (i0 && i0.kind !== 'const') return w.refuse(where, 'I_e must start constant for a current step in PyNN');
        const base = i0 && i0.kind === 'const' ? i0.value : 0;
        // Our step SETS I_e; PyNN's source adds to i_offset (= I_e's initial value).
        w.line(`sim.StepCurrentSource(times=[${inp.times.map((t) => fmtNum(t * MS)).join(', ')}], amplitudes=[${inp.values.map((v) => fmtNum((v - base) * NA)).join(', ')}]).inject_into(${selector(inp.target, pop.size)})`);
        return;
      }
    }
  });
}

const isAddWeight = (s: StatementIR) => s.target.kind === 'target' && s.op === '+=' && s.value.op === 'weight';

function connection(w: Writer, ir: ModelIR, c: ConnectionIR, k: number): void {
  const where: Where = { kind: 'connection', name: c.name, index: k };
  if (c.segments || c.modulated_by || c.pathways) return w.refuse(where, `${c.segments ? 'dendritic segments' : c.modulated_by ? 'modulated synapses' : 'several pathways'} have no PyNN equivalent`);
  const tgtCells = c.targets.map((t) => w.cells.get(t.name));
  if (tgtCells.some((x) => !x)) return w.refuse(where, `the targets must be populations of PyNN standard models`);
  const target = c.target;
  const maps = tgtCells.map((cm) => (target ? cm!.targets[target] : undefined));
  if (!target || maps.some((m) => !m)) return w.refuse(where, `target ${target ?? '(none)'} is not a synapse of PyNN's ${tgtCells[0]!.type}${tgtCells[0]!.type === 'EIF_cond_exp_isfa_ista' ? ' (its synapses are conductances; the prelude AdEx adds a current)' : ''}`);
  const [receptor0, scale] = maps[0]!;
  let receptor = receptor0;
  if (receptor === 'sign') {
    if (c.weight.kind !== 'const') return w.refuse(where, 'a current-based connection needs a constant weight (its sign picks the receptor)');
    receptor = c.weight.value < 0 ? 'inhibitory' : 'excitatory';
  } else if (c.weight.kind === 'const' && c.weight.value < 0) return w.refuse(where, 'a conductance weight must not be negative');
  const syn = c.synapse ? ir.models[c.synapse.model] : undefined;
  const preludeSyn = syn && /\/prelude\/synapses\.snn$/.test(syn.source.uri);
  if (syn && !(preludeSyn && (syn.name === 'Static' || syn.name === 'PairSTDP'))) return w.refuse({ kind: 'model', name: syn.name, uri: syn.source.uri, line: syn.source.line }, `synapse ${syn.name} is not one of PyNN's (StaticSynapse = Static, STDPMechanism = PairSTDP)`);
  if (!syn && !(c.on_pre?.length === 1 && isAddWeight(c.on_pre[0]) && !c.on_post?.length)) return w.refuse(where, "PyNN's StaticSynapse adds the weight to the target on a presynaptic spike: use `target += w` only");
  const weight = c.weight.kind === 'list' ? undefined : pyValue(c.weight, scale);
  if (!weight) return w.refuse(where, 'weights per synapse (lists) are not exported to PyNN');
  let delay = 'DT';
  if (c.delay) {
    if (c.delay.kind === 'list') return w.refuse(where, 'delays per synapse (lists) are not exported to PyNN');
    delay = pyValue(c.delay, MS);
  } else w.warnings.push({ where, message: "no delay: PyNN delivers after its minimum delay (one time step), Spikeworks in the same step; give a delay to keep them equal" });
  const self = `allow_self_connections=${c.autapses ? 'True' : 'False'}`;
  let connector: string;
  switch (c.rule.kind) {
    case 'all_to_all':
      connector = `sim.AllToAllConnector(${self})`;
      break;
    case 'one_to_one':
      connector = 'sim.OneToOneConnector()';
      break;
    case 'random':
      connector = `sim.FixedProbabilityConnector(${fmtNum(c.rule.p)}, ${self}, rng=rng)`;
      break;
    case 'fixed_indegree':
      connector = `sim.FixedNumberPreConnector(${c.rule.k}, ${self}, rng=rng)`;
      break;
    case 'fixed_outdegree':
      connector = `sim.FixedNumberPostConnector(${c.rule.k}, ${self}, rng=rng)`;
      break;
    default:
      return w.refuse(where, `the ${c.rule.kind} rule is not exported to PyNN: use all_to_all, one_to_one, random, fixed_indegree or fixed_outdegree`);
  }
  let synapse = `sim.StaticSynapse(weight=${weight}, delay=${delay})`;
  if (syn?.name === 'PairSTDP') {
    const par = (n: string) => c.synapse!.parameters[n] ?? syn.parameters.find((x) => x.name === n)?.default ?? NaN;
    synapse = `sim.STDPMechanism(timing_dependence=sim.SpikePairRule(tau_plus=${fmtNum(par('tau_plus') * MS)}, tau_minus=${fmtNum(par('tau_minus') * MS)}, A_plus=${fmtNum(par('A_plus'))}, A_minus=${fmtNum(par('A_minus'))}), weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=${fmtNum(par('w_max') * scale)}), weight=${weight}, delay=${delay})`;
  }
  const side = (sels: SelectorIR[]) => (sels.length === 1 ? selector(sels[0], sizeOf(ir, sels[0].name)) : `(${sels.map((s) => selector(s, sizeOf(ir, s.name))).join(' + ')})`);
  w.line(`projections.append(sim.Projection(${side(c.sources)}, ${side(c.targets)}, ${connector}, ${synapse}, receptor_type=${py(receptor)}${c.name ? `, label=${py(c.name)}` : ''}))`);
}

function probes(w: Writer, ir: ModelIR): void {
  ir.probes.forEach((p, k) => {
    const where: Where = { kind: 'probe', index: k };
    for (const t of p.targets) {
      if (p.variable === 'spikes') {
        w.line(`pops[${py(t.name)}]${t.from === 0 && t.to >= sizeOf(ir, t.name) - 1 ? '' : `[${t.from}:${t.to + 1}]`}.record('spikes')`);
        w.line(`recorded.setdefault(${py(t.name)}, set()).add('spikes')`);
        continue;
      }
      const cm = w.cells.get(t.name);
      const rec = cm?.record[p.variable];
      if (!rec) {
        w.warnings.push({ where, message: `probe ${p.variable}(${t.name}) has no PyNN recordable: not recorded` });
        continue;
      }
      w.line(`pops[${py(t.name)}][${t.from}:${t.to + 1}].record(${py(rec[0])}, sampling_interval=${fmtNum((p.every ?? ir.simulate.dt) * MS)})`);
      w.line(`recorded.setdefault(${py(t.name)}, set()).add(${py(rec[0])})`);
      w.line(`scales[(${py(t.name)}, ${py(rec[0])})] = (${py(p.variable)}, ${fmtNum(1 / rec[1])})`);
    }
  });
}

/** The PyNN script of a checked model, or what stops it being written. */
export function toPyNN(ir: ModelIR, o: { backend: PyNNBackend; source?: string }): ExportResult {
  const w = new Writer();
  ir.readouts.forEach((r, k) => w.warnings.push({ where: { kind: 'readout', name: r.name, index: k }, message: `readout ${r.name} is not exported (train it on the script's spikes)` }));
  const module = o.backend === 'spinnaker' ? 'pyNN.spiNNaker' : `pyNN.${o.backend}`;
  w.line(`"""PyNN script of the Spikeworks model ${ir.name}, exported from ${(o.source ?? ir.source).replace(/"""/g, '')} (backend ${o.backend}).

Run: python3 THIS.py [--seed N] [--duration S] [--out FILE.json]
  NEST on a cluster: mpirun -np 4 python3 THIS.py (with --backend nest at export; PyNN splits the
  neurons over the MPI processes, rank 0 writes the file). SpiNNaker: export with --backend
  spinnaker, configure ~/.spynnaker.cfg for your board, run as usual.
Writes JSON with SI units: {"model", "seed", "dt", "duration", "spikes": {population: {"i": [neuron],
"t": [s]}}, "traces": {"population.variable": {"t": [s], "neurons": [index], "values": [[SI] per neuron]}}}.
PyNN units inside: ms, mV, nA, uS, nF, Hz.
"""`);
  w.line(`import argparse
import json
import sys
import warnings

import numpy as np

warnings.filterwarnings('ignore', category=FutureWarning)
import ${module} as sim  # noqa: E402
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: E402,F401
from pyNN.parameters import Sequence  # noqa: E402,F401

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--seed', type=int, default=${ir.simulate.seed})
ap.add_argument('--duration', type=float, default=${fmtNum(ir.simulate.duration)}, help='simulated time in seconds')
ap.add_argument('--out', default=${py(`${ir.name.replace(/[^A-Za-z0-9_-]/g, '_')}_pynn.json`)})
args = ap.parse_args()

DT = ${fmtNum(ir.simulate.dt * MS)}  # ms
sim.setup(timestep=DT, min_delay=DT)
rng = NumpyRNG(seed=args.seed, parallel_safe=True)${o.backend === 'brian2' ? "\nimport brian2  # noqa: E402\nbrian2.seed(args.seed)  # Brian2's own draws (Poisson sources): the same run for the same seed" : ''}
pops = {}
projections = []
recorded = {}
scales = {}
`);
  ir.populations.forEach((p, k) => population(w, ir, p, k));
  inputs(w, ir);
  ir.connections.forEach((c, k) => connection(w, ir, c, k));
  probes(w, ir);
  w.line(`
sim.run(args.duration * 1e3)
results = {'model': ${py(ir.name)}, 'seed': args.seed, 'dt': DT / 1e3, 'duration': args.duration, 'spikes': {}, 'traces': {}}
for name, what in recorded.items():
    seg = pops[name].get_data(list(what)).segments[0]
    if 'spikes' in what:
        i, t = [], []
        for st in seg.spiketrains:
            a = st.annotations
            k = a['source_index'] if 'source_index' in a else pops[name].id_to_index(int(a.get('source_id', a.get('channel_id'))))
            i += [int(k)] * len(st)
            t += (np.asarray(st.rescale('s').magnitude)).tolist()
        order = np.argsort(t, kind='stable')
        results['spikes'][name] = {'i': np.asarray(i)[order].tolist(), 't': np.asarray(t)[order].tolist()}
    for sig in seg.analogsignals:
        var, scale = scales[(name, sig.name)]
        ch = sig.array_annotations.get('channel_index', np.arange(sig.shape[1]))
        results['traces'][name + '.' + var] = {'t': np.asarray(sig.times.rescale('s').magnitude).tolist(), 'neurons': np.asarray(ch).tolist(), 'values': (np.asarray(sig.magnitude).T * scale).tolist()}
if sim.rank() == 0:
    with open(args.out, 'w') as f:
        json.dump(results, f)
    print('wrote ' + args.out + ': ' + ', '.join(f'{k} {len(v["i"])} spikes' for k, v in results['spikes'].items()), file=sys.stderr)
sim.end()`);
  if (w.refusals.length) return { ok: false, refusals: w.refusals, warnings: w.warnings };
  return { ok: true, text: w.lines.join('\n') + '\n', warnings: w.warnings };
}
