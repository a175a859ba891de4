// Generates a large, realistic .snn model of an exact number of lines: many neuron and
// synapse models, populations with per-neuron initial values, multi-line connections with
// rules, weights, delays and plasticity, inputs, probes, a task and a simulate block.
// Deterministic: the same line count gives the same text. The model checks clean.

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface GeneratedModel {
  text: string;
  lines: number;
  neurons: number;
  synapses: number;
  populations: number;
  connections: number;
}

export function generateModel(targetLines = 5000): GeneratedModel {
  const rnd = lcg(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = (lo: number, hi: number, digits = 1) => (lo + rnd() * (hi - lo)).toFixed(digits);
  const out: string[] = [];
  const push = (...ls: string[]) => out.push(...ls);

  push('// Generated benchmark model: a large cortical-column-like network with many cell types.', `model bench_${targetLines}`, '');

  // Neuron models: adaptive conductance-based cells (about 30 lines each).
  const nNeurons = Math.max(4, Math.round(targetLines / 125));
  const neuronNames: string[] = [];
  for (let k = 0; k < nNeurons; k++) {
    const name = `Cell${k}`;
    neuronNames.push(name);
    push(
      `/// Adaptive conductance-based cell type ${k}.`,
      `neuron ${name} {`,
      '  parameters {',
      `    C_m = ${r(150, 300, 0)} pF          // membrane capacitance`,
      `    g_l = ${r(8, 15)} nS           // leak conductance`,
      `    E_l = -${r(60, 72)} mV          // leak reversal`,
      '    E_e = 0 mV',
      `    E_i = -${r(75, 85, 0)} mV`,
      `    tau_e = ${r(2, 6)} ms`,
      `    tau_i = ${r(6, 12)} ms`,
      `    tau_w = ${r(80, 300, 0)} ms`,
      `    a = ${r(0, 4)} nS`,
      `    b = ${r(10, 80, 0)} pA`,
      `    V_th = -${r(48, 52)} mV`,
      `    V_reset = -${r(58, 65)} mV`,
      `    t_ref = ${r(1, 4)} ms`,
      '  }',
      '  state {',
      '    v: mV = E_l',
      '    g_e: nS = 0 nS',
      '    g_i: nS = 0 nS',
      '    w: pA = 0 pA',
      '    I_e: pA = 0 pA',
      '  }',
      '  equations {',
      '    I_syn = g_e*(E_e - v) + g_i*(E_i - v)',
      '    dv/dt = (g_l*(E_l - v) + I_syn - w + I_e) / C_m',
      '    dg_e/dt = -g_e / tau_e',
      '    dg_i/dt = -g_i / tau_i',
      '    dw/dt = (a*(v - E_l) - w) / tau_w',
      '  }',
      '  spike when v > V_th',
      '  reset { v = V_reset; w += b }',
      '  refractory t_ref',
      '}',
      '',
    );
  }

  // Synapse models: STDP variants (about 25 lines each).
  const nSyn = Math.max(2, Math.round(targetLines / 500));
  const synNames: string[] = [];
  for (let k = 0; k < nSyn; k++) {
    const name = `Stdp${k}`;
    synNames.push(name);
    push(
      `/// Pair STDP variant ${k}.`,
      `synapse ${name} {`,
      '  parameters {',
      `    tau_plus = ${r(15, 25)} ms`,
      `    tau_minus = ${r(15, 35)} ms`,
      `    A_plus = ${r(0.005, 0.02, 4)}`,
      `    A_minus = ${r(0.005, 0.02, 4)}`,
      '    w_max: weight',
      '  }',
      '  state {',
      '    apre = 0',
      '    apost = 0',
      '  }',
      '  equations {',
      '    dapre/dt = -apre / tau_plus',
      '    dapost/dt = -apost / tau_minus',
      '  }',
      '  on_pre {',
      '    target += w',
      '    apre += A_plus',
      '    w = clip(w - apost*w_max, 0 * w_max, w_max)',
      '  }',
      '  on_post {',
      '    apost += A_minus',
      '    w = clip(w + apre*w_max, 0 * w_max, w_max)',
      '  }',
      '}',
      '',
    );
  }

  // Inputs.
  const nInputs = Math.max(2, Math.round(targetLines / 250));
  const inputs: string[] = [];
  for (let k = 0; k < nInputs; k++) {
    inputs.push(`ext${k}`);
    push(`input ext${k} = poisson[${pick([100, 200, 500])}] { rate: ${r(2, 20)} Hz }`);
  }
  push('');

  // The rest: populations, connections and probes, in layers, until the line budget is spent.
  const pops: { name: string; size: number }[] = [];
  let connections = 0;
  const reserve = 8; // task, simulate and the last population
  let layer = 0;
  while (out.length < targetLines - reserve - 40) {
    const name = `p${pops.length}`;
    const size = pick([50, 80, 100, 200, 400]);
    const model = pick(neuronNames);
    push(
      `population ${name} = ${model}[${size}] {`,
      `  v = normal(-${r(58, 66)} mV, ${r(1, 5)} mV)`,
      `  g_e = uniform(0 nS, ${r(1, 5)} nS)`,
      `  tau_w = uniform(${r(80, 120, 0)} ms, ${r(150, 300, 0)} ms)`,
      '}',
    );
    pops.push({ name, size });
    // Connections into the new population from earlier ones and an input.
    const sources = [pick(pops).name, pops.length > 3 ? pick(pops.slice(-4)).name : name];
    for (const src of sources) {
      connections++;
      if (rnd() < 0.3) {
        push(
          `connect c${connections}: ${src} -> ${name} {`,
          `  rule: random(p = ${r(0.02, 0.1, 3)})`,
          `  weight: uniform(${r(0.5, 1, 2)} nS, ${r(2, 4, 2)} nS)`,
          `  delay: uniform(1 ms, ${r(2, 5)} ms)`,
          '  target: g_e',
          `  synapse: ${pick(synNames)}(w_max = ${r(5, 10)} nS)`,
          '}',
        );
      } else {
        push(
          `connect c${connections}: ${src} -> ${name} {`,
          `  rule: ${rnd() < 0.5 ? `fixed_indegree(k = ${pick([5, 10, 20])})` : `random(p = ${r(0.02, 0.1, 3)})`}`,
          `  weight: ${r(1, 8)} nS`,
          `  delay: ${r(0.5, 3)} ms`,
          `  target: ${rnd() < 0.8 ? 'g_e' : 'g_i'}`,
          '}',
        );
      }
    }
    if (pops.length % 5 === 0) {
      connections++;
      push(`connect ${pick(inputs)} -> ${name} { rule: random(p = 0.05); weight: 2 nS; target: g_e }`);
    }
    if (pops.length % 3 === 0) push(`probe spikes(${name})`, `probe v(${name}[0..4]) every 1 ms`);
    push('');
    layer++;
  }
  // Pad with probes to the exact line count.
  push('task stimulus_windows {', `  stimulus: ${inputs[0]}`, '  window 0 ms .. 500 ms: "on"', '  window 500 ms .. 1 s: "off"', '}');
  while (out.length < targetLines - 2) push(`probe w(c${1 + (out.length % connections)}) every 100 ms`.replace(/w\(c(\d+)\)/, (_, k) => `spikes(p${Number(k) % pops.length})`));
  push('simulate { dt: 0.1 ms; duration: 1 s; seed: 1; backend: auto }', '// end of the generated model');
  const text = out.join('\n') + '\n';
  return { text, lines: out.length, neurons: nNeurons, synapses: nSyn, populations: pops.length, connections };
}
