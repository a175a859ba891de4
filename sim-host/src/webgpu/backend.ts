/// <reference types="@webgpu/types" />
// The WebGPU backend: the plan of core/plan.ts (the same memory layout, connectivity, initial
// values and random streams as the WASM backend) run by the WGSL kernels of wgsl.ts, through the
// run contract (core/run.ts), asynchronous (GPU read-backs are). protocol/webgpu.md.
import type { ModelIR } from '../../../protocol/ir';
import type { Backend } from '../core/backend';
import { PlanError } from '../core/limits';
import { buildPlan, synapseProbe, type Plan, type PlanOptions } from '../core/plan';
import { nanInfMessage, newResult, stepChunks, type RunCallbacks, type RunResult, type StepPace, type TraceRecord } from '../core/run';
import { dumpWgsl, getGpu, type Gpu } from './device';
import { pieces, split, type Split } from './chunks';
import { CTL, WG, type Layout } from './layout';
import { plasticRefusal, plasticWords } from './plastic';
import { generate, type Kernels } from './wgsl';

const U = GPUBufferUsageConst();
function GPUBufferUsageConst() {
  // The GPUBufferUsage flags (the global exists only once a WebGPU implementation is loaded).
  return { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 };
}

function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(b / 1024)} KiB`;
}

/** Thrown when no adapter exists: callers fall back to WASM with this message. */
export class NoAdapter extends Error {}

export class WebGPUSimulation {
  private constructor(
    readonly plan: Plan,
    readonly gpu: Gpu,
    private lay: Layout,
    private kernels: Kernels,
    private bufs: { mem: GPUBuffer[]; syn: GPUBuffer; ctl: GPUBuffer; lists: GPUBuffer; rec: GPUBuffer; tab: GPUBuffer; bucket: GPUBuffer[] },
    private pipelines: Map<string, GPUComputePipeline>,
    private bindGroup: GPUBindGroup,
    private planS: number,
    private compileS: number,
  ) {}

  /** Builds the plan and the kernels; rejects with NoAdapter or PlanError (too large, unsupported). */
  static async create(ir: ModelIR, opts: PlanOptions & { gpu?: Gpu } = {}): Promise<WebGPUSimulation> {
    const gpu = opts.gpu ?? (await getGpu());
    if (typeof gpu === 'string') throw new NoAdapter(gpu);
    // What this backend does not run yet is refused from the IR, before a plan is drawn (the
    // WASM fallback then draws the only one).
    const why = webgpuRefusal(ir);
    if (why) throw new PlanError(`${why} (use backend: wasm)`);
    const t0 = performance.now();
    const plan = buildPlan(ir, opts);
    return WebGPUSimulation.ofPlan(plan, gpu, (performance.now() - t0) / 1000);
  }

  /** Builds the kernels and buffers of a plan drawn before; rejects with PlanError when it does not fit the adapter. */
  static async ofPlan(plan: Plan, gpu: Gpu, planS = 0): Promise<WebGPUSimulation> {
    const t1 = performance.now();
    // Per projection: column pointers by local target (syn buffer) and, in the bucket buffer,
    // a count per target and one slot per synapse (a column's slots receive this step's arrivals).
    let synWords = 0;
    let bucketWords = 0;
    const csc: Layout['csc'] = [];
    const mem32 = new Int32Array(plan.memory.buffer);
    const parts: Uint32Array[] = [];
    for (const pr of plan.projs) {
      const nt = pr.tgt[1] - pr.tgt[0] + 1;
      const n = pr.synapses;
      const col = mem32.subarray(pr.colOffset >> 2, (pr.colOffset >> 2) + n);
      const colptr = new Uint32Array(nt + 1);
      for (let s = 0; s < n; s++) colptr[col[s] + 1]++;
      for (let j = 0; j < nt; j++) colptr[j + 1] += colptr[j];
      csc.push({ colptr: synWords, count: bucketWords, bucket: bucketWords + nt });
      parts.push(colptr);
      synWords += nt + 1;
      bucketWords += nt + n;
      if (pr.plastic) {
        // per-synapse contributions to the target, and the delay queue
        const pw = plasticWords(pr, bucketWords);
        csc[csc.length - 1].plastic = pw.plastic;
        bucketWords += pw.words;
      }
    }
    // Spike arrays (step pointers + indices) and per-neuron Poisson thresholds.
    const tabParts: Uint32Array[] = [];
    let tabWords = 0;
    const arrays: Layout['arrays'] = new Map();
    const poissonThr: Layout['poissonThr'] = new Map();
    for (const p of plan.pops) {
      if (p.arraySpikes) {
        const stepptr = new Uint32Array(plan.steps + 2);
        let total = 0;
        let maxPerStep = 0;
        for (let s = 0; s < plan.steps; s++) {
          const l = p.arraySpikes.at(s)?.length ?? 0;
          stepptr[s] = total;
          total += l;
          maxPerStep = Math.max(maxPerStep, l);
        }
        stepptr[plan.steps] = total;
        stepptr[plan.steps + 1] = total;
        const idx = new Uint32Array(Math.max(1, total));
        let k = 0;
        for (let s = 0; s < plan.steps; s++) for (const n of p.arraySpikes.at(s) ?? []) idx[k++] = n;
        // A source listed twice in one step spikes once here (the WASM engine delivers twice).
        for (let s = 0; s < plan.steps; s++) {
          const seen = new Set<number>();
          let w = stepptr[s];
          for (let m = stepptr[s]; m < stepptr[s + 1]; m++) if (!seen.has(idx[m])) seen.add(idx[m]), (idx[w++] = idx[m]);
          for (; w < stepptr[s + 1]; w++) idx[w] = 0xffffffff;
        }
        arrays.set(p.index, { stepptr: tabWords, idx: tabWords + stepptr.length, maxPerStep });
        tabParts.push(stepptr, idx);
        tabWords += stepptr.length + idx.length;
      }
      if (p.poissonP && 'offset' in p.poissonP) {
        const pr = p.initial.get('poisson-p')!;
        const thr = new Uint32Array(p.size);
        for (let i = 0; i < p.size; i++) thr[i] = Math.max(0, Math.min(0xffffffff, Math.ceil(pr[i] * 2 ** 32)));
        poissonThr.set(p.index, tabWords);
        tabParts.push(thr);
        tabWords += thr.length;
      }
    }
    const flagBase: number[] = [];
    const recBase: number[] = [];
    let neurons = 0;
    for (const p of plan.pops) {
      flagBase.push(neurons);
      recBase.push(neurons);
      neurons += p.size;
    }
    // Spike records: room for every neuron spiking on every step of a chunk (chunks are cut to fit).
    const lim = gpu.limits;
    const maxBind = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
    const recCap = Math.max(neurons, Math.min(Math.floor(maxBind / 8), Math.max(1 << 20, neurons * 64)));
    const sizes: [string, number][] = [
      ['column pointers', synWords * 4],
      ['spike lists', neurons * 4],
      ['spike records', recCap * 8],
      ['input tables', tabWords * 4],
    ];
    for (const [name, bytes] of sizes) {
      if (bytes > lim.maxStorageBufferBindingSize) throw new PlanError(`WebGPU: the buffer '${name}' needs ${fmtBytes(bytes)}, more than the adapter's maxStorageBufferBindingSize (${fmtBytes(lim.maxStorageBufferBindingSize)}) on ${gpu.name}; run on WASM (backend: wasm) or reduce the model`, 'memory');
      if (bytes > lim.maxBufferSize) throw new PlanError(`WebGPU: the buffer '${name}' needs ${fmtBytes(bytes)}, more than the adapter's maxBufferSize (${fmtBytes(lim.maxBufferSize)}) on ${gpu.name}; run on WASM (backend: wasm) or reduce the model`, 'memory');
    }
    // The plan's memory and the arrival buckets grow with the synapse count: split across
    // bindings where one is not enough (chunks.ts). The rest is O(neurons): one binding each.
    const perBinding = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
    const memSplit = split(plan.bytes, perBinding);
    const bucketSplit = split(bucketWords * 4, perBinding);
    const bindings = 7 + memSplit.chunks - 1 + bucketSplit.chunks - 1;
    const splitDesc = (name: string, bytes: number, sp: { chunks: number }) => sp.chunks > 1 ? `'${name}' (${fmtBytes(bytes)}) in ${sp.chunks} bindings` : '';
    if (bindings > lim.maxStorageBuffersPerShaderStage) {
      const what = [splitDesc('state, synapses and delay rings (plan memory)', plan.bytes, memSplit), splitDesc('arrivals by target', bucketWords * 4, bucketSplit)].filter(Boolean).join(' and ');
      throw new PlanError(`WebGPU: the buffers need ${bindings} storage bindings (${what}, each at most ${fmtBytes(perBinding)}, the adapter's maxStorageBufferBindingSize/maxBufferSize), more than the adapter's maxStorageBuffersPerShaderStage (${lim.maxStorageBuffersPerShaderStage}) on ${gpu.name}; run on WASM (backend: wasm) or reduce the model`, 'memory');
    }
    const mem: Split = { ...memSplit, bindings: [0, ...Array.from({ length: memSplit.chunks - 1 }, (_, k) => 7 + k)] };
    const bucket: Split = { ...bucketSplit, bindings: [6, ...Array.from({ length: bucketSplit.chunks - 1 }, (_, k) => 7 + memSplit.chunks - 1 + k)] };
    const lay: Layout = { csc, arrays, poissonThr, flagBase, recBase, recCap, mem, bucket };
    const kernels = generate(plan, lay);
    const device = gpu.device;
    const buffer = (bytes: number, usage: number, data?: ArrayBufferView) => {
      const b = device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage, mappedAtCreation: !!data });
      if (data) {
        new Uint8Array(b.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        b.unmap();
      }
      return b;
    };
    const concat = (ps: Uint32Array[], words: number) => {
      const out = new Uint32Array(Math.max(4, words));
      let at = 0;
      for (const x of ps) {
        out.set(x, at);
        at += x.length;
      }
      return out;
    };
    // Initial state and parameters into (a copy of) the plan's memory, as Simulation.load.
    const memCopy = new Uint8Array(plan.bytes);
    memCopy.set(new Uint8Array(plan.memory.buffer, 0, plan.bytes));
    const f32 = (off: number, n: number) => new Float32Array(memCopy.buffer, off, n);
    f32(4, 1)[0] = 1; // the 1 of wgsl.ts's k(): word 1, below the plan's first allocation
    for (const p of plan.pops) {
      for (const [name, off] of p.state) f32(off, p.size).set(p.initial.get(name)!);
      for (const [name, par] of p.params) if ('offset' in par) f32(par.offset, p.size).set(p.initial.get(`param:${name}`)!);
      if ('offset' in p.refrSteps) memCopy.set(new Uint8Array(p.initial.get('refr-steps')!.buffer), p.refrSteps.offset);
    }
    const S = U.STORAGE | U.COPY_SRC | U.COPY_DST;
    const ctlInit = new Uint32Array(CTL.words + plan.pops.length);
    ctlInit[CTL.errStep] = 0xffffffff;
    // Allocation failures (device memory) are reported naming the buffer.
    const chunked = (name: string, sp: Split, bytes: number, data?: Uint8Array) => Array.from({ length: sp.chunks }, (_, k) => {
      const from = k * sp.chunkWords * 4;
      const n = Math.min(bytes, from + sp.chunkWords * 4) - from;
      device.pushErrorScope('out-of-memory');
      const b = buffer(n, S, data ? data.subarray(from, from + n) : undefined);
      oomChecks.push(device.popErrorScope().then((e) => {
        if (e) oom.push(`'${name}' chunk ${k + 1} of ${sp.chunks} (${fmtBytes(n)}): ${e.message}`);
      }));
      return b;
    });
    const oom: string[] = [];
    const oomChecks: Promise<void>[] = [];
    const bufs = {
      mem: chunked('state, synapses and delay rings (plan memory)', mem, plan.bytes, memCopy),
      syn: buffer(synWords * 4, S, concat(parts, synWords)),
      ctl: buffer(ctlInit.byteLength, S, ctlInit),
      lists: buffer(neurons * 4, S),
      bucket: chunked('arrivals by target', bucket, bucketWords * 4),
      rec: buffer(recCap * 8, S),
      tab: buffer(tabWords * 4, S, concat(tabParts, tabWords)),
    };
    device.pushErrorScope('validation');
    // (no `process` in a browser)
    const dump = typeof process !== 'undefined' ? process.env?.SPIKEWORKS_WGSL_DUMP : undefined;
    if (dump) await dumpWgsl(dump, kernels.code);
    const module = device.createShaderModule({ code: kernels.code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) throw new Error(`WGSL did not compile: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`);
    const entries: GPUBindGroupLayoutEntry[] = Array.from({ length: bindings }, (_, binding) => ({
      binding, visibility: 4 /* COMPUTE */, buffer: { type: binding === 1 || binding === 5 ? 'read-only-storage' : 'storage' },
    }));
    const bgl = device.createBindGroupLayout({ entries });
    const layout = device.createPipelineLayout({ bindGroupLayouts: [bgl] });
    const pipelines = new Map<string, GPUComputePipeline>();
    for (const k of kernels.step) {
      if (dump) console.error('pipeline', k.entry);
      if (!pipelines.has(k.entry)) pipelines.set(k.entry, device.createComputePipeline({ layout, compute: { module, entryPoint: k.entry } }));
    }
    const bindGroup = device.createBindGroup({
      layout: bgl,
      entries: [
        ...([bufs.mem[0], bufs.syn, bufs.ctl, bufs.lists, bufs.rec, bufs.tab, bufs.bucket[0]]).map((buffer, binding) => ({ binding, resource: { buffer } })),
        ...bufs.mem.slice(1).map((buffer, k) => ({ binding: mem.bindings[k + 1], resource: { buffer } })),
        ...bufs.bucket.slice(1).map((buffer, k) => ({ binding: bucket.bindings[k + 1], resource: { buffer } })),
      ],
    });
    const e = await device.popErrorScope();
    await Promise.all(oomChecks);
    if (oom.length) {
      for (const b of [...bufs.mem, ...bufs.bucket, bufs.syn, bufs.ctl, bufs.lists, bufs.rec, bufs.tab]) b.destroy();
      throw new PlanError(`WebGPU: out of device memory allocating ${oom.join('; ')} on ${gpu.name}; run on WASM (backend: wasm) or reduce the model`, 'memory');
    }
    if (e) throw new Error(`WebGPU: ${e.message}`);
    return new WebGPUSimulation(plan, gpu, lay, kernels, bufs, pipelines, bindGroup, planS, (performance.now() - t1) / 1000);
  }

  /**
   * What a probe of `variable` on `sel` samples: a population's state variable (neurons
   * sel.from..sel.to), or a connection's weights or synapse variable (synapses numbered across
   * its projections, as Simulation's probes). Regions of the plan's memory, copied in order.
   */
  private probeParts(sel: { name: string; from: number; to: number }, variable: string): { indices: number[]; parts: { byteOffset: number; n: number }[]; synapses?: { pre: number[]; post: number[] } } | undefined {
    const plan = this.plan;
    const pop = plan.pops.find((p) => p.name === sel.name);
    if (pop) {
      const off = pop.state.get(variable);
      if (off === undefined) return undefined;
      const from = Math.max(0, sel.from);
      const to = Math.min(sel.to, pop.size - 1);
      const indices: number[] = [];
      for (let i = from; i <= to; i++) indices.push(i);
      return indices.length ? { indices, parts: [{ byteOffset: off + 4 * from, n: indices.length }] } : undefined;
    }
    const probe = synapseProbe(plan, sel.name, sel.from, sel.to, variable);
    return probe?.indices.length ? probe : undefined;
  }

  /** Current weights of projection `k`, read back from the GPU (plastic synapses change them). */
  async weights(k: number): Promise<Float32Array> {
    const pr = this.plan.projs[k];
    const bytes = Math.ceil((pr.synapses * 4) / 4) * 4;
    const device = this.gpu.device;
    const stage = device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: U.MAP_READ | U.COPY_DST });
    const enc = device.createCommandEncoder();
    this.copyFromMem(enc, pr.weightOffset, stage, 0, bytes);
    device.queue.submit([enc.finish()]);
    await stage.mapAsync(1);
    const out = new Float32Array(stage.getMappedRange().slice(0, pr.synapses * 4));
    stage.unmap();
    stage.destroy();
    return out;
  }

  /** Copies bytes of the plan's memory (which may span chunks) into `dst`. */
  private copyFromMem(enc: GPUCommandEncoder, byteOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    let to = dstOffset;
    for (const [k, at, n] of pieces(this.lay.mem, byteOffset, bytes)) {
      enc.copyBufferToBuffer(this.bufs.mem[k], at, dst, to, n);
      to += n;
    }
  }

  /** How the plan's memory and the arrival buckets are split across bindings. */
  get bindings(): { mem: number; bucket: number } {
    return { mem: this.lay.mem.chunks, bucket: this.lay.bucket.chunks };
  }

  /** The WGSL the kernels were built from (for inspection and tests). */
  get wgsl(): string {
    return this.kernels.code;
  }

  destroy(): void {
    const b = this.bufs;
    for (const x of [...b.mem, ...b.bucket, b.syn, b.ctl, b.lists, b.rec, b.tab]) x.destroy();
  }

  async run(cb: RunCallbacks = {}): Promise<RunResult> {
    const plan = this.plan;
    const ir = plan.ir;
    const device = this.gpu.device;
    const neurons = plan.pops.reduce((a, p) => a + p.size, 0);
    const probedSpikes = new Set<string>();
    const traces: { rec: TraceRecord; parts: { byteOffset: number; n: number }[]; everySteps: number; count: number; base: number; samples: number }[] = [];
    let traceWords = 0;
    for (const pr of ir.probes) {
      for (const sel of pr.targets) {
        if (pr.variable === 'spikes' || pr.variable === 'rate') {
          probedSpikes.add(sel.name);
          continue;
        }
        const probe = this.probeParts(sel, pr.variable);
        if (!probe) continue;
        const everySteps = Math.max(1, Math.round((pr.every ?? plan.dt) / plan.dt));
        const samples = Math.ceil(plan.steps / everySteps);
        const count = probe.indices.length;
        traces.push({ rec: { population: sel.name, variable: pr.variable, neurons: probe.indices, every: everySteps * plan.dt, data: new Float32Array(0), ...(probe.synapses ? { synapses: probe.synapses } : {}) }, parts: probe.parts, everySteps, count, base: traceWords, samples: 0 });
        traceWords += samples * count;
      }
    }
    if (traceWords * 4 > this.gpu.limits.maxBufferSize) throw new PlanError(`WebGPU: the buffer 'traces' needs ${fmtBytes(traceWords * 4)}, more than the adapter's maxBufferSize (${fmtBytes(this.gpu.limits.maxBufferSize)}); probe fewer neurons or sample less often`, 'memory');
    const traceBuf = device.createBuffer({ size: Math.max(16, Math.ceil((traceWords * 4) / 16) * 16), usage: U.COPY_SRC | U.COPY_DST });
    const recordAll = probedSpikes.size === 0;
    const csAt = new Map<number, { off: number; from: number; to: number; value: number }[]>();
    for (const cs of plan.currentSteps) {
      cs.steps.forEach((s, k) => {
        const l = csAt.get(s) ?? [];
        l.push({ off: cs.pop.state.get(cs.variable)!, from: cs.from, to: cs.to, value: cs.values[k] });
        csAt.set(s, l);
      });
    }
    const csSteps = [...csAt.keys()].filter((s) => s >= 0).sort((a, b) => a - b);
    const result = newResult(plan, traces.map((t) => t.rec), { plan_s: this.planS, compile_s: this.compileS });
    const keys: Float64Array[] = [];
    const recStage = device.createBuffer({ size: this.lay.recCap * 8, usage: U.MAP_READ | U.COPY_DST });
    const ctlStage = device.createBuffer({ size: CTL.words * 4, usage: U.MAP_READ | U.COPY_DST });
    let lost: string | undefined;
    void device.lost.then((info) => {
      lost = `the GPU device was lost (${info.reason}: ${info.message})`;
    });
    const finishSpikes = () => {
      // Records → per population (step, neuron), sorted as the WASM engine records them.
      let n = 0;
      for (const k of keys) n += k.length;
      const all = new Float64Array(n);
      let at = 0;
      for (const k of keys) {
        all.set(k, at);
        at += k.length;
      }
      all.sort();
      const per = plan.pops.map(() => ({ steps: [] as number[], neurons: [] as number[] }));
      let popIdx = 0;
      for (let m = 0; m < all.length; m++) {
        const step = Math.floor(all[m] / neurons);
        const g = all[m] - step * neurons;
        popIdx = 0;
        while (popIdx + 1 < plan.pops.length && this.lay.recBase[popIdx + 1] <= g) popIdx++;
        per[popIdx].steps.push(step);
        per[popIdx].neurons.push(g - this.lay.recBase[popIdx]);
      }
      result.spikes = [];
      plan.pops.forEach((p, k) => {
        if (recordAll || probedSpikes.has(p.name)) result.spikes.push({ name: p.name, size: p.size, steps: Int32Array.from(per[k].steps), neurons: Int32Array.from(per[k].neurons) });
      });
    };
    const readTraces = async (upTo: number) => {
      if (!traceWords) return;
      const stage = device.createBuffer({ size: Math.max(16, Math.ceil((traceWords * 4) / 16) * 16), usage: U.MAP_READ | U.COPY_DST });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(traceBuf, 0, stage, 0, stage.size);
      device.queue.submit([enc.finish()]);
      await stage.mapAsync(1);
      const all = new Float32Array(stage.getMappedRange().slice(0));
      stage.unmap();
      stage.destroy();
      for (const tr of traces) {
        const samples = Math.min(tr.samples, Math.ceil(upTo / tr.everySteps));
        tr.rec.data = all.slice(tr.base, tr.base + samples * tr.count);
      }
    };

    const t0 = performance.now();
    const maxChunk = Math.max(1, Math.floor(this.lay.recCap / Math.max(1, neurons)));
    const pace: StepPace = { first: Math.min(16, maxChunk), max: maxChunk, fastMs: 25, slowMs: 100 };
    let errStep = -1;
    const pass = (enc: GPUCommandEncoder) => enc.beginComputePass();
    const maxDim = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    for (const chunk of stepChunks(result, cb, pace, finishSpikes, t0)) {
      const t = chunk.from;
      // A chunk ends before the next current step (written between chunks).
      const nextCs = csSteps.find((s) => s > t);
      if (nextCs !== undefined && nextCs < chunk.to) chunk.to = nextCs;
      const end = chunk.to;
      for (const c of csAt.get(t) ?? []) {
        const data = new Uint8Array(new Float32Array(c.to - c.from + 1).fill(c.value).buffer);
        for (const [k, at, n] of pieces(this.lay.mem, c.off + 4 * c.from, data.byteLength)) device.queue.writeBuffer(this.bufs.mem[k], at, data, at + k * this.lay.mem.chunkWords * 4 - (c.off + 4 * c.from), n);
      }
      const enc = device.createCommandEncoder();
      let p = pass(enc);
      for (let s = t; s < end; s++) {
        const sampled = traces.filter((tr) => s % tr.everySteps === 0);
        if (sampled.length) {
          p.end();
          for (const tr of sampled) {
            let at = tr.base + tr.samples * tr.count;
            for (const part of tr.parts) {
              this.copyFromMem(enc, part.byteOffset, traceBuf, 4 * at, 4 * part.n);
              at += part.n;
            }
            tr.samples++;
          }
          p = pass(enc);
        }
        p.setBindGroup(0, this.bindGroup);
        for (const k of this.kernels.step) {
          p.setPipeline(this.pipelines.get(k.entry)!);
          if (k.threads === 0) p.dispatchWorkgroups(1);
          else {
            const groups = Math.ceil(k.threads / WG);
            const wx = Math.min(groups, maxDim);
            p.dispatchWorkgroups(wx, Math.ceil(groups / wx));
          }
        }
      }
      p.end();
      enc.copyBufferToBuffer(this.bufs.ctl, 0, ctlStage, 0, CTL.words * 4);
      device.queue.submit([enc.finish()]);
      // Read-backs fail once the device is lost (destroyed, driver reset, GPU removed): the run
      // then ends with what was read back so far.
      let ctl: Uint32Array;
      try {
        await ctlStage.mapAsync(1);
        ctl = new Uint32Array(ctlStage.getMappedRange().slice(0));
        ctlStage.unmap();
        if (lost) break;
        const count = Math.min(ctl[CTL.recCount], this.lay.recCap);
        if (count > 0) {
          const e2 = device.createCommandEncoder();
          e2.copyBufferToBuffer(this.bufs.rec, 0, recStage, 0, count * 8);
          device.queue.submit([e2.finish()]);
          await recStage.mapAsync(1, 0, count * 8);
          const rec = new Uint32Array(recStage.getMappedRange(0, count * 8).slice(0));
          recStage.unmap();
          const k = new Float64Array(count);
          for (let m = 0; m < count; m++) k[m] = rec[2 * m] * neurons + rec[2 * m + 1];
          keys.push(k);
        }
      } catch (e) {
        // device.lost settles shortly after the failure; a failure without a loss is a bug.
        await Promise.race([device.lost, new Promise((r) => setTimeout(r, 2000))]);
        lost ??= `the GPU device was lost (a read-back failed: ${(e as Error).message})`;
        break;
      }
      device.queue.writeBuffer(this.bufs.ctl, CTL.recCount * 4, new Uint32Array([0]));
      if (ctl[CTL.err]) {
        errStep = ctl[CTL.errStep];
        const pop = plan.pops[ctl[CTL.errPop]];
        const variable = pop?.model?.state[ctl[CTL.errVar]]?.name ?? '?';
        result.error = nanInfMessage(pop?.name, variable, ctl[CTL.errNeuron], errStep, plan.dt);
        result.stopReason = 'nan-inf';
        result.stepsDone = errStep + 1;
        break;
      }
    }
    result.timings.run_s = (performance.now() - t0) / 1000;
    if (lost) {
      result.error = `${lost}; the run ended at step ${result.stepsDone} of ${plan.steps} (t = ${(result.stepsDone * plan.dt * 1000).toFixed(1)} ms): the spikes recorded up to there are kept, the traces (sampled on the GPU) are not`;
      result.stopReason = 'device-lost';
    }
    else await readTraces(result.stepsDone);
    finishSpikes();
    if (errStep >= 0) {
      result.spikes = result.spikes.map((s) => {
        const keep = s.steps.findIndex((x) => x > errStep);
        return keep >= 0 ? { ...s, steps: s.steps.slice(0, keep), neurons: s.neurons.slice(0, keep) } : s;
      });
    }
    recStage.destroy();
    ctlStage.destroy();
    traceBuf.destroy();
    return result;
  }
}

