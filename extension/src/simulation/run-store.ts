// Keeps the latest run of each model on disk (the extension's storage folder) so that panels
// come back with their data after a window reload: `run.json` (the run's shape and status) and
// `data.bin` (spike steps and neurons per population, then each trace's samples, little-endian
// i32/f32 in the order run.json lists them). A missing store reads as "no run"; a damaged or
// oversized one (or anything but two regular files) is discarded — said through `onDiscard`,
// the files removed — never read whole first and never a crash: run.json is read only up to
// a limit and checked field by field, data.bin only when its size (from the open file) is
// exactly what run.json says, and that within a limit.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBytes, readFileBounded, readTextBounded } from '../../../io/safe-read';
import type { RunInfo, RunStatus, TraceInfo } from '../../../protocol/panel-data';
import { RunRecord } from './run-record';

export interface StoreLimits {
  /** run.json (the run's shape; probe neuron lists are its big part). */
  indexBytes: number;
  /** data.bin (spikes and samples). */
  dataBytes: number;
}

export const STORE_LIMITS: StoreLimits = { indexBytes: 64 * 2 ** 20, dataBytes: 2 ** 30 };

const VERSION = 1;

interface Stored {
  version: number;
  info: RunInfo;
  status: RunStatus;
  stepsDone: number;
  message?: string;
  readouts?: string[];
  spikes: number[];
  traces: { info: TraceInfo; values: number }[];
}

/** The folder for a model's latest run under `root`. */
export function runDir(root: string, document: string): string {
  return path.join(root, 'runs', createHash('sha256').update(document).digest('hex').slice(0, 20));
}

export function saveRun(dir: string, r: RunRecord): void {
  fs.mkdirSync(dir, { recursive: true });
  const spikes: number[] = [];
  const traces: Stored['traces'] = [];
  // data first, then the index: a crash in between leaves the old index, which the size check refuses.
  // Written part by part (no copy of the whole run in one buffer).
  const fd = fs.openSync(path.join(dir, 'data.bin'), 'w');
  try {
    const write = (a: Int32Array | Float32Array) => {
      const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      for (let at = 0; at < b.length; ) at += fs.writeSync(fd, b, at, b.length - at);
    };
    r.info.populations.forEach((_, k) => {
      const s = r.spikes(k);
      spikes.push(s.steps.length);
      write(s.steps);
      write(s.neurons);
    });
    for (const t of r.traces()) {
      const v = t.samples.view();
      write(v);
      traces.push({ info: t.info, values: v.length });
    }
  } finally {
    fs.closeSync(fd);
  }
  const meta: Stored = { version: VERSION, info: r.info, status: r.status, stepsDone: r.stepsDone, message: r.message, ...(r.readouts ? { readouts: r.readouts } : {}), spikes, traces };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(meta));
}

const STATUSES: readonly RunStatus[] = ['running', 'done', 'cancelled', 'failed'];
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isTraceInfo(t: unknown): t is TraceInfo {
  return (
    isObject(t) &&
    typeof t.population === 'string' &&
    typeof t.variable === 'string' &&
    typeof t.unit === 'string' &&
    Array.isArray(t.neurons) &&
    t.neurons.length > 0 &&
    t.neurons.every(isCount) &&
    isFiniteNumber(t.every) &&
    t.every > 0
  );
}

function isRunInfo(i: unknown): i is RunInfo {
  return (
    isObject(i) &&
    ['runId', 'document', 'fileName', 'model', 'backend'].every((k) => typeof i[k] === 'string') &&
    isFiniteNumber(i.dt) &&
    i.dt > 0 &&
    isCount(i.steps) &&
    isFiniteNumber(i.seed) &&
    Array.isArray(i.populations) &&
    i.populations.every((p) => isObject(p) && typeof p.name === 'string' && isFiniteNumber(p.size) && p.size >= 0 && typeof p.recorded === 'boolean')
  );
}

/** Why a parsed run.json is not a store this version wrote, or undefined when it is. */
function storedProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'run.json is not an object';
  if (m.version !== VERSION) return `run.json has version ${String(m.version).slice(0, 20)}, not ${VERSION}`;
  if (!isRunInfo(m.info)) return 'run.json: the run description is malformed';
  if (!STATUSES.includes(m.status as RunStatus) || !isCount(m.stepsDone) || (m.message !== undefined && typeof m.message !== 'string')) return 'run.json: the status is malformed';
  if (m.readouts !== undefined && !(Array.isArray(m.readouts) && m.readouts.every((x) => typeof x === 'string'))) return 'run.json: the readouts are malformed';
  if (!Array.isArray(m.spikes) || m.spikes.length !== m.info.populations.length || !m.spikes.every(isCount)) return 'run.json: the spike counts are malformed';
  if (!Array.isArray(m.traces) || !m.traces.every((t) => isObject(t) && isTraceInfo(t.info) && isCount(t.values) && t.values % t.info.neurons.length === 0)) return 'run.json: the traces are malformed';
  return undefined;
}

/**
 * The run stored in `dir`, or undefined: when there is none (silently), or when it is damaged,
 * oversized or not made of regular files (`onDiscard` says why, and the files are removed).
 */
export function loadRun(dir: string, onDiscard: (why: string) => void = () => {}, limits: StoreLimits = STORE_LIMITS): RunRecord | undefined {
  const discard = (why: string): undefined => {
    onDiscard(why);
    for (const f of ['run.json', 'data.bin']) {
      try {
        fs.rmSync(path.join(dir, f), { force: true });
      } catch {
        // nothing more to do: the next save replaces them
      }
    }
    return undefined;
  };
  try {
    const index = readTextBounded(path.join(dir, 'run.json'), { maxBytes: limits.indexBytes });
    if (!index.ok) return index.reason === 'missing' ? undefined : discard(index.message);
    let meta: unknown;
    try {
      meta = JSON.parse(index.text);
    } catch {
      return discard('run.json is not valid JSON');
    }
    const problem = storedProblem(meta);
    if (problem) return discard(problem);
    const m = meta as Stored;
    const expected = m.spikes.reduce((a, n) => a + 8 * n, 0) + m.traces.reduce((a, t) => a + 4 * t.values, 0);
    if (expected > limits.dataBytes) return discard(`the run holds ${formatBytes(expected)}; stores over ${formatBytes(limits.dataBytes)} are not read back`);
    const data = readFileBounded(path.join(dir, 'data.bin'), { maxBytes: expected });
    if (!data.ok) return discard(data.reason === 'too-large' ? `data.bin is ${formatBytes(data.size ?? 0)}, run.json says ${formatBytes(expected)}` : data.message);
    if (data.bytes.length !== expected) return discard(`data.bin is ${formatBytes(data.bytes.length)}, run.json says ${formatBytes(expected)}`);
    return recordOf(m, data.bytes);
  } catch (e) {
    return discard(`cannot be read back: ${(e as Error).message}`);
  }
}

function recordOf(meta: Stored, data: Buffer): RunRecord {
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
  r.readouts = meta.readouts;
  return r;
}
