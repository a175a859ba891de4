// An independent implementation of the Expressive Leaky Memory neuron as the paper defines it
// (Spieler et al., ICLR 2024, the discrete-time update of its Algorithm 1), for comparison with
// the engine. Per step t, with kappa = exp(-dt / tau) for the trace and each memory unit:
//   s_t  = kappa_s s_(t-1) + x_t                                  (synaptic trace; x_t: input)
//   dm_t = tanh(W2 relu(W1 [s_t, kappa_m ⊙ m_(t-1)] + b1) + b2)     (two-layer integration)
//   m_t  = kappa_m ⊙ m_(t-1) + lambda (1 - kappa_m) ⊙ dm_t          (leaky memory)
//   y_t  = w_y · m_t                                                (output)
// plus the example's spike rule: the cell spikes at step t when y_t > y_th and at least
// round(t_ref / dt) steps have passed since its last spike. Written from those equations, not
// from the engine's code generator or the .snn model.

export interface ElmParams {
  tau_s: number;
  tau: [number, number, number];
  W1: number[][]; // 3 × 4: columns s, m1, m2, m3
  b1: number[];
  W2: number[][]; // 3 × 3
  b2: number[];
  wy: number[];
  lambda: number;
  y_th: number;
  t_ref: number;
}

/** The prelude ELM's parameters, as named there, into matrices. */
export function elmParams(p: Record<string, number>): ElmParams {
  const g = (k: string) => {
    if (!(k in p)) throw new Error(`missing ELM parameter ${k}`);
    return p[k];
  };
  return {
    tau_s: g('tau_s'),
    tau: [g('tau_1'), g('tau_2'), g('tau_3')],
    W1: [1, 2, 3].map((k) => [g(`w1_${k}s`), g(`w1_${k}1`), g(`w1_${k}2`), g(`w1_${k}3`)]),
    b1: [1, 2, 3].map((k) => g(`b1_${k}`)),
    W2: [1, 2, 3].map((k) => [g(`w2_${k}1`), g(`w2_${k}2`), g(`w2_${k}3`)]),
    b2: [1, 2, 3].map((k) => g(`b2_${k}`)),
    wy: [g('wy_1'), g('wy_2'), g('wy_3')],
    lambda: g('lambda'),
    y_th: g('y_th'),
    t_ref: g('t_ref'),
  };
}

export interface ElmRun {
  /** s_t, m_t (3 units) and y_t for t = 0 .. steps-1. */
  s: Float64Array;
  m: [Float64Array, Float64Array, Float64Array];
  y: Float64Array;
  /** Steps t on which the cell spiked. */
  spikes: number[];
}

/**
 * Runs one cell for `x.length` steps of `dt` from s = m = 0; `x[t]` is the input of step t.
 * `f32`: s and m are rounded to 32-bit floats after each step, as a stored state would be.
 */
export function runElm(p: ElmParams, dt: number, x: Float64Array, f32 = true): ElmRun {
  const steps = x.length;
  const round = (v: number) => (f32 ? Math.fround(v) : v);
  const kappaS = Math.exp(-dt / p.tau_s);
  const kappaM = p.tau.map((tau) => Math.exp(-dt / tau));
  const out: ElmRun = { s: new Float64Array(steps), m: [new Float64Array(steps), new Float64Array(steps), new Float64Array(steps)], y: new Float64Array(steps), spikes: [] };
  const refr = Math.round(p.t_ref / dt);
  let s = 0;
  let m = [0, 0, 0];
  let last = -Infinity;
  for (let t = 0; t < steps; t++) {
    s = round(kappaS * s + x[t]);
    const z = [s, ...m.map((v, j) => kappaM[j] * v)];
    const h = p.W1.map((row, k) => Math.max(0, row.reduce((a, w, j) => a + w * z[j], p.b1[k])));
    const dm = p.W2.map((row, k) => Math.tanh(row.reduce((a, w, j) => a + w * h[j], p.b2[k])));
    m = m.map((v, k) => round(kappaM[k] * v + p.lambda * (1 - kappaM[k]) * dm[k]));
    const y = p.wy.reduce((a, w, k) => a + w * m[k], 0);
    out.s[t] = s;
    m.forEach((v, k) => (out.m[k][t] = v));
    out.y[t] = y;
    if (y > p.y_th && t - last >= refr) {
      out.spikes.push(t);
      last = t;
    }
  }
  return out;
}
