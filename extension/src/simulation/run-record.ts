// Everything a run has produced so far, held by the extension so that a panel opened (or
// reloaded) mid-run or afterwards gets the whole picture: spikes per population (in the plan's
// population order, which the worker publishes), probed samples, status. Appends are amortised
// O(new data). No VS Code types (unit-tested).
import { Growable, growableInt32 } from '../../../protocol/growable';
import type { PopulationInfo, RunInfo, RunStatus, TraceChunk, TraceInfo } from '../../../protocol/panel-data';
import type { PopulationSpikes } from '../../../protocol/sim';

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
  /** The readouts' scores as short plain lines (protocol/readout.ts readoutShort), once the run has ended. */
  readouts?: string[];
  private spikeSteps: Growable<Int32Array>[] = [];
  private spikeNeurons: Growable<Int32Array>[] = [];
  /** Index of each population in info.populations, by name (derived once per population order). */
  private index = new Map<string, number>();
  private traceList: TraceRecord[] = [];
  private runInfo: RunInfo;

  constructor(info: RunInfo) {
    this.runInfo = info;
    this.definePopulations(info.populations);
  }

  get info(): RunInfo {
    return this.runInfo;
  }

  /**
   * The plan's population order, once the worker has published it (a run starts without it);
   * false, changing nothing, when the run already has its populations.
   */
  setPopulations(populations: PopulationInfo[]): boolean {
    if (this.runInfo.populations.length) return false;
    this.runInfo = { ...this.runInfo, populations };
    this.definePopulations(populations);
    return true;
  }

  private definePopulations(populations: PopulationInfo[]): void {
    this.spikeSteps = populations.map(() => growableInt32());
    this.spikeNeurons = populations.map(() => growableInt32());
    this.index = new Map(populations.map((p, k) => [p.name, k]));
  }

  /** Index of population `name` in info.populations, or -1. */
  populationIndex(name: string): number {
    return this.index.get(name) ?? -1;
  }

  /** Adds spikes of population `name`: the spikes as the panels get them, or undefined when the run has no such population. */
  addSpikes(name: string, steps: Int32Array, neurons: Int32Array): PopulationSpikes | undefined {
    const k = this.populationIndex(name);
    if (k < 0 || steps.length !== neurons.length) return undefined;
    this.spikeSteps[k].append(steps);
    this.spikeNeurons[k].append(neurons);
    return { name, size: this.runInfo.populations[k].size, steps, neurons };
  }

  spikeCount(population?: number): number {
    if (population !== undefined) return this.spikeSteps[population]?.length ?? 0;
    return this.spikeSteps.reduce((a, b) => a + b.length, 0);
  }

  /** Spikes of population k from index `from` on (views, not copies). */
  spikes(k: number, from = 0): { steps: Int32Array; neurons: Int32Array } {
    return { steps: this.spikeSteps[k].view(from), neurons: this.spikeNeurons[k].view(from) };
  }

  /** All spikes (views), one entry per population that has any, in the run's population order. */
  allSpikes(): PopulationSpikes[] {
    return this.info.populations.flatMap((p, k) => (this.spikeSteps[k].length ? [{ name: p.name, size: p.size, ...this.spikes(k) }] : []));
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
