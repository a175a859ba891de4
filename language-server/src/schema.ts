// What may appear in each property block: keys, value kinds, dimensions, documentation.
// The checker validates against it; completion and hover read it.
import { MAX_THREADS } from '../../protocol/threads';
import { CONDUCTANCE, CURRENT, DIMENSIONLESS, FREQUENCY, LENGTH, NOISE, POWER, RESISTANCE, TIME, VOLTAGE, type Dim } from './units';

export type ValueKind =
  | { kind: 'quantity'; dim: Dim; min?: number; minExclusive?: boolean; max?: number; integer?: boolean; dist?: boolean }
  | { kind: 'weight' } // dimension of the target variable; constant or distribution
  | { kind: 'enum'; values: string[] }
  | { kind: 'bool' }
  | { kind: 'string' }
  | { kind: 'population' }
  | { kind: 'populationVariable' } // target variable of a connect
  | { kind: 'rule' }
  | { kind: 'synapse' }
  | { kind: 'statements' }
  | { kind: 'block'; schema: Schema } // a nested block of properties: `key: { a: 1; b: 2 }`
  | { kind: 'layout' }
  | { kind: 'list'; dim?: Dim | 'target'; integer?: boolean }
  | { kind: 'timeRange' }
  | { kind: 'ref'; to: 'input' | 'task' | 'population'; many?: boolean }
  | { kind: 'selectorVariable' };

export interface PropSpec {
  doc: string;
  value: ValueKind;
  required?: boolean;
  example?: string;
}

export type Schema = Record<string, PropSpec>;

const time = (min = 0, minExclusive = true): ValueKind => ({ kind: 'quantity', dim: TIME, min, minExclusive });

