// Planted ground truth for Describe Neurons: trials of six windows (fixation, cue, cue, delay,
// delay, response); in each trial cue `A` and cue `B` are shown (each with probability ½, drawn
// independently) during the two cue windows. Groups of units fire at a high rate where their
// planted formula holds and at a base rate elsewhere (Poisson counts): A; B; A AND NOT B;
// A OR B; the onset of A; the window right after B (a rebound); the delay epoch; and
// unresponsive units. Seeded with Philox counters, so a seed names one data set.

import { Rng } from '../../core/rng';
import type { Activity } from './describe';
import type { WindowMeta } from './atoms';

export interface PlantedGroup {
  name: string;
  /** The atoms of the planted formula (as buildAtoms names them). */
  atoms: string[];
  units: number[];
}

export interface Planted {
  activity: Activity & { counts: Float32Array };
  windows: WindowMeta[];
  groups: PlantedGroup[];
  /** Per trial: [A shown, B shown]. */
  trials: [boolean, boolean][];
}

export interface PlantedOptions {
  trials?: number;
  perGroup?: number;
  unresponsive?: number;
  /** Mean count in windows where the unit's formula holds / elsewhere. */
  high?: number;
  base?: number;
  windowSeconds?: number;
  seed?: number;
}

export const EPOCHS = ['fixation', 'cue', 'cue', 'delay', 'delay', 'response'] as const;
const STREAM_TRIALS = 0x54524c53;
const STREAM_COUNTS = 0x434e5453;

/** A Poisson draw by inversion from one uniform (means up to ~30). */
export function poissonFromUniform(mean: number, u: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** The planted groups: name, atoms and the predicate on (trial, position in trial). */
export const PLANTED_GROUPS: { name: string; atoms: string[]; fires: (a: boolean, b: boolean, pos: number) => boolean }[] = [
  { name: 'A', atoms: ['A'], fires: (a, _b, pos) => a && (pos === 1 || pos === 2) },
  { name: 'B', atoms: ['B'], fires: (_a, b, pos) => b && (pos === 1 || pos === 2) },
  { name: 'A AND NOT B', atoms: ['A', 'B'], fires: (a, b, pos) => a && !b && (pos === 1 || pos === 2) },
  { name: 'A OR B', atoms: ['A', 'B'], fires: (a, b, pos) => (a || b) && (pos === 1 || pos === 2) },
  { name: 'onset(A)', atoms: ['onset(A)'], fires: (a, _b, pos) => a && pos === 1 },
  { name: 'after(B)', atoms: ['after(B)'], fires: (_a, b, pos) => b && pos === 3 },
  { name: 'delay', atoms: ['epoch=delay'], fires: (_a, _b, pos) => pos === 3 || pos === 4 },
];

/** Per trial: whether cue A and cue B are shown (each with probability ½). */
export function plantedTrials(count: number, seed: number): [boolean, boolean][] {
  const rng = new Rng(seed);
  const trials: [boolean, boolean][] = [];
  for (let t = 0; t < count; t++) trials.push([rng.uniform(t, 0, STREAM_TRIALS, 0) < 0.5, rng.uniform(t, 1, STREAM_TRIALS, 0) < 0.5]);
  return trials;
}

export function plantedActivity(options: PlantedOptions = {}): Planted {
  const T = options.trials ?? 84;
  const per = options.perGroup ?? 40;
  const unresp = options.unresponsive ?? 200;
  const high = options.high ?? 6;
  const base = options.base ?? 1.5;
  const dt = options.windowSeconds ?? 0.05;
  const rng = new Rng(options.seed ?? 7);
  const trials = plantedTrials(T, options.seed ?? 7);
  const windows: WindowMeta[] = [];
  for (let t = 0; t < T; t++) {
    for (let pos = 0; pos < EPOCHS.length; pos++) {
      const labels = [`epoch=${EPOCHS[pos]}`];
      if (pos === 1 || pos === 2) {
        if (trials[t][0]) labels.push('A');
        if (trials[t][1]) labels.push('B');
      }
      const i = t * EPOCHS.length + pos;
      windows.push({ start: i * dt, end: (i + 1) * dt, labels });
    }
  }
  const n = windows.length;
  const groups: PlantedGroup[] = [];
  let units = 0;
  for (const g of PLANTED_GROUPS) {
    groups.push({ name: g.name, atoms: g.atoms, units: Array.from({ length: per }, (_, j) => units + j) });
    units += per;
  }
  groups.push({ name: 'unresponsive', atoms: [], units: Array.from({ length: unresp }, (_, j) => units + j) });
  units += unresp;
  const counts = new Float32Array(units * n);
  for (let u = 0; u < units; u++) {
    const gi = Math.min(PLANTED_GROUPS.length, Math.floor(u / per));
    const g = u < PLANTED_GROUPS.length * per ? PLANTED_GROUPS[gi] : undefined;
    for (let w = 0; w < n; w++) {
      const t = Math.floor(w / EPOCHS.length);
      const on = g ? g.fires(trials[t][0], trials[t][1], w % EPOCHS.length) : false;
      counts[u * n + w] = poissonFromUniform(on ? high : base, rng.uniform(u, w, STREAM_COUNTS, 0));
    }
  }
  return { activity: { units, windows: n, counts }, windows, groups, trials };
}
