// Loihi's LIF compartments, one step: Lava's PyLifModelBitAcc update (fixed.ts has the formats)
// with the refractory hold of Lava's LIFRefractory. The emulator (emulate.ts) and the tests that
// reproduce Lava's own bit-accurate cases step through this one function.
import * as F from './fixed';

/** A group of compartments sharing du, dv, vth and refractory delay (one compartment configuration). */
export interface Compartments {
  n: number;
  du: number;
  dv: number;
  vth: number;
  refractory: number;
  u: Int32Array;
  v: Int32Array;
  /** bias_mant << bias_exp per compartment. */
  bias: Int32Array;
  /** Last step v is held (refractory); −1: none. */
  held: Int32Array;
}

export function compartments(n: number, du: number, dv: number, vth: number, refractory = 0, bias: Int32Array = new Int32Array(n)): Compartments {
  return { n, du, dv, vth, refractory, u: new Int32Array(n), v: new Int32Array(n), bias, held: new Int32Array(n).fill(-1) };
}

/** trunc0(x·k / 4096) in int32 operations (|x| ≤ 2^23, 0 ≤ k ≤ 4096): floor by parts, then towards zero. */
function decay0(x: number, k: number): number {
  const lo = (x & 4095) * k;
  const f = (x >> 12) * k + (lo >> 12);
  return x < 0 && (lo & 4095) !== 0 ? f + 1 : f;
}

/**
 * Step t: u = wrap24(trunc0(u·(4096 − du − 1)/4096) + (a_in << 6)); unless held,
 * v = sat24(trunc0(v·(4096 − dv)/4096) + u + bias); v > vth << 6 spikes and resets v to 0
 * (held for `refractory` steps). Writes the spiking indices into `out`; returns their count.
 */
export function stepCompartments(c: Compartments, ain: Int32Array, t: number, out: Int32Array): number {
  const { u, v, bias, held, n } = c;
  const ku = F.DECAY_UNITY - (c.du + F.DU_OFFSET);
  const kv = F.DECAY_UNITY - (c.dv + F.DV_OFFSET);
  const vth = c.vth * 2 ** F.VTH_SHIFT;
  const refr = c.refractory;
  const UMAX = F.UV_MAX;
  const VMAX = F.UV_MAX - 1;
  let nf = 0;
  for (let i = 0; i < n; i++) {
    let uu = decay0(u[i], ku) + ain[i] * 64;
    if (uu > UMAX) uu -= 2 * UMAX;
    else if (uu <= -UMAX) uu += 2 * UMAX;
    u[i] = uu;
    if (held[i] >= t) continue;
    let vv = decay0(v[i], kv) + uu + bias[i];
    if (vv > VMAX) vv = VMAX;
    else if (vv < -VMAX) vv = -VMAX;
    if (vv > vth) {
      vv = 0;
      out[nf++] = i;
      if (refr > 0) held[i] = t + refr;
    }
    v[i] = vv;
  }
  return nf;
}
