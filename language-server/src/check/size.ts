// The size check: neurons, expected synapses and memory against spikeworks.maxSynapses and
// spikeworks.memoryLimitMB. The memory is the engine's own estimate (sim-host core/estimate.ts):
// the same formula, fed with what the checks found, gives the figure the run is refused with.
import type * as A from '../ast';
import { fmtCount, fmtBytes, layoutOf } from './util';
import type { Estimate, FileAnalysis, ModelInfo, NetItem } from '../analysis';
import type { Checker } from './context';
import { connectionMemory, linkIndexBytes, populationBytes, sourceBytes, type PairShape } from '../../../sim-host/src/core/estimate';
import { DEFAULT_SIMULATE, DEFAULT_SPACING } from '../schema';
import { linkArgs, linkedCall } from './linked';

/** Neurons, synapses and bytes of the model against the limits (final phase). */
export function checkSize(cx: Checker): FileAnalysis['totals'] {
  let neurons = 0;
  let stateBytes = 0;
  for (const item of cx.network.values()) {
    if ((item.kind === 'population' || item.kind === 'input') && item.size) neurons += item.size;
    if (item.kind === 'population') stateBytes += populationBytes(item.size ?? 0, stateVars(item.model), parameterCount(item)) + linkIndexBytes(item.size ?? 0, indexedLinks(item));
    else if (item.kind === 'input' && item.spiking) stateBytes += sourceBytes(item.size ?? 0);
  }
  const dt = cx.simulate.dt ?? DEFAULT_SIMULATE.dt;
  let synapses = 0;
  let bytes = stateBytes;
  const num = (x: A.Expr) => cx.typeOf(x).value;
  const layouts = new Map<string, PairShape['sourceLayout']>();
  const layout = (name: string): PairShape['sourceLayout'] => {
    if (layouts.has(name)) return layouts.get(name);
    const item = cx.network.get(name);
    const l = item?.kind === 'population' ? layoutOf(item.node, num) : undefined;
    const out = l ? { ...l, spacing: l.spacing ?? DEFAULT_SPACING } : undefined;
    layouts.set(name, out);
    return out;
  };
  const populationSize = (name: string, selected: number) => {
    const item = cx.network.get(name);
    return item && (item.kind === 'population' || item.kind === 'input') ? item.size ?? selected : selected;
  };
  for (const e of cx.estimates) {
    const pairs = e.pairs.map((p): PairShape => ({ sources: p.sources, targets: p.targets, targetPopulation: populationSize(p.target, p.targets), sourceLayout: layout(p.source) }));
    const m = connectionMemory(e.rule, pairs, e.delay, dt, e.pathways);
    e.synapses = m.synapses;
    e.bytes = m.synapseBytes + m.ringBytes;
    synapses += e.synapses;
    bytes += e.bytes;
  }
  const { maxSynapses, memoryBytes } = cx.ctx.limits;
  const anchor = cx.estimates.reduce<Estimate | undefined>((a, e) => (!a || e.synapses > a.synapses ? e : a), undefined);
  if (synapses > maxSynapses && anchor) {
    cx.err(anchor.node.keyword, `the model has about ${fmtCount(synapses)} synapses, above the limit of ${fmtCount(maxSynapses)} (spikeworks.maxSynapses); lower the connection probability or the population sizes`, 'too-large');
  } else if (bytes > memoryBytes && (anchor || cx.network.size)) {
    const at = anchor ? anchor.node.keyword : [...cx.network.values()][0].sym.span;
    cx.err(at, `the model needs about ${fmtBytes(bytes)} (state ${fmtBytes(stateBytes)}, synapses and delay buffers ${fmtBytes(bytes - stateBytes)}), above the limit of ${fmtBytes(memoryBytes)} (spikeworks.memoryLimitMB); reduce sizes or connectivity`, 'too-large');
  }
  return { neurons, synapses, bytes };
}

/** State variables a population of `model` keeps per neuron (1 when the model is unknown). */
function stateVars(model: ModelInfo | undefined): number {
  return model ? [...model.vars.values()].filter((v) => v.kind === 'state').length : 1;
}

/** Links of a population given an index (linked(x.v, index = …)): each has an index array. */
function indexedLinks(item: Extract<NetItem, { kind: 'population' }>): number {
  return item.node.inits.filter((x) => { const c = linkedCall(x.value); return c && linkArgs(c).index; }).length;
}

/** Parameters a population sets per population (PopulationIR.parameters, and links: PopulationIR.links). */
function parameterCount(item: Extract<NetItem, { kind: 'population' }>): number {
  const names = new Set<string>();
  for (const x of item.node.inits) {
    if (x.target.kind === 'name' && item.model?.vars.get(x.target.name)?.kind === 'parameter') names.add(x.target.name);
  }
  // and those a scheduled operation assigns (the plan stores them per neuron)
  for (const st of (item.node.schedules ?? []).flatMap((s) => s.statements)) {
    if (st.target.kind === 'name' && item.model?.vars.get(st.target.name)?.kind === 'parameter') names.add(st.target.name);
  }
  return names.size;
}
