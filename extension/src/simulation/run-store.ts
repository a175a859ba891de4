// Keeps the latest run of each model on disk (the extension's storage folder) so that panels
// come back with their data after a window reload: `run.json` (the run's shape and status) and
// `data.bin` (spike steps and neurons per population, then each trace's samples, little-endian
// i32/f32 in the order run.json lists them). A missing or damaged store reads as "no run".
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunInfo, RunStatus, TraceInfo } from '../../../protocol/panel-data';
import { RunRecord } from './run-record';

const VERSION = 1;

interface Stored {
  version: number;
  info: RunInfo;
  status: RunStatus;
  stepsDone: number;
  message?: string;
  spikes: number[];
  traces: { info: TraceInfo; values: number }[];
}

/** The folder for a model's latest run under `root`. */
export function runDir(root: string, document: string): string {
  return path.join(root, 'runs', createHash('sha256').update(document).digest('hex').slice(0, 20));
}

export function saveRun(dir: string, r: RunRecord): void {
  fs.mkdirSync(dir, { recursive: true });
  const parts: Buffer[] = [];
  const spikes: number[] = [];
  r.info.populations.forEach((_, k) => {
    const s = r.spikes(k);
    spikes.push(s.steps.length);
    parts.push(Buffer.from(s.steps.buffer, s.steps.byteOffset, s.steps.byteLength));
    parts.push(Buffer.from(s.neurons.buffer, s.neurons.byteOffset, s.neurons.byteLength));
  });
  const traces = r.traces().map((t) => {
    const v = t.samples.view();
    parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return { info: t.info, values: v.length };
  });
  const meta: Stored = { version: VERSION, info: r.info, status: r.status, stepsDone: r.stepsDone, message: r.message, spikes, traces };
  // data first, then the index: a crash in between leaves the old index, which the size check refuses.
  fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.concat(parts));
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(meta));
}

export function loadRun(dir: string): RunRecord | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as Stored;
    if (meta?.version !== VERSION || !meta.info || !Array.isArray(meta.info.populations) || !Array.isArray(meta.spikes) || !Array.isArray(meta.traces)) return undefined;
    if (meta.spikes.length !== meta.info.populations.length) return undefined;
    const data = fs.readFileSync(path.join(dir, 'data.bin'));
    const expected = meta.spikes.reduce((a, n) => a + 8 * n, 0) + meta.traces.reduce((a, t) => a + 4 * t.values, 0);
    if (data.length !== expected) return undefined;
    // One aligned copy, then views into it.
    const aligned = new ArrayBuffer(data.length);
    new Uint8Array(aligned).set(data);
    const r = new RunRecord(meta.info);
    let off = 0;
    meta.info.populations.forEach((p, k) => {
      const n = meta.spikes[k];
      const steps = new Int32Array(aligned, off, n);
      off += 4 * n;
      const neurons = new Int32Array(aligned, off, n);
      off += 4 * n;
      if (n) r.addSpikes(p.name, steps, neurons);
    });
    for (const t of meta.traces) {
      const values = new Float32Array(aligned, off, t.values);
      off += 4 * t.values;
      r.addSamples(t.info, 0, values);
    }
    r.status = meta.status === 'running' ? 'cancelled' : meta.status;
    r.stepsDone = meta.stepsDone;
    r.message = meta.message;
    return r;
  } catch {
    return undefined;
  }
}
