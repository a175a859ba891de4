// The Target Report: what an emulated run reports (sim-host/src/target-report.ts builds it from
// engine.ts's Emulation) as plain data — the worker's 'emulated' message carries it, the Target
// Report panel (webviews/target-report/) shows it and exports it as JSON. Checked on arrival.

export const TARGET_REPORT_VIEW_TYPE = 'spikeworks.targetReport';

export interface ReportFidelity {
  population: string;
  rate_float_hz: number;
  rate_target_hz: number;
  /** (chip − float) / float; null when the float rate is 0. */
  rate_error: number | null;
  /** Pearson correlation of per-neuron spike counts; null when either is constant. */
  count_correlation: number | null;
  /** Mean van Rossum distance over neurons (τ = 10 ms, dimensionless). */
  van_rossum: number;
}

/** One core: the neurons it holds and, on Loihi, what it uses of the per-core limits. */
export interface ReportCore {
  core: number;
  population: string;
  first: number;
  last: number;
  in_axons?: number;
  out_axons?: number;
  synapse_bits?: number;
}

export interface ReportQuantStep {
  where: string;
  what: string;
  ideal: number;
  used: number;
  /** |used − ideal| / |ideal|; weights: RMS relative error over synapses. */
  error: number;
  note?: string;
}

/** A memristor target's crossbar mapping and fault map (targets/memristor/report.ts). */
export interface ReportCrossbar {
  mapping: string;
  g_min_s: number;
  g_max_s: number;
  levels: number;
  variability: number;
  read_noise: number;
  r_wire_ohm: number;
  fault: { ratio: number; type: string; position: string; neuron_ratio: number; neuron_type: string };
  /** Equal maps have equal digests. */
  digest: string;
  crossbars: { connection: string; rows: number; cols: number; synapses: number; sa0: number; sa1: number; w_max: number; rms_error: number }[];
  neurons: { population: string; dead: number; saturated: number }[];
}

export interface TargetReport {
  format: 'spikeworks-target-report/1';
  /** The model file's name (as the user sees it; shown as text, never markup). */
  file: string;
  target: { name: string; kind: 'loihi2' | 'spinnaker2' | 'sfq' | 'memristor'; backend: string };
  seed: number;
  dt: number;
  simulated_s: number;
  fidelity: ReportFidelity[];
  resources: {
    neurons_per_core: number;
    chips: number;
    cores: ReportCore[];
    /** Per-core limits the chart draws against (Loihi); null where the chip has none we check (SpiNNaker). */
    limits: { in_axons: number; out_axons: number; synapse_bits: number } | null;
    /** Further facts: the real-time slow-down, delay extensions. */
    notes: string[];
  };
  violations: { where: string; message: string }[];
  /** Energy and chip time per simulated second: always an estimate, with its source; null figures where none is published. */
  energy: {
    source: string; j_per_sim_s: number | null; chip_s_per_sim_s: number | null;
    /** SFQ: energy per inference (a window of the model's first task), without and with the cryocooler (× (1 + cryo_overhead)). */
    per_inference?: { inferences: number; j: number; j_with_cooling: number; cryo_overhead: number };
  };
  quantisation: ReportQuantStep[];
  approximations: string[];
  /** memristor targets: the mapping and the fault map. */
  crossbar?: ReportCrossbar;
}

/** extension → panel */
/** `document`: the model's URI (kept in the panel's state so that it is revived for the same model). */
export type TargetReportMessage = { type: 'report'; document: string; report: TargetReport };
/** panel → extension */
export type TargetReportRequest = { type: 'ready' } | { type: 'export-json' };

/** What the panel keeps with getState/setState (restored after a reload). */
export interface TargetReportState {
  document: string;
  report: TargetReport;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number';
const numOrNull = (v: unknown): boolean => v === null || typeof v === 'number';
const str = (v: unknown): v is string => typeof v === 'string';
const optNum = (v: unknown): boolean => v === undefined || typeof v === 'number';

export function isTargetReport(r: unknown): r is TargetReport {
  if (!isObj(r) || r.format !== 'spikeworks-target-report/1' || !str(r.file) || !num(r.seed) || !num(r.dt) || !num(r.simulated_s)) return false;
  const t = r.target;
  if (!isObj(t) || !str(t.name) || (t.kind !== 'loihi2' && t.kind !== 'spinnaker2' && t.kind !== 'sfq' && t.kind !== 'memristor') || !str(t.backend)) return false;
  if (r.crossbar !== undefined && !isCrossbar(r.crossbar)) return false;
  if (!Array.isArray(r.fidelity) || !r.fidelity.every((f) => isObj(f) && str(f.population) && num(f.rate_float_hz) && num(f.rate_target_hz) && numOrNull(f.rate_error) && numOrNull(f.count_correlation) && num(f.van_rossum))) return false;
  const res = r.resources;
  if (!isObj(res) || !num(res.neurons_per_core) || !num(res.chips) || !Array.isArray(res.cores) || !Array.isArray(res.notes) || !res.notes.every(str)) return false;
  if (!res.cores.every((c) => isObj(c) && num(c.core) && str(c.population) && num(c.first) && num(c.last) && optNum(c.in_axons) && optNum(c.out_axons) && optNum(c.synapse_bits))) return false;
  const lim = res.limits;
  if (lim !== null && !(isObj(lim) && num(lim.in_axons) && num(lim.out_axons) && num(lim.synapse_bits))) return false;
  if (!Array.isArray(r.violations) || !r.violations.every((v) => isObj(v) && str(v.where) && str(v.message))) return false;
  const e = r.energy;
  if (!isObj(e) || !str(e.source) || !numOrNull(e.j_per_sim_s) || !numOrNull(e.chip_s_per_sim_s)) return false;
  const pi = e.per_inference;
  if (pi !== undefined && !(isObj(pi) && num(pi.inferences) && num(pi.j) && num(pi.j_with_cooling) && num(pi.cryo_overhead))) return false;
  if (!Array.isArray(r.quantisation) || !r.quantisation.every((q) => isObj(q) && str(q.where) && str(q.what) && num(q.ideal) && num(q.used) && num(q.error) && (q.note === undefined || str(q.note)))) return false;
  return Array.isArray(r.approximations) && r.approximations.every(str);
}

function isCrossbar(c: unknown): c is ReportCrossbar {
  if (!isObj(c) || !str(c.mapping) || !num(c.g_min_s) || !num(c.g_max_s) || !num(c.levels) || !num(c.variability) || !num(c.read_noise) || !num(c.r_wire_ohm) || !str(c.digest)) return false;
  const f = c.fault;
  if (!isObj(f) || !num(f.ratio) || !str(f.type) || !str(f.position) || !num(f.neuron_ratio) || !str(f.neuron_type)) return false;
  if (!Array.isArray(c.crossbars) || !c.crossbars.every((x) => isObj(x) && str(x.connection) && num(x.rows) && num(x.cols) && num(x.synapses) && num(x.sa0) && num(x.sa1) && num(x.w_max) && num(x.rms_error))) return false;
  return Array.isArray(c.neurons) && c.neurons.every((n) => isObj(n) && str(n.population) && num(n.dead) && num(n.saturated));
}

export function isTargetReportMessage(m: unknown): m is TargetReportMessage {
  return isObj(m) && m.type === 'report' && str(m.document) && isTargetReport(m.report);
}

export function isTargetReportRequest(m: unknown): m is TargetReportRequest {
  return isObj(m) && (m.type === 'ready' || m.type === 'export-json');
}

export function isTargetReportState(s: unknown): s is TargetReportState {
  return isObj(s) && str(s.document) && isTargetReport(s.report);
}
