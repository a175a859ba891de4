// Final phase, after the size check: does the model fit the Loihi 2 targets its `target NAME =
// loihi2 { … }` blocks describe? Each population is cut into cores of neurons_per_core neurons;
// the fullest core's expected input axons, synapse bits and output axons (protocol/loihi2.ts,
// fed with the size check's expected synapses) are held against Loihi's per-core limits, and the
// warning sits on the connection that contributes most, saying what to change. The number of
// cores is held against the block's `cores`. A neurons_per_core above Loihi's 1,024
// compartments is an error on that property. The emulation (`spikeworks emulate`) counts the
// drawn synapses exactly. A `spinnaker2` block: at most 256 neurons per core, and its `cores`.
// An `sfq` block: a clock period no longer than dt, a 50 %-pass bias below I_c, and without a
// `threshold` (the model in flux quanta) constant weights of at most one quantum.
import type * as A from '../ast';
import { expectedCoreUse, LOIHI_LIMITS, SPINNAKER_NEURONS_PER_CORE, type CorePair } from '../../../protocol/loihi2';
import { SFQ_DEFAULT } from '../../../protocol/sfq';
import { isDimensionless } from '../units';
import type { Checker } from './context';
import { fmtCount } from './util';

export function checkTargets(cx: Checker, items: readonly A.Item[]): void {
  checkSpinnaker(cx, items);
  checkSfq(cx, items);
  checkMemristor(cx, items);
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
    const { prop, num } = blockValues(cx, b);
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
    const { prop, num } = blockValues(cx, b);
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

/**
 * SFQ: one clock period must not exceed dt (the emulation runs dt·clock ticks per step; a warning
 * when dt is not a whole number of periods), and the 50 %-pass bias current must stay below I_c.
 * Ranges of single values (clock > 0, I_c > 0, leak in [0, 1], threshold ≥ 1) are the schema's.
 */
function checkSfq(cx: Checker, items: readonly A.Item[]): void {
  const blocks = items.filter((i): i is A.BlockDef => i.kind === 'target' && i.type?.name === 'sfq');
  const inQuanta = blocks.find((b) => !b.props.some((p) => p.key.name === 'threshold'));
  if (inQuanta) {
    // The model is read in flux quanta: a constant weight is a pass probability, at most 1.
    for (const it of items) {
      if (it.kind !== 'connect') continue;
      const wp = it.props.find((p) => p.key.name === 'weight');
      const ty = wp ? cx.typeOf(wp.value) : undefined;
      if (!wp || !ty || typeof ty.value !== 'number' || !(ty.dim === null || isDimensionless(ty.dim)) || Math.abs(ty.value) <= 1) continue;
      cx.warn(wp.value, `target ${inQuanta.name?.name ?? 'sfq'} reads the model in flux quanta: a weight is the probability that a synapse passes a pulse (negative: it removes a quantum), so |w| ≤ 1, not ${+Math.abs(ty.value).toPrecision(4)}; lower the weight or give the target a threshold`, 'target-limit');
    }
  }
  for (const b of blocks) {
    const { prop, num } = blockValues(cx, b);
    const name = b.name?.name ?? 'sfq';
    const clockProp = prop('clock');
    const clock = clockProp ? num('clock') : SFQ_DEFAULT.clock;
    const dt = cx.simulate.dt;
    if (clock !== undefined && clock > 0 && dt !== undefined && dt > 0) {
      const ratio = dt * clock;
      const at = clockProp?.value ?? b.type ?? b.keyword;
      if (ratio < 1 - 1e-9) {
        cx.err(at, `target ${name}: the clock period ${fmtSeconds(1 / clock)} is longer than the model's dt ${fmtSeconds(dt)}; the chip needs at least one clock per step: raise clock to at least ${+(1 / dt / 1e9).toPrecision(4)} GHz or lengthen dt`, 'target-limit');
      } else if (Math.abs(ratio - Math.round(ratio)) > 1e-6 * ratio) {
        cx.warn(at, `target ${name}: dt is ${+ratio.toPrecision(6)} clock periods; the emulation runs ${Math.round(ratio)} tick(s) per step (make dt a whole number of clock periods)`, 'target-limit');
      }
    }
    const p50Prop = prop('bias_p50');
    const p50 = num('bias_p50') ?? SFQ_DEFAULT.bias_p50;
    const ic = num('i_c') ?? SFQ_DEFAULT.i_c;
    if (p50 >= ic && ic > 0) {
      cx.err(p50Prop?.value ?? prop('i_c')?.value ?? b.keyword, `target ${name}: bias_p50 ${+(p50 * 1e6).toPrecision(4)} µA is not below the critical current i_c ${+(ic * 1e6).toPrecision(4)} µA (a junction biased above I_c switches on its own)`, 'bad-value');
    }
  }
}

function fmtSeconds(x: number): string {
  for (const [s, u] of [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns'], [1e-12, 'ps']] as const) if (x >= s) return `${+(x / s).toPrecision(4)} ${u}`;
  return `${+(x / 1e-15).toPrecision(4)} fs`;
}

/** Memristor crossbars: G_min below G_max (each alone is range-checked by the schema; defaults g_max 1 mS, g_min g_max/10). */
function checkMemristor(cx: Checker, items: readonly A.Item[]): void {
  for (const b of items) {
    if (b.kind !== 'target' || b.type?.name !== 'memristor') continue;
    const { prop, num } = blockValues(cx, b);
    const gMax = num('g_max') ?? 1e-3;
    const gMin = num('g_min') ?? gMax / 10;
    if (gMin >= gMax) {
      const at = prop('g_min') ?? prop('g_max')!;
      const fmt = (g: number) => `${+(g * 1e6).toPrecision(4)} µS`;
      cx.err(at.value, `g_min (${fmt(gMin)}${prop('g_min') ? '' : ', the default'}) must be below g_max (${fmt(gMax)}${prop('g_max') ? '' : ', the default'}) on target ${b.name?.name ?? 'memristor'}: the crossbar maps weights onto [g_min, g_max]`, 'out-of-range');
    }
  }
}

/** A target block's property by key, and its value when it is a finite constant (SI units). */
function blockValues(cx: Checker, b: A.BlockDef): { prop: (k: string) => A.Property | undefined; num: (k: string) => number | undefined } {
  const prop = (k: string) => b.props.find((p) => p.key.name === k);
  const num = (k: string) => {
    const p = prop(k);
    const v = p ? cx.typeOf(p.value).value : undefined;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  return { prop, num };
}

/** Orders of magnitude from 1 (SI) beyond which a parameter makes the chips' conversion overflow or cancel (sim-host/src/core/lif-eval.ts extremeParam: the same bound). */
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
