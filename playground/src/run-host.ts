// A run in the page: the engine in a Web Worker (engine-worker.ts: sim-host/src/worker.ts's
// handler, the same messages as the CLI's and the extension's worker thread), its stream turned
// into the result panels' messages (protocol/panel-data.ts), and what it recorded kept for the
// downloads. Cancel: a flag the worker reads between chunks when the page may share memory
// (cross-origin isolated), else the worker is ended; what was streamed until then is kept.
import type { ModelIR } from '../../protocol/ir';
import { growableFloat32, growableInt32, type Growable } from '../../protocol/growable';
import { recordedPopulations, type RunInfo, type RunMessage, type RunStatus, type TraceChunk, type TraceInfo } from '../../protocol/panel-data';
import type { FromWorker, PopulationShape, PopulationSpikes, RunOptions, RunOutput, ToWorker, TraceDelta } from '../../protocol/sim';
import { isConnection, traceUnit } from '../../protocol/units';
import { readoutShort } from '../../protocol/readout';
import { PAGE_RUN_THREADS, pageThreads } from './threads';

/** How long a cancelled worker may take to hand back its output before it is ended (ms). */
const CANCEL_GRACE_MS = 150;

interface TraceRecord {
  info: TraceInfo;
  data: Growable<Float32Array>;
}

/** What a run recorded so far, in the plan's population order. */
export class RunResults {
  status: RunStatus = 'running';
  stepsDone = 0;
  message?: string;
  output?: RunOutput;
  private steps: Growable<Int32Array>[] = [];
  private neurons: Growable<Int32Array>[] = [];
  private index = new Map<string, number>();
  readonly traces: TraceRecord[] = [];

  constructor(public info: RunInfo, readonly ir: ModelIR) {}

  setPopulations(pops: PopulationShape[], recorded: Set<string>): boolean {
    if (this.info.populations.length) return false;
    this.info = { ...this.info, populations: pops.map((p) => ({ ...p, recorded: recorded.has(p.name) })) };
    this.steps = pops.map(() => growableInt32());
    this.neurons = pops.map(() => growableInt32());
    this.index = new Map(pops.map((p, k) => [p.name, k]));
    return true;
  }

  spikeCount(name?: string): number {
    if (name !== undefined) return this.steps[this.index.get(name) ?? -1]?.length ?? 0;
    return this.steps.reduce((a, s) => a + s.length, 0);
  }

  /** Appends spikes; returns those kept (populations of the plan). */
  addSpikes(spikes: PopulationSpikes[]): PopulationSpikes[] {
    const kept: PopulationSpikes[] = [];
    for (const s of spikes) {
      const k = this.index.get(s.name);
      if (k === undefined || !s.steps.length) continue;
      this.steps[k].append(s.steps);
      this.neurons[k].append(s.neurons);
      kept.push(s);
    }
    return kept;
  }

  addTrace(t: TraceDelta): TraceChunk {
    let rec = this.traces.find((r) => r.info.population === t.population && r.info.variable === t.variable);
    if (!rec) {
      const synapses = isConnection(this.ir, t.population);
      rec = { info: { population: t.population, variable: t.variable, unit: traceUnit(this.ir, t.population, t.variable), neurons: t.neurons, every: t.every, ...(synapses ? { synapses } : {}) }, data: growableFloat32() };
      this.traces.push(rec);
    }
    rec.data.append(t.data);
    return { trace: rec.info, from: t.from, data: t.data };
  }

  sampleCount(population: string, variable: string): number {
    const r = this.traces.find((x) => x.info.population === population && x.info.variable === variable);
    return r ? r.data.length / Math.max(1, r.info.neurons.length) : 0;
  }

  /** Every population's spikes so far (views: valid until the next append). */
  spikes(): PopulationSpikes[] {
    return this.info.populations.map((p, k) => ({ name: p.name, size: p.size, steps: this.steps[k].view(), neurons: this.neurons[k].view() }));
  }

  /** The whole run as the panels' messages (a panel that (re)loads gets these). */
  replay(): RunMessage[] {
    const runId = this.info.runId;
    const out: RunMessage[] = [{ type: 'run', run: this.info }];
    const spikes = this.spikes().filter((s) => s.steps.length).map((s) => ({ ...s, steps: s.steps.slice(), neurons: s.neurons.slice() }));
    if (spikes.length) out.push({ type: 'spikes', runId, spikes });
    const chunks = this.traces.map((t) => ({ trace: t.info, from: 0, data: t.data.view().slice() }));
    if (chunks.length) out.push({ type: 'samples', runId, chunks });
    const readouts = this.output?.readouts?.map(readoutShort);
    out.push({ type: 'status', runId, status: this.status, stepsDone: this.stepsDone, message: this.message, ...(readouts ? { readouts } : {}) });
    return out;
  }
}

