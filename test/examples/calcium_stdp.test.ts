// Calcium-based Hebbian STDP (Girão, Risi & Chicca; the rule's classic form, Graupner & Brunel
// 2012): a pairing protocol gives LTP for pre-before-post and LTD for post-before-pre, the
// Δw-Δt curve's tails decay with the calcium time constant, and post-before-pre pairs depress
// at low pairing frequency and potentiate at high. Every synapse is also compared with the
// rule's exact solution (the weight integrates gamma_p·[ca > theta_p] - gamma_d·[ca > theta_d]
// over a piecewise-exponential calcium trace), within the error the time step allows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spikesOf } from '../../sim-host/src/engine';
import { loadExample, projIndex, runSim } from './helpers';

// The example's protocol (see its header): synapse k's Δt = t_post - t_pre, in ms.
const CURVE = [-80, -70, -60, -50, -40, -30, -20, -15, -10, -5, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, -300, 300];
const FREQS = [5, 10, 15, 20, 30, 40, 50];

interface Rule { tau: number; c_pre: number; c_post: number; theta_d: number; theta_p: number; gamma_d: number; gamma_p: number; eta: number; w_max: number }

/** Exact Δw of the rule for calcium jumps [time, amount], integrated up to `end`. */
function exactDw(events: [number, number][], end: number, p: Rule): { dw: number; above: number } {
  const ev = [...events].sort((a, b) => a[0] - b[0]);
  let ca = 0;
  let tp = 0;
  let td = 0;
  for (let k = 0; k < ev.length; k++) {
    ca += ev[k][1];
    const len = (k + 1 < ev.length ? ev[k + 1][0] : end) - ev[k][0];
    if (ca > p.theta_p) tp += Math.min(len, p.tau * Math.log(ca / p.theta_p));
    if (ca > p.theta_d) td += Math.min(len, p.tau * Math.log(ca / p.theta_d));
    ca *= Math.exp(-len / p.tau);
  }
  return { dw: p.eta * p.w_max * (p.gamma_p * tp - p.gamma_d * td), above: td };
}

