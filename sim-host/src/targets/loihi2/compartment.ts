// Loihi's LIF compartments, one step: Lava's PyLifModelBitAcc update (fixed.ts has the formats)
// with the refractory hold of Lava's LIFRefractory, run by the generated WebAssembly kernel
// (kernel.ts). The emulator (emulate.ts) and the tests that reproduce Lava's own bit-accurate
// cases step through this one function.
import * as F from './fixed';
import { kernelMemory, type StepFn } from './kernel';

/** A group of compartments sharing du, dv, vth and refractory delay (one compartment configuration). */
export interface Compartments {
  n: number;
  /** n rounded up to 4 (the SIMD kernel's lanes). */
  stride: number;
  du: number;
  dv: number;
  vth: number;
  refractory: number;
  u: Int32Array;
  v: Int32Array;
  /** bias_mant << bias_exp per compartment. */
  bias: Int32Array;
  /** This step's synaptic input a_in (the caller fills it). */
  ain: Int32Array;
  /** Last step v is held (refractory); −1: none. */
  held: Int32Array;
  /** The step's spiking indices (first `count` entries). */
  out: Int32Array;
  /** The generated kernel (kernel.ts) over the memory the arrays live in, and their byte offsets. */
  step: StepFn;
  at: number[];
}

/** Compartments in a memory of their own, stepped by the WebAssembly kernel. */
export function compartments(n: number, du: number, dv: number, vth: number, refractory = 0, bias?: Int32Array): Compartments {
  const { memory, stride, step4 } = kernelMemory(n, 6);
  const at = [0, 1, 2, 3, 4, 5].map((k) => 64 + 4 * stride * k);
  const view = (k: number) => new Int32Array(memory.buffer, at[k], n);
  const c: Compartments = { n, stride, du, dv, vth, refractory, u: view(0), v: view(1), bias: view(2), ain: view(3), held: view(4), out: view(5), step: step4, at };
  c.held.fill(-1);
  // padding lanes up to the stride: held for ever, never spike
  new Int32Array(memory.buffer, at[4], stride).fill(0x7fffffff, n);
  if (bias) c.bias.set(bias);
  return c;
}

/**
 * Step t: u = wrap24(trunc0(u·(4096 − du − 1)/4096) + (a_in << 6)); unless held,
 * v = sat24(trunc0(v·(4096 − dv)/4096) + u + bias); v > vth << 6 spikes and resets v to 0
 * (held for `refractory` steps). a_in is read from `ain` (copied into c.ain unless it is c.ain);
 * the spiking indices are written into c.out; returns their count.
 */
export function stepCompartments(c: Compartments, ain: Int32Array, t: number): number {
  if (ain !== c.ain) c.ain.set(ain);
  const ku = F.DECAY_UNITY - (c.du + F.DU_OFFSET);
  const kv = F.DECAY_UNITY - (c.dv + F.DV_OFFSET);
  const [u, v, b, a, h, o] = c.at;
  return c.step(u, v, b, a, h, o, c.stride, ku, kv, c.vth * 2 ** F.VTH_SHIFT, c.refractory, t);
}
