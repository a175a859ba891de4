// Final phase, after the size check: does the model fit the Loihi 2 targets its `target NAME =
// loihi2 { … }` blocks describe? Each population is cut into cores of neurons_per_core neurons;
// the fullest core's expected input axons, synapse bits and output axons (protocol/loihi2.ts,
// fed with the size check's expected synapses) are held against Loihi's per-core limits, and the
// warning sits on the connection that contributes most, saying what to change. The number of
// cores is held against the block's `cores`. A neurons_per_core above Loihi's 1,024
// compartments is an error on that property. The emulation (`spikeworks emulate`) counts the
// drawn synapses exactly. A `spinnaker2` block: at most 256 neurons per core, and its `cores`.
import type * as A from '../ast';
import { expectedCoreUse, LOIHI_LIMITS, SPINNAKER_NEURONS_PER_CORE, type CorePair } from '../../../protocol/loihi2';
import type { Checker } from './context';
import { fmtCount } from './util';

export function checkTargets(cx: Checker, items: readonly A.Item[]): void {
  checkSpinnaker(cx, items);
  checkConversionRange(cx, items);
  const blocks = items.filter((i): i is A.BlockDef => i.kind === 'target' && i.type?.name === 'loihi2');
  if (!blocks.length) return;
  const pairs: (CorePair & { node: A.ConnectDef })[] = [];
  for (const e of cx.estimates) {
    const total = e.pairs.reduce((a, p) => a + p.sources * p.targets, 0);
    for (const p of e.pairs) {
      const share = total > 0 ? (p.sources * p.targets) / total : 0;
      pairs.push({ source: p.source, target: p.target, sources: p.sources, targets: p.targets, synapses: e.synapses * share, delays: !!e.delay, node: e.node });
    }
  }
  const pops: { name: string; size: number }[] = [];
  for (const it of cx.network.values()) if (it.kind === 'population' && it.size) pops.push({ name: it.sym.name, size: it.size });
  for (const b of blocks) {
    const prop = (k: string) => b.props.find((p) => p.key.name === k);
    const num = (k: string) => {
      const p = prop(k);
      const v = p ? cx.typeOf(p.value).value : undefined;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    };
    const name = b.name?.name ?? 'loihi2';
    const npcProp = prop('neurons_per_core');
    const npc = num('neurons_per_core') ?? LOIHI_LIMITS.compartments;
    if (npcProp && npc > LOIHI_LIMITS.compartments) {
      cx.err(npcProp.value, `a Loihi core holds at most ${fmtCount(LOIHI_LIMITS.compartments)} compartments; neurons_per_core ${fmtCount(npc)} cannot be mapped (use at most 1024)`, 'target-limit');
      continue;
    }
    let cores = 0;
    for (const pop of pops) {
      const u = expectedCoreUse(pop.name, pop.size, npc, pairs);
      cores += u.cores;
      const fix = (split: string) => `lower neurons_per_core (now ${fmtCount(npc)} on target ${name}) or split ${split}`;
      const at = (k: number | undefined) => (k === undefined ? b.keyword : pairs[k].node.keyword);
      const label = (k: number | undefined) => (k === undefined ? pop.name : `${pairs[k].source} → ${pairs[k].target}`);
      if (u.inAxons > LOIHI_LIMITS.inAxons) {
        cx.warn(at(u.mostIn), `${label(u.mostIn)} needs about ${fmtCount(u.inAxons)} input axons on a core of ${pop.name}, the limit is 4,096: ${fix(u.mostIn === undefined ? pop.name : pairs[u.mostIn].source)}`, 'target-limit');
      }
      if (u.synapseBits > LOIHI_LIMITS.synapseBits) {
        cx.warn(at(u.mostIn), `${label(u.mostIn)}: a core of ${pop.name} needs about ${fmtCount(u.synapseBits)} synapse bits, the limit is 1,048,576: ${fix(pop.name)}`, 'target-limit');
      }
      if (u.outAxons > LOIHI_LIMITS.outAxons) {
        cx.warn(at(u.mostOut), `${label(u.mostOut)}: a core of ${pop.name} needs about ${fmtCount(u.outAxons)} output axons, the limit is 4,096: ${fix(pop.name)}`, 'target-limit');
      }
    }
    const coresProp = prop('cores');
    const have = num('cores');
    if (coresProp && have !== undefined && cores > have) {
      cx.warn(coresProp.value, `the model needs ${fmtCount(cores)} cores at ${fmtCount(npc)} neurons per core; target ${name} has ${fmtCount(have)}: raise cores or neurons_per_core`, 'target-limit');
    }
  }
}