describe('examples/calcium_stdp.snn', () => {
  const ir = loadExample('calcium_stdp');
  const conn = ir.connections.find((c) => c.name === 'plastic')!;
  const par = conn.synapse!.parameters;
  const rule: Rule = {
    tau: par.tau_ca, c_pre: par.c_pre, c_post: par.c_post, theta_d: par.theta_d, theta_p: par.theta_p,
    gamma_d: par.gamma_d, gamma_p: par.gamma_p, eta: par.eta, w_max: par.w_max,
  };
  const w0 = conn.weight.kind === 'const' ? conn.weight.value : NaN;
  const dt = ir.simulate.dt;
  const delaySteps = Math.round((conn.delay?.kind === 'const' ? conn.delay.value : NaN) / dt);
  const { sim, result } = runSim(ir);
  const k = projIndex(sim, 'pre', 'post', true);
  const col = sim.connectivity(k).col;
  const wEnd = sim.weights(k);
  const n = CURVE.length + 2 * FREQS.length;
  const unit = rule.eta * rule.w_max;
  // Δw per synapse (pre channel i -> post cell col[i], one to one), in units of eta·w_max
  const dw = Array.from({ length: n }, (_, i) => (wEnd[i] - w0) / unit);
  const stepsOf = (pop: string, i: number) => {
    const s = spikesOf(result, pop)!;
    const out: number[] = [];
    for (let m = 0; m < s.steps.length; m++) if (s.neurons[m] === i) out.push(s.steps[m]);
    return out;
  };

  it('runs the protocol it describes: every pairing has its Δt (within one step)', () => {
    assert.equal(col.length, n);
    for (let i = 0; i < n; i++) assert.equal(col[i], i);
    for (let i = 0; i < CURVE.length; i++) {
      const [pre] = stepsOf('pre', i);
      const [post] = stepsOf('post', i);
      assert.ok(Math.abs((post - pre) * dt * 1000 - CURVE[i]) <= dt * 1000 + 1e-9, `synapse ${i}: Δt ${((post - pre) * dt * 1000).toFixed(2)} ms`);
    }
    FREQS.forEach((f, j) => {
      for (const [o, d] of [[0, -10], [1, 10]]) {
        const pre = stepsOf('pre', CURVE.length + 2 * j + o);
        const post = stepsOf('post', CURVE.length + 2 * j + o);
        assert.equal(pre.length, 15);
        assert.equal(post.length, 15, `${f} Hz, Δt ${d} ms: ${post.length} postsynaptic spikes`);
        pre.forEach((s, m) => assert.ok(Math.abs((post[m] - s) * dt * 1000 - d) <= dt * 1000 + 1e-9));
      }
    });
  });

  it('every synapse matches the rule\'s exact solution within the time step\'s error bound', () => {
    const end = result.steps * dt;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const events: [number, number][] = [
        ...stepsOf('pre', i).map((s): [number, number] => [(s + delaySteps) * dt, rule.c_pre]),
        ...stepsOf('post', i).map((s): [number, number] => [s * dt, rule.c_post]),
      ];
      const ex = exactDw(events, end, rule);
      // Each calcium jump and each threshold crossing can be off by one step: at most
      // dt·(gamma_p + gamma_d) per event and threshold; plus float32 rounding of w per step.
      const ulp = 2 ** -23 * rule.w_max;
      const bound = unit * dt * (rule.gamma_p + rule.gamma_d) * 2 * events.length + (ex.above / dt) * ulp;
      const err = Math.abs(wEnd[i] - w0 - ex.dw);
      worst = Math.max(worst, err / bound);
      assert.ok(err <= bound, `synapse ${i}: engine Δw ${dw[i].toFixed(4)}, exact ${(ex.dw / unit).toFixed(4)} (×eta·w_max), bound ${(bound / unit).toFixed(4)}`);
    }
    console.log(`  largest |engine - exact| is ${(100 * worst).toFixed(0)} % of its bound`);
  });

  it('pairing: LTP for pre-before-post (Δt = +5..+80 ms), LTD for post-before-pre (Δt = -80..-5 ms)', () => {
    const curve = CURVE.map((d, i) => `${d > 0 ? '+' : ''}${d}: ${dw[i].toFixed(3)}`);
    console.log(`  Δw (×eta·w_max) per Δt (ms): ${curve.join(', ')}`);
    CURVE.forEach((d, i) => {
      if (Math.abs(d) > 100) return;
      if (d > 0) assert.ok(dw[i] > 0, `Δt = +${d} ms: Δw ${dw[i]}`);
      else assert.ok(dw[i] < 0, `Δt = ${d} ms: Δw ${dw[i]}`);
    });
  });

  it('both tails of the Δw-Δt curve decay with tau_ca (fit over |Δt| = 50-80 ms within 10 %)', () => {
    const base = (dw[CURVE.indexOf(-300)] + dw[CURVE.indexOf(300)]) / 2;
    const fit = (sign: number) => {
      // least-squares slope of ln|Δw - baseline| against |Δt|
      const xs: number[] = [];
      const ys: number[] = [];
      CURVE.forEach((d, i) => {
        if (Math.sign(d) === sign && Math.abs(d) >= 50 && Math.abs(d) <= 80) {
          xs.push(Math.abs(d) / 1000);
          ys.push(Math.log(Math.abs(dw[i] - base)));
        }
      });
      const mx = xs.reduce((a, b) => a + b) / xs.length;
      const my = ys.reduce((a, b) => a + b) / ys.length;
      let sxy = 0;
      let sxx = 0;
      xs.forEach((x, m) => ((sxy += (x - mx) * (ys[m] - my)), (sxx += (x - mx) ** 2)));
      return -sxx / sxy;
    };
    const ltp = fit(+1);
    const ltd = fit(-1);
    console.log(`  decay constants: LTP side ${(ltp * 1000).toFixed(2)} ms, LTD side ${(ltd * 1000).toFixed(2)} ms (tau_ca ${(rule.tau * 1000).toFixed(0)} ms)`);
    assert.ok(Math.abs(ltp / rule.tau - 1) <= 0.1, `LTP tail decays with ${ltp * 1000} ms`);
    assert.ok(Math.abs(ltd / rule.tau - 1) <= 0.1, `LTD tail decays with ${ltd * 1000} ms`);
  });

  it('frequency: post-before-pre pairs depress at 5-10 Hz and potentiate at 30-50 Hz; pre-before-post potentiate', () => {
    const row = FREQS.map((f, j) => `${f} Hz: ${dw[CURVE.length + 2 * j].toFixed(2)} / ${dw[CURVE.length + 2 * j + 1].toFixed(2)}`);
    console.log(`  Δw after 15 pairs (×eta·w_max), Δt = -10 / +10 ms: ${row.join(', ')}`);
    FREQS.forEach((f, j) => {
      const postPre = dw[CURVE.length + 2 * j];
      const prePost = dw[CURVE.length + 2 * j + 1];
      if (f <= 10) assert.ok(postPre < 0, `${f} Hz post-before-pre: Δw ${postPre}`);
      if (f >= 30) assert.ok(postPre > 0, `${f} Hz post-before-pre: Δw ${postPre}`);
      assert.ok(prePost > 0, `${f} Hz pre-before-post: Δw ${prePost}`);
    });
  });
});