export const SIMULATE: Schema = {
  dt: { doc: 'Integration time step.', value: time(), required: true, example: '0.1 ms' },
  duration: { doc: 'Simulated (biological) time.', value: time(), required: true, example: '1 s' },
  seed: { doc: 'Seed of the counter-based random streams (connectivity, initial values, inputs).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0, integer: true }, example: '42' },
  backend: { doc: 'Where to run: `auto` picks WebGPU when an adapter exists, else WASM.', value: { kind: 'enum', values: ['auto', 'wasm', 'webgpu'] }, example: 'auto' },
  threads: { doc: 'Worker threads of the WASM engine; results are identical for any count; default: this machine\'s idle cores for large models (20,000 neurons or 10⁶ synapses), else one. A whole number from 1 to 1024; `spikeworks run --threads N` and the setting `spikeworks.simulation.threads` override it.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, max: MAX_THREADS, integer: true }, example: '4' },
};

/** The properties of a connection's `segments: { … }` block (LANGUAGE.md "Dendritic segments"). */
export const SEGMENTS: Schema = {
  count: { doc: 'Dendritic segments per target neuron (a whole number ≥ 1). Synapse target index j·count + q is segment q of neuron j.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, integer: true }, required: true, example: '4' },
  threshold: { doc: 'θ: how many distinct synapses of one segment must be active (have received a spike within `window`) for the segment to emit its NMDA-like event; a whole number ≥ 1, at most the synapses per segment. The event fires on the step the count reaches θ and not again until it has fallen below θ.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, integer: true }, required: true, example: '10' },
  window: { doc: 'How long a synapse stays active after a presynaptic spike (the coincidence window, ≥ dt, rounded to whole steps). Default: one time step (only spikes of the same step coincide).', value: { kind: 'quantity', dim: TIME, min: 0, minExclusive: true }, example: '1 ms' },
};

/** One pathway of a connection's `pathways: { name: { … } }`. */
export const PATHWAY: Schema = {
  delay: { doc: 'The pathway\'s delay: one constant, at least one time step (absent: none).', value: { kind: 'quantity', dim: TIME, min: 0, dist: true }, example: '1 ms' },
  on_pre: { doc: 'The pathway\'s statement when a presynaptic spike arrives: x += w or x -= w (x a postsynaptic variable).', value: { kind: 'statements' }, required: true, example: 'g_e += w' },
};

export const CONNECT: Schema = {
  rule: { doc: 'Connectivity rule: `all_to_all`, `one_to_one`, `random(p)`, `fixed_indegree(k)`, `distance(sigma, p_max)`, `ring_kernel(sigma, p_max)`, `from_file("edges.csv")`.', value: { kind: 'rule' }, required: true, example: 'random(p = 0.02)' },
  weight: { doc: 'Synaptic weight: a constant, a distribution, or a list with one value per synapse (`all_to_all`: the sources × targets matrix row by row; `one_to_one`: one per pair), in the unit of the target variable.', value: { kind: 'weight' }, required: true, example: '6 nS' },
  delay: { doc: 'Axonal/synaptic delay per synapse: a constant, a distribution or a list (as for weight), at least one time step.', value: { kind: 'quantity', dim: TIME, min: 0, dist: true }, example: 'uniform(1 ms, 5 ms)' },
  target: { doc: 'The postsynaptic state variable that spikes drive (default action `target += w`).', value: { kind: 'populationVariable' }, example: 'g_e' },
  synapse: { doc: 'A synapse model (plasticity) with parameter overrides, e.g. `PairSTDP(w_max = 10 nS)`.', value: { kind: 'synapse' }, example: 'PairSTDP(w_max = 10 nS)' },
  on_pre: { doc: 'Statements run when a presynaptic spike arrives (names are postsynaptic variables; `w` is the weight).', value: { kind: 'statements' }, example: 'g_e += w' },
  on_post: { doc: 'Statements run when the postsynaptic neuron spikes.', value: { kind: 'statements' } },
  modulated_by: { doc: 'A population (e.g. an astrocyte) whose variables the synapse model reads as `mod.x`.', value: { kind: 'ref', to: 'population' }, example: 'astro' },
  autapses: { doc: 'Allow a neuron to connect to itself (when source and target are the same population).', value: { kind: 'bool' }, example: 'false' },
  pathways: {
    doc: 'Several presynaptic pathways over the same synapses, each with its own `on_pre` statement and constant `delay` (Brian2: `on_pre={\'fast\': …, \'slow\': …}` with `S.fast.delay`): `{ fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 5 ms; on_pre: g_i += w } }`. The connection then gives no target, on_pre, delay or synapse model of its own.',
    value: { kind: 'block', schema: {} },
    example: '{ fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 5 ms; on_pre: g_i += w } }',
  },
  segments: {
    doc: 'Dendritic segments (Ahmad & Hawkins 2016): the synapses land on `count` segments per target neuron (the rule draws for each segment as if it were a target: target j·count + q is segment q of neuron j); a segment emits one NMDA-like event, `target += w`, when at least `threshold` of its synapses have received a spike within the last `window`. `{ count: 4; threshold: 10; window: 1 ms }`.',
    value: { kind: 'block', schema: SEGMENTS },
    example: '{ count: 4; threshold: 10; window: 1 ms }',
  },
};


export const LAYOUT_DOC = 'Spatial layout used by distance rules: `ring`, `line`, `grid(rows = R, cols = C)`; optional `spacing`.';

/** Distance between neighbouring neurons of a layout when `spacing` is not given (metres): the engine's estimate assumes the same. */
export { DEFAULT_LAYOUT_SPACING as DEFAULT_SPACING } from '../../sim-host/src/core/estimate';

/** What a model without a `simulate` block (or without some of its properties) runs with. */
export const DEFAULT_SIMULATE = { dt: 1e-4, duration: 1, seed: 0, backend: 'auto' as const };

export const POPULATION: Schema = {
  layout: { doc: LAYOUT_DOC, value: { kind: 'layout' }, example: 'ring' },
  spacing: { doc: 'Distance between neighbouring neurons of the layout.', value: { kind: 'quantity', dim: LENGTH, min: 0, minExclusive: true }, example: '10 um' },
};

export const INPUT_KINDS: Record<string, { doc: string; sized: boolean; spiking: boolean; schema: Schema }> = {
  poisson: {
    doc: 'Independent Poisson spike trains, one per source neuron.',
    sized: true,
    spiking: true,
    schema: {
      rate: { doc: 'Mean firing rate per source (a constant or a distribution over sources).', value: { kind: 'quantity', dim: FREQUENCY, min: 0, dist: true }, required: true, example: '15 Hz' },
      start: { doc: 'Time the trains start.', value: time(0, false), example: '0 ms' },
      stop: { doc: 'Time the trains stop.', value: time(0, false), example: '1 s' },
    },
  },
  spike_array: {
    doc: 'Given spike times: `times[k]` is a spike of source `indices[k]`.',
    sized: true,
    spiking: true,
    schema: {
      times: { doc: 'Spike times.', value: { kind: 'list', dim: TIME }, required: true, example: '[10 ms, 20 ms]' },
      indices: { doc: 'Source index of each spike (0-based).', value: { kind: 'list', dim: DIMENSIONLESS, integer: true }, required: true, example: '[0, 1]' },
      period: { doc: 'Repeat the pattern with this period.', value: time(), example: '100 ms' },
    },
  },
  event_file: {
    doc: 'Spikes from a file: CSV lines `time_s,index` or the binary event format.',
    sized: true,
    spiking: true,
    schema: {
      file: { doc: 'Path relative to this .snn file.', value: { kind: 'string' }, required: true, example: '"data/events.csv"' },
    },
  },
  current_step: {
    doc: 'A piecewise-constant value added to a state variable: from `times[k]` on, the value is `values[k]`.',
    sized: false,
    spiking: false,
    schema: {
      target: { doc: 'Population (optionally a slice) and variable, e.g. `exc[0..9].I_e`.', value: { kind: 'selectorVariable' }, required: true, example: 'exc.I_e' },
      times: { doc: 'Times at which the value changes.', value: { kind: 'list', dim: TIME }, required: true, example: '[100 ms, 600 ms]' },
      values: { doc: 'Values from each time on, in the unit of the target variable.', value: { kind: 'list', dim: 'target' }, required: true, example: '[0.5 nA, 0 nA]' },
    },
  },
};

export const READOUT_KINDS: Record<string, { doc: string; schema: Schema }> = {
  ridge: {
    doc: 'Linear readout trained by ridge regression on binned spike counts.',
    schema: {
      from: { doc: 'Population whose activity is read.', value: { kind: 'ref', to: 'population' }, required: true, example: 'exc' },
      alpha: { doc: 'L2 regularisation strength.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0 }, example: '1e-3' },
      bin: { doc: 'Width of the time bins of the state vectors.', value: time(), example: '10 ms' },
      task: { doc: 'The task whose labelled windows train and test the readout.', value: { kind: 'ref', to: 'task' }, example: 'patterns' },
    },
  },
  onnx: {
    doc: 'A fixed, trained classifier in an ONNX file, run by onnxruntime-web after each run: the spike counts of `from` per window of the task (in bins of `bin`, neuron by neuron) go in as float32 [windows, features]; the argmax of its first output (or its integer class) is the class, output k being the task\'s k-th class in order of first appearance. Scored by accuracy, no training or cross-validation.',
    schema: {
      file: { doc: 'Path of the .onnx file relative to this .snn file. Its first input must take [windows, neurons × bins] float32; its first output one score per class of the task (or a class index). The checker reads its shape in a trusted workspace.', value: { kind: 'string' }, required: true, example: '"models/readout.onnx"' },
      from: { doc: 'Population whose spike counts are the features (one per neuron and bin).', value: { kind: 'ref', to: 'population' }, required: true, example: 'exc' },
      bin: { doc: 'Width of the time bins within a window (default: the whole window, one count per neuron).', value: time(), example: '10 ms' },
      task: { doc: 'The task whose windows are classified (default: the model\'s only task); its labels, in order of first appearance, are the model\'s classes.', value: { kind: 'ref', to: 'task' } },
    },
  },
};

/**
 * The memristive crossbar's settings (sim-host/src/targets/memristor/device.ts reads them; the
 * defaults and their sources are RESEARCH.md §A3's and protocol/targets.md's).
 */
const MEMRISTOR: Schema = {
  mapping: { doc: 'How a weight becomes conductances: `differential` — a pair G⁺ − G⁻ per synapse (MemTorch\'s default scheme, DoubleColumn); `single` — one device per synapse, |w| from G_min (weight 0) to G_max (the largest |w| of the connection), the sign kept by the column. Default differential.', value: { kind: 'enum', values: ['differential', 'single'] }, example: 'differential' },
  g_min: { doc: 'Smallest device conductance, the high-resistance state (HRS, "off"). Default g_max/10 (CrossSim\'s Rmax/Rmin = 10 kΩ/1 kΩ): 100 µS with the default g_max.', value: { kind: 'quantity', dim: CONDUCTANCE, min: 0 }, example: '100 uS' },
  levels: { doc: 'Programmable conductance levels L, evenly spaced from G_min to G_max (≥ 2). Default 32 (NeuroSim V1.3\'s max_level).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 2, integer: true }, example: '32' },
  read_noise: { doc: 'Read noise σ_r: each read of a device (a presynaptic spike) sees G·(1 + σ_r·N(0, 1)), drawn per synapse and step. Default 0 (off; CrossSim\'s read-noise models are opt-in).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0 }, example: '0.02' },
  r_wire: { doc: 'Wire resistance per crossbar cell for the first-order IR drop G_eff = G / (1 + G·r_wire·(j + 1 + rows − i)) at row i (source), column j (target). Default 0 (off).', value: { kind: 'quantity', dim: RESISTANCE, min: 0 }, example: '1 ohm' },
  fault_ratio: { doc: 'Fraction of synapses with a stuck device (0..1); `fault_rate` is the same. Default 0.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0, max: 1 }, example: '0.1' },
  fault_type: { doc: 'What a faulty device is stuck at: `sa0` — G_min (HRS, "off"), `sa1` — G_max (LRS, "on"), `mixed` — SA0 or SA1 in the proportion 1.75 : 9.04 measured on an HfOx chip (Chen et al. 2015). Default sa0.', value: { kind: 'enum', values: ['sa0', 'sa1', 'mixed'] }, example: 'sa0' },
  fault_position: { doc: 'Where the stuck devices are: `random` — drawn by synapse id; `important` — the synapses of largest |w| of each connection. Default random.', value: { kind: 'enum', values: ['random', 'important'] }, example: 'random' },
  neuron_fault_ratio: { doc: 'Fraction of the neurons of each population that are faulty (0..1). Default 0.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0, max: 1 }, example: '0.05' },
  neuron_fault_type: { doc: 'A faulty neuron is `dead` (never spikes) or `saturated` (its output spikes every step). Default dead.', value: { kind: 'enum', values: ['dead', 'saturated'] }, example: 'dead' },
};

/** `target NAME = sfq { … }`: the pulse-level superconducting chip (sim-host/src/targets/sfq/params.ts holds the same defaults and their sources). */
const SFQ_TARGET: { doc: string; schema: Schema } = {
  doc: 'A superconducting single-flux-quantum (SFQ) chip, emulated pulse by pulse: a clock of tens of GHz, synapses that pass or block each SFQ pulse with a probability set by their bias current, neurons as flux counters with a threshold and a leak per clock, rate-coded inputs; energy from Josephson-junction switchings (I_c·Φ0 each) plus static bias, with and without the cryocooler (Edwards, Krylov, Friedman & Friedman, Neuromorph. Comput. Eng. 4 014005, 2024). Models are written in flux quanta: a weight is the expected quanta per pulse (|w| ≤ 1), V − V_r counts quanta.',
  schema: {
    clock: { doc: 'Clock frequency. One clock period must not exceed the model\'s dt (the emulation runs dt·clock ticks per step). Default 50 GHz (SFQ runs at "tens to hundreds of GHz").', value: { kind: 'quantity', dim: FREQUENCY, min: 0, minExclusive: true }, example: '50 GHz' },
    i_c: { doc: 'Critical current of the Josephson junctions; each switching dissipates about I_c·Φ0 (Φ0 = 2.067833848e-15 Wb). Default 100 uA.', value: { kind: 'quantity', dim: CURRENT, min: 0, minExclusive: true }, example: '100 uA' },
    bias_p50: { doc: 'Synapse bias current at which a pulse passes with probability ½. The pass probability is the logistic 1/(1 + e^(−(I − bias_p50)/bias_width)) of the bias current I — a modelling choice standing for the error-function dependence of thermally activated switching; a weight w is set by the bias current that gives |w|. Default 70 uA (modelling choice), below i_c.', value: { kind: 'quantity', dim: CURRENT, min: 0, minExclusive: true }, example: '70 uA' },
    bias_width: { doc: 'Width of the logistic pass-probability curve in bias current (thermal noise). Default 1 uA (modelling choice).', value: { kind: 'quantity', dim: CURRENT, min: 0, minExclusive: true }, example: '1 uA' },
    bias_step: { doc: 'Resolution of the synapse bias currents; each is rounded to a multiple and its pass probability recomputed (the Target Report lists the error). Default 0: continuous.', value: { kind: 'quantity', dim: CURRENT, min: 0 }, example: '0.1 uA' },
    threshold: { doc: 'Flux quanta at which a neuron fires (its counter c ≥ threshold; one quantum is then (θ − V_r)/(threshold − ½) of the model\'s V). Default: the model is read in quanta (fires at ⌊θ − V_r⌋ + 1).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, integer: true }, example: '4' },
    leak: { doc: 'Probability per clock that each stored quantum leaks out of a neuron\'s counter. Default: 1 − e^(−T/τ_m) from the model\'s dV/dt = −(V − V_r)/τ_m (its decay in expectation).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0, max: 1 }, example: '0.001' },
    bias_voltage: { doc: 'Bias supply voltage of the resistive (RSFQ) bias network; static power = junctions × 0.7·I_c × this. Default 2.5 mV (modelling choice).', value: { kind: 'quantity', dim: VOLTAGE, min: 0 }, example: '2.5 mV' },
    static_power: { doc: 'Static bias power of the chip, replacing the estimate from junction count and bias_voltage.', value: { kind: 'quantity', dim: POWER, min: 0 }, example: '1 uW' },
    cryo_overhead: { doc: 'Cryocooler overhead: watts at room temperature per watt dissipated at 4 K. Energies are reported without and with it (× (1 + overhead)). Default 400 ("hundreds of W per W" for large 4 K plants; the Carnot bound from 300 K is about 70).', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0 }, example: '400' },
  },
};

export const TARGET_KINDS: Record<string, { doc: string; schema: Schema }> = {
  ...Object.fromEntries(
  (
    [
      ['loihi2', 'Intel Loihi 2: fixed-point state, 8-bit weights by default, 1–4k neurons per core.'],
      ['spinnaker2', 'SpiNNaker 2: ARM cores with per-core neuron limits, fixed time step.'],
      ['memristor', 'A memristive crossbar: quantised conductances, device variability and stuck-at faults.'],
    ] as const
  ).map(([k, doc]) => [
    k,
    {
      doc,
      schema: {
        weight_bits: { doc: 'Bits of weight precision.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, max: 32, integer: true }, example: '8' },
        state_bits: { doc: 'Bits of state-variable precision.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, max: 32, integer: true }, example: '24' },
        cores: { doc: 'Number of cores available.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, integer: true }, example: '4' },
        neurons_per_core: { doc: 'Neurons one core holds.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 1, integer: true }, example: '1024' },
        fault_rate: { doc: 'Fraction of faulty synapses/devices.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0, max: 1 }, example: '0.01' },
        g_max: { doc: 'Largest device conductance (crossbars), the low-resistance state (LRS, "on"). Default 1 mS = 1/R_min with CrossSim\'s Rmin = 1 kΩ.', value: { kind: 'quantity', dim: CONDUCTANCE, min: 0, minExclusive: true }, example: '100 uS' },
        variability: { doc: 'Relative device-to-device spread of conductances. On a memristor: σ of the log-normal G·exp(σ·N(0, 1)) per device (typical 0.1–0.3, RESEARCH.md §A3); default 0.', value: { kind: 'quantity', dim: DIMENSIONLESS, min: 0 }, example: '0.05' },
        approximate: {
          doc: 'What the emulation (loihi2, spinnaker2) may approximate instead of refusing. `conductance`: each conductance input g·(E − v) becomes a current g·(E − v_op) at the operating point v_op = (V_reset + V_th) / 2, all of a neuron\'s conductances one synaptic current (the first one\'s τ, weights scaled to keep the charge per spike); the Target Report lists each approximation with its measured effect.',
          value: { kind: 'enum', values: ['conductance'] },
          example: 'conductance',
        },
        ...(k === 'memristor' ? MEMRISTOR : {}),
      } as Schema,
    },
  ]),
  ),
  sfq: SFQ_TARGET,
};

export const TASK: Schema = {
  stimulus: { doc: 'The input (or a list of inputs, `[a, b]`) that presents the task.', value: { kind: 'ref', to: 'input', many: true }, example: 'cue' },
};

export const CONCEPT: Schema = {
  stimulus: { doc: 'The input this concept annotates.', value: { kind: 'ref', to: 'input' }, required: true, example: 'cue' },
  during: { doc: 'When the stimulus shows the concept.', value: { kind: 'timeRange' }, required: true, example: '100 ms .. 200 ms' },
  description: { doc: 'Natural-language description of the concept.', value: { kind: 'string' }, example: '"a vertical edge"' },
};

/** Connectivity rules: argument names, their dimensions and ranges. */
export const RULES: Record<string, { doc: string; args: { name: string; dim: Dim; min?: number; max?: number; integer?: boolean; required?: boolean; string?: boolean }[] }> = {
  all_to_all: { doc: 'Every source connects to every target.', args: [] },
  one_to_one: { doc: 'Source i connects to target i (equal sizes).', args: [] },
  random: { doc: 'Each pair connects independently with probability p.', args: [{ name: 'p', dim: DIMENSIONLESS, min: 0, max: 1, required: true }] },
  fixed_indegree: { doc: 'Each target receives exactly k randomly chosen sources.', args: [{ name: 'k', dim: DIMENSIONLESS, min: 0, integer: true, required: true }] },
  fixed_outdegree: { doc: 'Each source projects to exactly k randomly chosen targets.', args: [{ name: 'k', dim: DIMENSIONLESS, min: 0, integer: true, required: true }] },
  distance: {
    doc: 'Connection probability p_max·exp(-d²/2σ²) over the layouts\' positions.',
    args: [
      { name: 'sigma', dim: LENGTH, min: 0, required: true },
      { name: 'p_max', dim: DIMENSIONLESS, min: 0, max: 1 },
    ],
  },
  ring_kernel: {
    doc: 'On a ring: probability p_max·exp(-Δθ²/2σ²) with Δθ the angular distance in radians.',
    args: [
      { name: 'sigma', dim: DIMENSIONLESS, min: 0, required: true },
      { name: 'p_max', dim: DIMENSIONLESS, min: 0, max: 1 },
    ],
  },
  where: {
    doc: 'Every pair (i, j) for which a condition on the indices holds, e.g. where(j == (i + 1) % N_post) or where(abs(i - j) < 3, p = 0.5): i and j number the source and target neurons, N_pre and N_post count them; p keeps each such pair with that probability (as Brian2\'s connect(condition=…, p=…)).',
    args: [
      { name: 'condition', dim: DIMENSIONLESS, required: true },
      { name: 'p', dim: DIMENSIONLESS, min: 0, max: 1 },
    ],
  },
  from_file: { doc: 'Explicit list: CSV lines `source,target[,weight[,delay]]` (0-based indices, SI units).', args: [{ name: 'file', dim: DIMENSIONLESS, string: true, required: true }] },
};

export const DISTRIBUTIONS: Record<string, { doc: string; params: string[] }> = {
  normal: { doc: 'Normal distribution (mean, standard deviation).', params: ['mean', 'sd'] },
  uniform: { doc: 'Uniform distribution on [lo, hi).', params: ['lo', 'hi'] },
  lognormal: { doc: 'Log-normal distribution: median and σ of the log (σ dimensionless).', params: ['median', 'sigma'] },
  exponential: { doc: 'Exponential distribution with the given mean.', params: ['mean'] },
};

export const FUNCTIONS: Record<string, { doc: string; arity: number | [number, number] }> = {
  exp: { doc: 'e^x (dimensionless x).', arity: 1 },
  log: { doc: 'Natural logarithm (dimensionless x).', arity: 1 },
  sqrt: { doc: 'Square root; halves the dimension.', arity: 1 },
  abs: { doc: 'Absolute value.', arity: 1 },
  sin: { doc: 'Sine (dimensionless x).', arity: 1 },
  cos: { doc: 'Cosine (dimensionless x).', arity: 1 },
  tanh: { doc: 'Hyperbolic tangent (dimensionless x).', arity: 1 },
  sigmoid: { doc: '1 / (1 + e^-x) (dimensionless x).', arity: 1 },
  exprel: { doc: '(e^x - 1) / x, and 1 at x = 0, without cancellation near 0 (dimensionless x; as Brian2). Write u / (exp(u) - 1) as 1 / exprel(u).', arity: 1 },
  relu: { doc: 'max(x, 0).', arity: 1 },
  heaviside: { doc: '1 where x > 0, else 0.', arity: 1 },
  min: { doc: 'Smaller of two values of the same dimension.', arity: 2 },
  max: { doc: 'Larger of two values of the same dimension.', arity: 2 },
  clip: { doc: 'clip(x, lo, hi): x limited to [lo, hi].', arity: 3 },
  rand: { doc: 'Uniform random number in [0, 1), from the counter-based stream.', arity: 0 },
  randn: { doc: 'Standard normal random number, from the counter-based stream.', arity: 0 },
};

/** Mathematical constants: dimensionless, and only where no variable of that name is visible. */
export const CONSTANTS: Record<string, { doc: string; value: number }> = {
  pi: { doc: 'π = 3.14159… (dimensionless), unless a variable is named pi.', value: Math.PI },
  e: { doc: 'e = 2.71828… (dimensionless; Euler\'s number), unless a variable is named e.', value: Math.E },
};

export const BUILTIN_NAMES: Record<string, { doc: string; dim: Dim }> = {
  t: { doc: 'Simulation time.', dim: TIME },
  dt: { doc: 'Integration time step.', dim: TIME },
  i: { doc: 'Index of the neuron in its population (0-based).', dim: DIMENSIONLESS },
  N: { doc: 'Size of the population.', dim: DIMENSIONLESS },
  xi: { doc: 'White noise (unit second^-1/2), in a neuron\'s differential equations only: `sigma * sqrt(2 / tau) * xi`. Integrated by Euler–Maruyama (method euler); each equation\'s xi is an independent noise.', dim: NOISE },
};

export const METHODS = ['exact', 'exponential', 'euler', 'rk2', 'rk4'];
export const TARGET_KIND_NAMES = Object.keys(TARGET_KINDS);
