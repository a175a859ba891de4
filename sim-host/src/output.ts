// Writing run results: the compact binary spike file, CSV on request, probed traces as CSV,
// and the summary (ARCHITECTURE.md "Contracts"). Formats are documented in protocol/results.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunOutput } from '../../protocol/sim';

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
  };
}

/** Mean over neurons (with ≥ 3 spikes) of the coefficient of variation of inter-spike intervals. */
export function cvIsi(steps: Int32Array, neurons: Int32Array): number | null {
  // Per-neuron sums in typed arrays (a Map of tuples would cost ~100 B per neuron).
  let size = 0;
  for (let k = 0; k < neurons.length; k++) if (neurons[k] >= size) size = neurons[k] + 1;
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
  let total = 0;
  let count = 0;
  for (let i = 0; i < size; i++) {
    if (n[i] < 2) continue;
    const m = sx[i] / n[i];
    const v = Math.max(0, sxx[i] / n[i] - m * m);
    if (m > 0) {
      total += Math.sqrt(v) / m;
      count++;
    }
  }
  return count ? total / count : null;
}

export function writeSpikesBinary(file: string, out: RunOutput): void {
  const header = JSON.stringify({ dt: out.dt, steps: out.stepsDone, seed: out.seed, populations: out.spikes.map((p) => ({ name: p.name, size: p.size, count: p.steps.length })) });
  const hb = Buffer.from(header, 'utf8');
  const parts: Buffer[] = [Buffer.from(SPIKE_MAGIC, 'ascii'), Buffer.alloc(4)];
  parts[1].writeUInt32LE(hb.length, 0);
  parts.push(hb);
  for (const p of out.spikes) {
    parts.push(Buffer.from(p.steps.buffer, p.steps.byteOffset, p.steps.byteLength));
    parts.push(Buffer.from(p.neurons.buffer, p.neurons.byteOffset, p.neurons.byteLength));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
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

export function writeSpikesCsv(file: string, out: RunOutput): void {
  const lines = ['population,neuron,time_s'];
  for (const p of out.spikes) for (let k = 0; k < p.steps.length; k++) lines.push(`${p.name},${p.neurons[k]},${(p.steps[k] * out.dt).toPrecision(9)}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

export function writeTraces(dir: string, out: RunOutput): string[] {
  const files: string[] = [];
  for (const t of out.traces) {
    const file = path.join(dir, `trace_${t.population}_${t.variable}.csv`);
    const n = t.neurons.length;
    const syn = t.synapses;
    const rows = [`time_s,${t.neurons.map((i, m) => (syn ? `${t.population}[${syn.pre[m]}->${syn.post[m]}]` : `${t.population}[${i}]`)).join(',')}`];
    for (let k = 0; k * n < t.data.length; k++) {
      const row = [(k * t.every).toPrecision(9)];
      for (let m = 0; m < n; m++) row.push(String(t.data[k * n + m]));
      rows.push(row.join(','));
    }
    fs.writeFileSync(file, rows.join('\n') + '\n');
    files.push(file);
  }
  return files;
}
