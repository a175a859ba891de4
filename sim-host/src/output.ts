// Writing run results: the compact binary spike file, CSV on request, probed traces as CSV,
// and the summary (ARCHITECTURE.md "Contracts"). Formats are documented in protocol/results.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadoutOutcome } from '../../protocol/readout';
import type { RunOutput } from '../../protocol/sim';
import { writeNpy } from './npy';
import { formatSeconds, TIME_COLUMN, timeDecimals, traceColumn } from '../../protocol/units';

export const SPIKE_MAGIC = 'SWSPIKE1';

export interface Summary {
  populations: { name: string; size: number; spikes: number; rate_hz: number; cv_isi: number | null }[];
  wall_s: number;
  sim_s: number;
  steps_per_s: number;
  backend: string;
  seed: number;
  dt: number;
  steps: number;
  cancelled: boolean;
  synapses: number;
  memory_mb: number;
  timings: { check_s?: number; plan_s: number; compile_s: number; run_s: number };
  error?: string;
  /** What stopped the run early (RunOutput.stopReason). */
  stop_reason?: string;
  /** The model's readouts scored on the run (RunOutput.readouts; protocol/results.md). */
  readouts?: ReadoutOutcome[];
  /** WASM runs: the workers asked for and used, and why fewer (RunOutput.threads). */
  threads?: RunOutput['threads'];
}

export function summarize(out: RunOutput, wallS: number, backend: string, checkS?: number): Summary {
  const simS = out.stepsDone * out.dt;
  return {
    populations: out.spikes.map((p) => ({ name: p.name, size: p.size, spikes: p.steps.length, rate_hz: simS > 0 && p.size > 0 ? p.steps.length / p.size / simS : 0, cv_isi: cvIsi(p.steps, p.neurons) })),
    wall_s: wallS,
    sim_s: simS,
    steps_per_s: out.timings.run_s > 0 ? out.stepsDone / out.timings.run_s : 0,
    backend,
    seed: out.seed,
    dt: out.dt,
    steps: out.stepsDone,
    cancelled: out.cancelled,
    synapses: out.synapses,
    memory_mb: out.memoryBytes / 2 ** 20,
    timings: { ...(checkS !== undefined ? { check_s: checkS } : {}), ...out.timings },
    ...(out.error ? { error: out.error } : {}),
    ...(out.stopReason ? { stop_reason: out.stopReason } : {}),
    ...(out.readouts ? { readouts: out.readouts } : {}),
    ...(out.threads ? { threads: out.threads } : {}),
  };
}

/** Mean over neurons (with ≥ 3 spikes) of the coefficient of variation of inter-spike intervals. */
export function cvIsi(steps: Int32Array, neurons: Int32Array): number | null {
  // Memory and time O(spikes), whatever the population size (up to 2^31 neurons): per-neuron
  // sums in typed arrays indexed by neuron while the largest index is within a few times the
  // spike count, otherwise spikes sorted by neuron. Both add intervals in spike order and CVs
  // in ascending neuron order, so they give the same number bit for bit.
  let size = 0;
  for (let k = 0; k < neurons.length; k++) if (neurons[k] >= size) size = neurons[k] + 1;
  const acc = { total: 0, count: 0 };
  if (size <= DENSE_CV_SLACK + 2 * neurons.length) cvDense(steps, neurons, size, acc);
  else cvSparse(steps, neurons, acc);
  return acc.count ? acc.total / acc.count : null;
}

/** Largest neuron index beyond twice the spike count for which cvIsi uses per-neuron arrays. */
const DENSE_CV_SLACK = 1 << 16;

interface CvSum {
  total: number;
  count: number;
}

/** Adds one neuron's CV (from its interval count and sums) when it has ≥ 2 intervals. */
function addNeuronCv(acc: CvSum, n: number, sx: number, sxx: number): void {
  if (n < 2) return;
  const m = sx / n;
  const v = Math.max(0, sxx / n - m * m);
  if (m > 0) {
    acc.total += Math.sqrt(v) / m;
    acc.count++;
  }
}

/** Per-neuron sums in typed arrays of `size` entries (a Map of tuples would cost ~100 B per neuron). */
function cvDense(steps: Int32Array, neurons: Int32Array, size: number, acc: CvSum): void {
  const last = new Int32Array(size).fill(-1);
  const n = new Int32Array(size);
  const sx = new Float64Array(size);
  const sxx = new Float64Array(size);
  for (let k = 0; k < steps.length; k++) {
    const i = neurons[k];
    if (last[i] >= 0) {
      const x = steps[k] - last[i];
      n[i]++;
      sx[i] += x;
      sxx[i] += x * x;
    }
    last[i] = steps[k];
  }
  for (let i = 0; i < size; i++) addNeuronCv(acc, n[i], sx[i], sxx[i]);
}