/**
 * Why the WebGPU backend cannot run `ir` (what it does not implement yet), or undefined; decided
 * from the IR before a plan is drawn.
 */
export function webgpuRefusal(ir: ModelIR): string | undefined {
  for (const p of ir.populations) {
    if (ir.models[p.model]?.method === 'exponential') return 'the WebGPU backend does not run method exponential yet';
    if (callsFunction(ir.models[p.model], 'exprel')) return 'the WebGPU backend does not run exprel() yet';
    if (ir.models[p.model]?.refractory_when) return 'the WebGPU backend does not run refractory conditions (refractory when) yet';
    if (p.schedules?.length) return `the WebGPU backend does not run scheduled operations (every / at, population ${p.name}) yet`;
    if (p.links?.length) return `the WebGPU backend does not run linked variables (population ${p.name}: ${p.links[0].parameter} = linked(${p.links[0].source}.${p.links[0].variable})) yet`;
  }
  for (const c of ir.connections) {
    const why = plasticRefusal(ir, c);
    if (why) return `the WebGPU backend does not run this plastic synapse: ${why}`;
    if (c.segments) return 'the WebGPU backend does not run dendritic segments yet';
    if (c.pathways) return 'the WebGPU backend does not run connection pathways yet';
  }
  return undefined;
}

/** Whether any expression under `node` (a model, a statement list, …) calls `fn`. */
function callsFunction(node: unknown, fn: string): boolean {
  if (Array.isArray(node)) return node.some((x) => callsFunction(x, fn));
  if (!node || typeof node !== 'object') return false;
  const o = node as { op?: unknown; fn?: unknown };
  if (o.op === 'call' && o.fn === fn) return true;
  return Object.values(node).some((x) => callsFunction(x, fn));
}

/** The WebGPU backend on `gpu`, as the run contract sees it (core/backend.ts). */
export function webgpuBackend(gpu: Gpu): Backend {
  return {
    name: 'webgpu',
    device: gpu.name,
    software: gpu.name.endsWith('(software)'),
    cannotRun: webgpuRefusal,
    run: async (plan, cb) => {
      const sim = await WebGPUSimulation.ofPlan(plan, gpu);
      try {
        return await sim.run(cb);
      } finally {
        sim.destroy();
      }
    },
  };
}
