// What the Target Report panel shows, computed from the report alone (no DOM: tested in Node):
// the fidelity table's cells, the per-core resource metrics against their limits, the energy
// line and the quantisation table.
import type { TargetReport } from '../../protocol/target-report';

const pct = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} %`);
const fixed = (x: number | null, d: number): string => (x === null ? '–' : x.toFixed(d));
const sig = (x: number): string => String(+x.toPrecision(6));
const count = (x: number): string => x.toLocaleString('en-US');

export const FIDELITY_HEADER = ['Population', 'Float (Hz)', 'Chip (Hz)', 'Rate error', 'Count r', 'van Rossum'];

/** One row of text cells per population, in the report's order. */
export function fidelityRows(r: TargetReport): string[][] {
  return r.fidelity.map((f) => [f.population, f.rate_float_hz.toFixed(3), f.rate_target_hz.toFixed(3), pct(f.rate_error), fixed(f.count_correlation, 3), f.van_rossum.toFixed(3)]);
}

export const QUANT_HEADER = ['Where', 'What', 'Ideal', 'Used', 'Error'];

/** One row per quantisation step: where, what (with its note), ideal, used, relative error. */
export function quantRows(r: TargetReport): string[][] {
  return r.quantisation.map((q) => [q.where, q.note ? `${q.what} (${q.note})` : q.what, sig(q.ideal), sig(q.used), `${(q.error * 100).toFixed(q.error < 1e-3 ? 4 : 2)} %`]);
}

/** A per-core figure against its limit: values[k] belongs to report.resources.cores[k]. */
export interface CoreMetric {
  label: string;
  limit: number;
  values: number[];
  /** Indices of the cores over the limit. */
  over: number[];
}

/**
 * The per-core figures the chart draws: neurons against neurons per core (every target), and on
 * Loihi input axons, output axons and synapse bits against the chip's per-core limits.
 */
export function coreMetrics(r: TargetReport): CoreMetric[] {
  const cores = r.resources.cores;
  const metric = (label: string, limit: number, values: number[]): CoreMetric => ({ label, limit, values, over: values.flatMap((v, k) => (v > limit ? [k] : [])) });
  const out = [metric('neurons', r.resources.neurons_per_core, cores.map((c) => c.last - c.first + 1))];
  const lim = r.resources.limits;
  if (lim) {
    out.push(metric('input axons', lim.in_axons, cores.map((c) => c.in_axons ?? 0)));
    out.push(metric('output axons', lim.out_axons, cores.map((c) => c.out_axons ?? 0)));
    out.push(metric('synapse bits', lim.synapse_bits, cores.map((c) => c.synapse_bits ?? 0)));
  }
  return out;
}

/** The resources summary line. */
export function resourcesLine(r: TargetReport): string {
  const pops = new Set(r.resources.cores.map((c) => c.population)).size;
  return `${count(r.resources.cores.length)} core${r.resources.cores.length === 1 ? '' : 's'} for ${pops} population${pops === 1 ? '' : 's'}, ${r.resources.neurons_per_core} neurons per core, ${r.resources.chips} chip${r.resources.chips === 1 ? '' : 's'}`;
}

/** Joules with an SI prefix (SFQ energies are pJ to aJ). */
function joules(x: number): string {
  for (const [s, p] of [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']] as const) if (Math.abs(x) >= s) return `${+(x / s).toPrecision(4)} ${p}J`;
  return `${+(x / 1e-18).toPrecision(4)} aJ`;
}

/** Energy and chip time per simulated second (SFQ: per inference, without and with the cryocooler), always labelled an estimate with its source. */
export function energyLines(r: TargetReport): { figure: string; source: string } {
  const e = r.energy;
  const pi = e.per_inference;
  const figure = pi
    ? `Estimate: ${joules(pi.j)} per inference on the chip, ${joules(pi.j_with_cooling)} with the cryocooler (× ${1 + pi.cryo_overhead}); ${pi.inferences} inference${pi.inferences === 1 ? '' : 's'} in the run`
    : e.j_per_sim_s === null || e.chip_s_per_sim_s === null
      ? 'Not estimated for this target (no published per-event figures; see the source)'
      : `Estimate: ${(e.j_per_sim_s * 1e6).toFixed(2)} µJ and ${(e.chip_s_per_sim_s * 1e3).toFixed(2)} ms of chip time per simulated second`;
  return { figure, source: `Source: ${e.source}` };
}

export const CROSSBAR_HEADER = ['Connection', 'Crossbar', 'Synapses', 'SA0', 'SA1', 'Weight error (RMS)'];

/** A memristor target: one row per connection's crossbar; and the settings and neuron faults as lines. */
export function crossbarRows(r: TargetReport): { rows: string[][]; lines: string[] } {
  const c = r.crossbar;
  if (!c) return { rows: [], lines: [] };
  return {
    rows: c.crossbars.map((x) => [x.connection, `${x.rows} × ${x.cols}`, count(x.synapses), count(x.sa0), count(x.sa1), `${(x.rms_error * 100).toFixed(2)} %`]),
    lines: [
      `${c.mapping} mapping, ${c.levels} levels from ${sig(c.g_min_s * 1e6)} to ${sig(c.g_max_s * 1e6)} µS; device variation σ ${sig(c.variability)}, read noise σ ${sig(c.read_noise)}, wire ${sig(c.r_wire_ohm)} Ω per cell`,
      `Synapse faults: ratio ${sig(c.fault.ratio)}, ${c.fault.type}, ${c.fault.position} positions. Neuron faults: ratio ${sig(c.fault.neuron_ratio)}, ${c.fault.neuron_type}.`,
      ...c.neurons.map((n) => `${n.population}: ${count(n.dead)} dead, ${count(n.saturated)} saturated neurons`),
      `Fault map digest ${c.digest}`,
    ],
  };
}

/** The title line: model, target, seed, simulated time. */
export function titleLine(r: TargetReport): string {
  return `${r.file} on ${r.target.name} (${r.target.kind}, emulated ${r.target.kind === 'sfq' ? 'pulse by pulse' : r.target.kind === 'memristor' ? 'on crossbar-mapped weights' : 'bit-accurately'} by ${r.target.backend}): seed ${r.seed}, ${+r.simulated_s.toFixed(4)} s simulated at dt ${+(r.dt * 1e3).toPrecision(4)} ms`;
}

/** The JSON the Export button saves (the report as the worker sent it). */
export function reportJson(r: TargetReport): string {
  return JSON.stringify(r, null, 1) + '\n';
}