/** Spike indices sorted by (neuron, index), then one neuron's spikes at a time. */
function cvSparse(steps: Int32Array, neurons: Int32Array, acc: CvSum): void {
  const len = Math.min(steps.length, neurons.length);
  let kept = 0;
  for (let k = 0; k < len; k++) if (neurons[k] >= 0) kept++;
  const order = new Uint32Array(kept);
  for (let k = 0, j = 0; k < len; k++) if (neurons[k] >= 0) order[j++] = k;
  order.sort((a, b) => neurons[a] - neurons[b] || a - b);
  for (let j = 0; j < order.length; ) {
    const i = neurons[order[j]];
    let last = -1;
    let n = 0;
    let sx = 0;
    let sxx = 0;
    for (; j < order.length && neurons[order[j]] === i; j++) {
      const t = steps[order[j]];
      if (last >= 0) {
        const x = t - last;
        n++;
        sx += x;
        sxx += x * x;
      }
      last = t;
    }
    addNeuronCv(acc, n, sx, sxx);
  }
}

/**
 * Text written to a file in chunks of about `chunkBytes` (never one string of the whole file:
 * V8 strings stop at about 512 MiB, "Invalid string length"). Closes the file on `end` or on error.
 */
export class ChunkedWriter {
  private fd: number;
  private parts: string[] = [];
  private pending = 0;
  constructor(readonly file: string, private chunkBytes = 1 << 20) {
    this.fd = fs.openSync(file, 'w');
  }
  line(s: string): void {
    this.parts.push(s, '\n');
    this.pending += s.length + 1;
    if (this.pending >= this.chunkBytes) this.flush();
  }
  private flush(): void {
    if (!this.parts.length) return;
    writeAll(this.fd, Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.pending = 0;
  }
  end(): void {
    try {
      this.flush();
    } finally {
      this.abort();
    }
  }
  /** Closes the file without writing what is pending. */
  abort(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Writes all of `b` (writeSync may write less than asked). */
function writeAll(fd: number, b: Uint8Array): void {
  for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off, b.length - off);
}

/** Writes a file through a ChunkedWriter; the file is closed whatever happens. */
function withWriter(file: string, chunkBytes: number | undefined, body: (w: ChunkedWriter) => void): void {
  const w = new ChunkedWriter(file, chunkBytes);
  try {
    body(w);
    w.end();
  } catch (e) {
    w.abort();
    throw e;
  }
}

/** spikes.bin (protocol/results.md), written array by array: no copy of the spikes. */
export function writeSpikesBinary(file: string, out: RunOutput): void {
  const header = JSON.stringify({ dt: out.dt, steps: out.stepsDone, seed: out.seed, populations: out.spikes.map((p) => ({ name: p.name, size: p.size, count: p.steps.length })) });
  const hb = Buffer.from(header, 'utf8');
  const head = Buffer.alloc(12);
  head.write(SPIKE_MAGIC, 0, 'ascii');
  head.writeUInt32LE(hb.length, 8);
  const fd = fs.openSync(file, 'w');
  try {
    writeAll(fd, head);
    writeAll(fd, hb);
    for (const p of out.spikes) {
      writeAll(fd, new Uint8Array(p.steps.buffer, p.steps.byteOffset, p.steps.byteLength));
      writeAll(fd, new Uint8Array(p.neurons.buffer, p.neurons.byteOffset, p.neurons.byteLength));
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function readSpikesBinary(file: string): { dt: number; steps: number; seed: number; populations: { name: string; size: number; steps: Int32Array; neurons: Int32Array }[] } {
  const b = fs.readFileSync(file);
  if (b.toString('ascii', 0, 8) !== SPIKE_MAGIC) throw new Error(`${file}: not a Spikeworks spike file`);
  const hl = b.readUInt32LE(8);
  const header = JSON.parse(b.toString('utf8', 12, 12 + hl));
  let off = 12 + hl;
  const populations = header.populations.map((p: { name: string; size: number; count: number }) => {
    const copy = (n: number) => {
      const a = new Int32Array(n);
      for (let k = 0; k < n; k++) a[k] = b.readInt32LE(off + 4 * k);
      off += 4 * n;
      return a;
    };
    const steps = copy(p.count);
    const neurons = copy(p.count);
    return { name: p.name, size: p.size, steps, neurons };
  });
  return { dt: header.dt, steps: header.steps, seed: header.seed, populations };
}

/** The rows of spikes.csv (protocol/results.md), header first: the CLI's file and the playground's download. */
export function* spikeCsvRows(out: Pick<RunOutput, 'spikes' | 'dt'>): Generator<string> {
  yield 'population,neuron,time_s';
  for (const p of out.spikes) for (let k = 0; k < p.steps.length; k++) yield `${p.name},${p.neurons[k]},${(p.steps[k] * out.dt).toPrecision(9)}`;
}

export function writeSpikesCsv(file: string, out: RunOutput, chunkBytes?: number): void {
  withWriter(file, chunkBytes, (w) => {
    for (const row of spikeCsvRows(out)) w.line(row);
  });
}

/** The file a probe's trace is written to. */
export function traceFile(dir: string, t: RunOutput['traces'][number]): string {
  return path.join(dir, `trace_${t.population}_${t.variable}.csv`);
}

/**
 * One probe's trace as CSV (protocol/results.md), streamed row by row: `time [s]` with the
 * decimals that tell samples apart, then `v(exc[3]) [V]` per neuron (`w(ee[i->j]) [A]` per
 * synapse); `unit` is the SI symbol of the variable ("" when dimensionless, headed `[1]`).
 */
export function writeTrace(file: string, t: RunOutput['traces'][number], chunkBytes?: number, unit = ''): void {
  const n = t.neurons.length;
  const syn = t.synapses;
  const decimals = timeDecimals(t.every);
  withWriter(file, chunkBytes, (w) => {
    w.line(`${TIME_COLUMN},${t.neurons.map((i, m) => traceColumn(t.variable, syn ? `${t.population}[${syn.pre[m]}->${syn.post[m]}]` : `${t.population}[${i}]`, unit)).join(',')}`);
    for (let k = 0; k * n < t.data.length; k++) {
      let row = formatSeconds(k * t.every, decimals);
      for (let m = 0; m < n; m++) row += ',' + String(t.data[k * n + m]);
      w.line(row);
    }
  });
}

/** The SI unit symbol of a probed variable (`protocol/units.ts` traceUnit over the run's IR). */
export type TraceUnits = (population: string, variable: string) => string;

export function writeTraces(dir: string, out: RunOutput, chunkBytes?: number, units?: TraceUnits): string[] {
  const files: string[] = [];
  for (const t of out.traces) {
    const file = traceFile(dir, t);
    writeTrace(file, t, chunkBytes, units?.(t.population, t.variable));
    files.push(file);
  }
  return files;
}

/** An output that could not be written, and why. */
export interface OutputFailure {
  file: string;
  message: string;
}

/**
 * Every result file of a run into `dir`: summary.json first, then spikes.bin, spikes.csv
 * (with `csv`) and one CSV per trace. Each is written on its own: one that fails (a folder in
 * its place, a full disk) is reported and the others are still written.
 */
/**
 * The same results as NumPy arrays (protocol/results.md, "For Python"): per population
 * `spikes_<pop>_t.npy` (f8, seconds) and `spikes_<pop>_i.npy` (i4, neuron), per probed variable
 * `trace_<pop>_<var>.npy` (f4, samples × neurons, SI) and `trace_<pop>_<var>_t.npy` (f8, seconds).
 */
function writeNumpy(dir: string, out: RunOutput, attempt: (file: string, write: () => void) => void): void {
  for (const p of out.spikes) {
    const t = new Float64Array(p.steps.length);
    for (let k = 0; k < t.length; k++) t[k] = p.steps[k] * out.dt;
    const ft = path.join(dir, `spikes_${p.name}_t.npy`);
    const fi = path.join(dir, `spikes_${p.name}_i.npy`);
    attempt(ft, () => writeNpy(ft, t));
    attempt(fi, () => writeNpy(fi, p.neurons));
  }
  for (const tr of out.traces) {
    const n = tr.neurons.length;
    const rows = n ? Math.floor(tr.data.length / n) : 0;
    const base = traceFile(dir, tr).replace(/\.csv$/, '');
    const times = new Float64Array(rows);
    for (let k = 0; k < rows; k++) times[k] = k * tr.every;
    attempt(`${base}.npy`, () => writeNpy(`${base}.npy`, tr.data.subarray(0, rows * n), [rows, n]));
    attempt(`${base}_t.npy`, () => writeNpy(`${base}_t.npy`, times));
  }
}

export function writeResults(dir: string, out: RunOutput, summary: Summary, opts: { csv?: boolean; chunkBytes?: number; units?: TraceUnits } = {}): { written: string[]; failed: OutputFailure[] } {
  const written: string[] = [];
  const failed: OutputFailure[] = [];
  const attempt = (file: string, write: () => void) => {
    try {
      write();
      written.push(file);
    } catch (e) {
      failed.push({ file, message: (e as Error).message });
    }
  };
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    return { written, failed: [{ file: dir, message: (e as Error).message }] };
  }
  attempt(path.join(dir, 'summary.json'), () => fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n'));
  attempt(path.join(dir, 'spikes.bin'), () => writeSpikesBinary(path.join(dir, 'spikes.bin'), out));
  if (opts.csv) attempt(path.join(dir, 'spikes.csv'), () => writeSpikesCsv(path.join(dir, 'spikes.csv'), out, opts.chunkBytes));
  for (const t of out.traces) {
    const file = traceFile(dir, t);
    attempt(file, () => writeTrace(file, t, opts.chunkBytes, opts.units?.(t.population, t.variable)));
  }
  writeNumpy(dir, out, attempt);
  return { written, failed };
}