/** SpiNNaker 2 (sPyNNaker): at most 256 neurons per core; the cores the populations need against `cores`. */
function checkSpinnaker(cx: Checker, items: readonly A.Item[]): void {
  const blocks = items.filter((i): i is A.BlockDef => i.kind === 'target' && i.type?.name === 'spinnaker2');
  for (const b of blocks) {
    const prop = (k: string) => b.props.find((p) => p.key.name === k);
    const num = (k: string) => {
      const p = prop(k);
      const v = p ? cx.typeOf(p.value).value : undefined;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    };
    const npcProp = prop('neurons_per_core');
    const npc = num('neurons_per_core') ?? SPINNAKER_NEURONS_PER_CORE;
    if (npcProp && npc > SPINNAKER_NEURONS_PER_CORE) {
      cx.err(npcProp.value, `a SpiNNaker core runs at most ${SPINNAKER_NEURONS_PER_CORE} neurons (sPyNNaker's row length); neurons_per_core ${fmtCount(npc)} cannot be mapped`, 'target-limit');
      continue;
    }
    let cores = 0;
    for (const it of cx.network.values()) if (it.kind === 'population' && it.size) cores += Math.ceil(it.size / npc);
    const coresProp = prop('cores');
    const have = num('cores');
    if (coresProp && have !== undefined && cores > have) {
      cx.warn(coresProp.value, `the model needs ${fmtCount(cores)} cores at ${fmtCount(npc)} neurons per core; target ${b.name?.name ?? 'spinnaker2'} has ${fmtCount(have)}: raise cores or neurons_per_core`, 'target-limit');
    }
  }
}

/** Orders of magnitude from 1 (SI) beyond which a parameter makes the chips' conversion overflow or cancel (sim-host/src/targets/common/program.ts extremeParam: the same bound). */
const EXTREME_ORDERS = 50;

/**
 * A NaN in conversion, before it happens: with a loihi2 or spinnaker2 target, a population
 * parameter more than 50 orders of magnitude from 1 in SI units (no physical LIF parameter is)
 * overflows or cancels in the float → fixed-point conversion, and `spikeworks emulate` refuses
 * the model at that parameter. The warning sits on the value.
 */
function checkConversionRange(cx: Checker, items: readonly A.Item[]): void {
  const targets = items.filter((i): i is A.BlockDef => i.kind === 'target' && (i.type?.name === 'loihi2' || i.type?.name === 'spinnaker2'));
  if (!targets.length) return;
  const names = targets.map((t) => t.name?.name ?? t.type?.name).join(', ');
  for (const it of cx.network.values()) {
    if (it.kind !== 'population' || !it.model) continue;
    for (const a of it.node.inits) {
      if (a.target.kind !== 'name' || it.model.vars.get(a.target.name)?.kind !== 'parameter') continue;
      const v = cx.typeOf(a.value).value;
      if (v === undefined || v === 0 || !Number.isFinite(v)) continue;
      if (Math.abs(Math.log10(Math.abs(v))) <= EXTREME_ORDERS) continue;
      cx.warn(a.value, `${a.target.name} = ${v.toPrecision(3)} (SI) is far outside what a chip's numbers hold: converting ${it.sym.name} for target ${names} gives NaN or ∞, and emulate refuses it`, 'target-limit');
    }
  }
}
