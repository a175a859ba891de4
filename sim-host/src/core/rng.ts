// Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011), keyed by the run's seed.
// Every random draw is a pure function of (seed, counter), so connectivity, initial values and
// input spikes are identical on every backend and thread count. The scheme is documented in
// protocol/rng.md; the WASM code generator emits the same function.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Streams: the third counter word says what a draw is for. */
export const Stream = {
  init: 1, // initial values and per-neuron parameters: (neuron, variable, 1, population)
  connect: 2, // connectivity: (source or target, draw, 2, projection)
  weight: 3, // weights: (synapse, 0, 3, projection)
  delay: 4, // delays: (synapse, 0, 4, projection)
  poisson: 5, // Poisson inputs: (source, step, 5, input)
  equation: 6, // rand()/randn() in equations: (neuron, step, 6 + 16·call site, population)
  schedule: 7, // rand()/randn() in scheduled operations: (neuron, step, 7 + 16·call site, population)
} as const;

/**
 * High 32 bits of the 64-bit product a·b (a, b unsigned 32-bit), exactly: with a = ah·2¹⁶ + al,
 * a·b = (ah·b)·2¹⁶ + al·b, both products below 2⁴⁸ (exact in a double), and
 * ⌊a·b / 2³²⌋ = ⌊(ah·b + ⌊al·b / 2¹⁶⌋) / 2¹⁶⌋ (the dropped low bits cannot carry).
 */
function mulhi(a: number, b: number): number {
  return Math.floor((((a >>> 16) * b) + Math.floor(((a & 0xffff) * b) / 65536)) / 65536) >>> 0;
}

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1); writes 4 words into `out`. */
export function philox(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** Uniform in [0, 1) with 53 random bits from two words. */
export function wordsToUnit(a: number, b: number): number {
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

export class Rng {
  private words = new Uint32Array(4);
  readonly k0: number;
  readonly k1: number;
  constructor(seed: number) {
    this.k0 = seed >>> 0;
    this.k1 = Math.floor(seed / 4294967296) >>> 0;
  }
  /** Uniform [0,1) for a counter. */
  uniform(c0: number, c1: number, c2: number, c3: number): number {
    philox(c0, c1, c2, c3, this.k0, this.k1, this.words);
    return wordsToUnit(this.words[0], this.words[1]);
  }
  /** Standard normal (Box–Muller on the counter's four words). */
  normal(c0: number, c1: number, c2: number, c3: number): number {
    philox(c0, c1, c2, c3, this.k0, this.k1, this.words);
    const u1 = 1 - wordsToUnit(this.words[0], this.words[1]); // (0, 1]
    const u2 = wordsToUnit(this.words[2], this.words[3]);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

export interface DistValue {
  kind: 'const' | 'dist' | 'list';
  value?: number;
  dist?: 'normal' | 'uniform' | 'lognormal' | 'exponential';
  args?: number[];
  /** kind 'list': the value of element c0 (no random draw). */
  values?: number[];
}

/** Draws one value of a constant or a distribution for a counter. */
export function draw(rng: Rng, v: DistValue, c0: number, c1: number, c2: number, c3: number): number {
  if (v.kind === 'const') return v.value ?? 0;
  if (v.kind === 'list') return v.values?.[c0] ?? 0;
  const a = v.args ?? [];
  switch (v.dist) {
    case 'normal':
      return a[0] + a[1] * rng.normal(c0, c1, c2, c3);
    case 'uniform':
      return a[0] + (a[1] - a[0]) * rng.uniform(c0, c1, c2, c3);
    case 'lognormal':
      return a[0] * Math.exp(a[1] * rng.normal(c0, c1, c2, c3));
    case 'exponential':
      return -a[0] * Math.log(1 - rng.uniform(c0, c1, c2, c3));
    default:
      return 0;
  }
}
