// The ELM example's weight files (examples/data/elm_weights*.csv): one row per cell, one
// column per ELM parameter read with from_file. Deterministic in the seed; the example test
// checks that the committed files are what this writes.
//   node --import tsx test/examples/elm_weights.ts     rewrites both files
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ELM_CELLS = 100;
export const WEIGHT_FILES: { file: string; seed: number }[] = [
  { file: 'data/elm_weights.csv', seed: 1 },
  { file: 'data/elm_weights_b.csv', seed: 2 },
];

const K = [1, 2, 3];
/** Column names: the ELM's memory time constants (ms) and MLP / output weights (no unit). */
export const COLUMNS = [
  'tau_1', 'tau_2', 'tau_3',
  ...K.flatMap((k) => [`w1_${k}s`, `w1_${k}1`, `w1_${k}2`, `w1_${k}3`, `b1_${k}`]),
  ...K.flatMap((k) => [`w2_${k}1`, `w2_${k}2`, `w2_${k}3`, `b2_${k}`]),
  ...K.map((k) => `wy_${k}`),
];

function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** One cell's values by column: log-uniform timescales 2-10 ms / 20-100 ms / 0.5-2 s, random MLP. */
function cell(rand: () => number): Record<string, number> {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const n = (sd: number) => sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const logu = (lo: number, hi: number) => Math.exp(u(Math.log(lo), Math.log(hi)));
  const v: Record<string, number> = { tau_1: logu(2, 10), tau_2: logu(20, 100), tau_3: logu(500, 2000) };
  for (const k of K) {
    v[`w1_${k}s`] = u(0.5, 1.5); // every hidden unit sees the input
    for (const j of K) v[`w1_${k}${j}`] = n(0.3);
    v[`b1_${k}`] = n(0.1);
  }
  for (const k of K) {
    for (const j of K) v[`w2_${k}${j}`] = n(0.3) + (j === k ? 1 : 0); // mostly its own hidden unit
    v[`b2_${k}`] = n(0.1) - 0.6; // below zero at the background input, above it during the event
  }
  for (const k of K) v[`wy_${k}`] = u(0.2, 0.5);
  return v;
}

/** The CSV text of a weight file: a comment, the header, one row per cell (6 significant digits). */
export function weightsCsv(seed: number, cells = ELM_CELLS): string {
  const rand = lcg(seed);
  const rows = Array.from({ length: cells }, () => {
    const v = cell(rand);
    return COLUMNS.map((c) => String(Number(v[c].toPrecision(6)))).join(',');
  });
  return `# ELM weights for examples/elm_network.snn, seed ${seed} (test/examples/elm_weights.ts); tau_* in ms\n${COLUMNS.join(',')}\n${rows.join('\n')}\n`;
}

if (process.argv[1] && /elm_weights\.ts$/.test(process.argv[1])) {
  const dir = join(__dirname, '..', '..', 'examples');
  for (const w of WEIGHT_FILES) writeFileSync(join(dir, w.file), weightsCsv(w.seed));
  console.log(`wrote ${WEIGHT_FILES.map((w) => w.file).join(', ')}`);
}
