// Everything a run has produced so far, held by the extension so that a panel opened (or
// reloaded) mid-run or afterwards gets the whole picture: spikes per population, probed
// samples, status. Appends are amortised O(new data). No VS Code types (unit-tested).
import { Growable, growableInt32 } from '../../../protocol/growable';
import type { RunInfo, RunStatus, SpikeChunk, TraceChunk, TraceInfo } from '../../../protocol/panel-data';

class FloatBuffer {
  private buf = new Float32Array(1024);
  length = 0;
  /** Writes `xs` at element `at` (≤ length), growing as needed. */
  write(at: number, xs: Float32Array): void {
    const end = at + xs.length;
    if (end > this.buf.length) {
      const b = new Float32Array(Math.max(this.buf.length * 2, end));
      b.set(this.buf.subarray(0, this.length));
      this.buf = b;
    }
    this.buf.set(xs, at);
    this.length = Math.max(this.length, end);
  }
  view(): Float32Array {
    return this.buf.subarray(0, this.length);
  }
}

export interface TraceRecord {
  info: TraceInfo;
  samples: FloatBuffer;
}

export class RunRecord {
  status: RunStatus = 'running';
  stepsDone = 0;
  message?: string;
  private spikeSteps: Growable<Int32Array>[];
  private spikeNeurons: Growable<Int32Array>[];
  private traceList: TraceRecord[] = [];

  constructor(readonly info: RunInfo) {
    this.spikeSteps = info.populations.map(() => growableInt32());
    this.spikeNeurons = info.populations.map(() => growableInt32());
  }

  /** Adds spikes of population `name`; false when the run has no such population. */
  addSpikes(name: string, steps: Int32Array, neurons: Int32Array): SpikeChunk | undefined {
    const k = this.info.populations.findIndex((p) => p.name === name);
    if (k < 0 || steps.length !== neurons.length) return undefined;
    this.spikeSteps[k].append(steps);
    this.spikeNeurons[k].append(neurons);
    return { population: k, steps, neurons };
  }

  spikeCount(population?: number): number {
    if (population !== undefined) return this.spikeSteps[population]?.length ?? 0;
    return this.spikeSteps.reduce((a, b) => a + b.length, 0);
  }

  /** Spikes of population k from index `from` on (views, not copies). */
  spikes(k: number, from = 0): { steps: Int32Array; neurons: Int32Array } {
    return { steps: this.spikeSteps[k].view(from), neurons: this.spikeNeurons[k].view(from) };
  }

  /** All spikes as chunks, one per population that has any. */
  allSpikes(): SpikeChunk[] {
    return this.info.populations.flatMap((_, k) => (this.spikeSteps[k].length ? [{ population: k, ...this.spikes(k) }] : []));
  }

  /** Adds samples `from…` of a trace (layout as TraceData.data). */
  addSamples(info: TraceInfo, from: number, data: Float32Array): TraceChunk | undefined {
    const n = info.neurons.length;
    if (n === 0 || data.length % n !== 0 || from < 0) return undefined;
    let t = this.traceList.find((x) => x.info.population === info.population && x.info.variable === info.variable);
    if (!t) {
      t = { info, samples: new FloatBuffer() };
      this.traceList.push(t);
    }
    if (from * n > t.samples.length) return undefined; // a gap: never expected from the worker
    t.samples.write(from * n, data);
    return { trace: info, from, data };
  }

  traces(): readonly TraceRecord[] {
    return this.traceList;
  }

  allSamples(): TraceChunk[] {
    return this.traceList.map((t) => ({ trace: t.info, from: 0, data: t.samples.view() }));
  }

  /** Number of samples held for a trace. */
  sampleCount(population: string, variable: string): number {
    const t = this.traceList.find((x) => x.info.population === population && x.info.variable === variable);
    return t ? t.samples.length / Math.max(1, t.info.neurons.length) : 0;
  }
}