export interface RunHandle {
  results: RunResults;
  /** Resolves when the run has ended (done, cancelled, failed or refused). */
  finished: Promise<RunResults>;
  cancel(): void;
}

let counter = 0;

/**
 * Starts `ir` on a new engine worker. `emit` receives the panels' messages as the run streams;
 * `fileName`/`document` name the model in titles and exports.
 */
export function startRun(ir: ModelIR, options: { seed: number; backend: RunOptions['backend']; document: string; fileName: string; workerUrl: string }, emit: (m: RunMessage) => void): RunHandle {
  const runId = `run-${Date.now().toString(36)}-${++counter}`;
  const info: RunInfo = {
    runId, document: options.document, fileName: options.fileName, model: ir.name, dt: ir.simulate.dt,
    steps: Math.round(ir.simulate.duration / ir.simulate.dt), seed: options.seed, backend: options.backend ?? 'auto', populations: [],
  };
  const results = new RunResults(info, ir);
  const recorded = recordedPopulations(ir);
  const worker = new Worker(options.workerUrl, { name: 'spikeworks-engine' });
  const isolated = globalThis.crossOriginIsolated === true;
  const shared = typeof SharedArrayBuffer === 'function' && isolated;
  const cancelBuf = shared ? new SharedArrayBuffer(4) : new ArrayBuffer(4);
  let end!: (r: RunResults) => void;
  const finished = new Promise<RunResults>((res) => (end = res));
  let over = false;

  const publish = (pops: PopulationShape[]) => {
    if (results.setPopulations(pops, recorded)) emit({ type: 'run', run: results.info });
  };
  const addSpikes = (spikes: PopulationSpikes[]) => {
    const kept = results.addSpikes(spikes);
    if (kept.length) emit({ type: 'spikes', runId, spikes: kept });
  };
  const addTraces = (traces: TraceDelta[]) => {
    const chunks = traces.map((t) => results.addTrace(t));
    if (chunks.length) emit({ type: 'samples', runId, chunks });
  };
  const finish = (status: RunStatus, message?: string) => {
    if (over) return;
    over = true;
    results.status = status;
    results.message = message;
    worker.terminate();
    const readouts = results.output?.readouts?.map(readoutShort);
    emit({ type: 'status', runId, status, stepsDone: results.stepsDone, message, ...(readouts ? { readouts } : {}) });
    end(results);
  };

  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    if (over) return;
    const m = e.data;
    if (m.type === 'progress') {
      if (m.phase === 'build') return;
      results.stepsDone = m.done;
      if (m.delta?.populations) publish(m.delta.populations);
      if (m.delta) {
        addSpikes(m.delta.spikes);
        addTraces(m.delta.traces);
      }
      emit({ type: 'status', runId, status: 'running', stepsDone: m.done });
    } else if (m.type === 'done') {
      const threads = pageThreads(ir.simulate.threads, isolated, m.output);
      const out: RunOutput = threads ? { ...m.output, threads } : m.output;
      results.output = out;
      publish(out.populations);
      results.stepsDone = out.stepsDone;
      // The tails recorded after the last progress message.
      addSpikes(out.spikes.map((s) => {
        const have = results.spikeCount(s.name);
        return { ...s, steps: s.steps.subarray(have), neurons: s.neurons.subarray(have) };
      }));
      addTraces(out.traces.map((t) => {
        const have = results.sampleCount(t.population, t.variable);
        const n = t.neurons.length;
        return { population: t.population, variable: t.variable, neurons: t.neurons, every: t.every, from: have, data: t.data.subarray(have * n) };
      }).filter((t) => t.data.length));
      results.info = { ...results.info, backend: out.backend ?? results.info.backend };
      const note = [out.error, out.backendNote].filter(Boolean).join(' · ') || undefined;
      finish(out.cancelled ? 'cancelled' : out.error && out.stopReason !== 'recording-limit' ? 'failed' : 'done', note);
    } else if (m.type === 'refused') {
      finish('failed', `The engine refused the run: ${m.message}`);
    } else if (m.type === 'failed') {
      finish('failed', `The run failed: ${m.message.split('\n')[0]}`);
    }
  };
  worker.onerror = (e) => finish('failed', `The engine worker failed: ${e.message}`);

  emit({ type: 'run', run: info });
  const msg: ToWorker = {
    type: 'run', ir, cancel: cancelBuf as SharedArrayBuffer,
    options: { seed: options.seed, backend: options.backend, stream: true, progressEveryMs: 100, memoryLimit: 1024 * 2 ** 20, threads: PAGE_RUN_THREADS },
  };
  worker.postMessage(msg);
  return {
    results,
    finished,
    cancel: () => {
      if (over) return;
      if (shared) {
        Atomics.store(new Int32Array(cancelBuf), 0, 1);
        setTimeout(() => finish('cancelled', 'Cancelled.'), CANCEL_GRACE_MS);
      } else finish('cancelled', 'Cancelled: the results so far are kept.');
    },
  };
}
