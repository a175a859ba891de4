// What the WebGPU kernels and the host side share: workgroup size, the control words, the word
// offsets of everything besides the plan's memory (Layout) and the kernel header. Imported by
// wgsl.ts, plastic.ts and backend.ts (none of which imports another for these).
import type { Split } from './chunks';

export const WG = 64;

/** Word offsets of everything the kernels read besides the plan's memory. */
export interface Layout {
  /** Per projection: column pointers (syn buffer), arrival counts and slots (bucket buffer). */
  csc: { colptr: number; count: number; bucket: number; plastic?: { contrib: number; qcount: number; qrows: number } }[];
  /** tab buffer: spike arrays (step pointers, indices) and per-neuron Poisson thresholds. */
  arrays: Map<number, { stepptr: number; idx: number; maxPerStep: number }>;
  poissonThr: Map<number, number>;
  /** lists buffer: this step's spiking neurons of each population start here (count: ctl[CTL.words + pop]). */
  flagBase: number[];
  /** Global index of a population's neuron 0 in spike records. */
  recBase: number[];
  recCap: number;
  /** The plan's memory and the arrival buckets, split across bindings (chunks.ts). */
  mem: Split;
  bucket: Split;
}

export const CTL = { t: 0, recCount: 1, err: 2, errStep: 3, errPop: 4, errNeuron: 5, errVar: 6, words: 8 } as const;

export const HEAD = (name: string) => `@compute @workgroup_size(${WG}) fn ${name}(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${WG}u;
  let t = atomicLoad(&ctl[0]);
  ONE = ld(1u);`;
