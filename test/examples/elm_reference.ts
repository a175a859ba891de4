// An independent implementation of the Expressive Leaky Memory neuron (Spieler et al., ICLR
// 2024) in its continuous-time form, for comparison with the engine:
//   s' = -s / tau_s                                   (synaptic trace; each spike adds w)
//   h  = relu(W1 [s, m] + b1)                          (hidden layer, 3 units)
//   m' = (tanh(W2 h + b2) - m) / tau_m                 (memory units, per-unit timescales)
//   y  = w_y · m;  spike while y > y_th, at most once per t_ref (no reset)
// integrated with classical RK4 in float64, following the engine's documented schedule
// (language-server/LANGUAGE.md): integrate, test the spike condition, then deliver the spikes
// that arrive in this step (they enter the next step's integration). Written from the
// equations, not from the engine's code generator.

export interface ElmParams {
  tau_s: number;
  tau: [number, number, number];
  W1: number[][]; // 3 × 4: columns s, m1, m2, m3
  b1: number[];
  W2: number[][]; // 3 × 3
  b2: number[];
  wy: number[];
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
    y_th: g('y_th'),
    t_ref: g('t_ref'),
  };
}

/** dx/dt of x = [s, m1, m2, m3]. */
function deriv(p: ElmParams, x: number[]): number[] {
  const z = [x[0], x[1], x[2], x[3]];
  const h = p.W1.map((row, k) => Math.max(0, row.reduce((a, w, j) => a + w * z[j], 0) + p.b1[k]));
  const d = [-x[0] / p.tau_s];
  for (let k = 0; k < 3; k++) {
    const u = p.W2[k].reduce((a, w, j) => a + w * h[j], 0) + p.b2[k];
    d.push((Math.tanh(u) - x[k + 1]) / p.tau[k]);
  }
  return d;
}

/**
 * Runs one cell for `steps` steps of `dt`; `input[t]` is the sum of weights delivered at the
 * end of step t. Returns the state at the start of every step (as the engine's probes sample
 * it) and the steps on which the cell spiked.
 */
export function runElm(p: ElmParams, dt: number, steps: number, input: Float64Array, f32 = true): { states: number[][]; spikes: number[] } {
  let x = [0, 0, 0, 0];
  const states: number[][] = [];
  const spikes: number[] = [];
  const refr = Math.round(p.t_ref / dt);
  let last = -Infinity;
  const round = (v: number) => (f32 ? Math.fround(v) : v);
  for (let t = 0; t < steps; t++) {
    states.push(x);
    const k1 = deriv(p, x);
    const k2 = deriv(p, x.map((v, j) => v + (dt / 2) * k1[j]));
    const k3 = deriv(p, x.map((v, j) => v + (dt / 2) * k2[j]));
    const k4 = deriv(p, x.map((v, j) => v + dt * k3[j]));
    x = x.map((v, j) => round(v + (dt / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j])));
    const y = p.wy[0] * x[1] + p.wy[1] * x[2] + p.wy[2] * x[3];
    if (y > p.y_th && t - last >= refr) {
      spikes.push(t);
      last = t;
    }
    if (input[t] !== 0) x = [round(x[0] + input[t]), x[1], x[2], x[3]];
  }
  return { states, spikes };
}
